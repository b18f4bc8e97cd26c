/*
 * probe.c: gather the inspection report on the host: files and the -shm
 * header, sequences, orders. Reads only: SQL goes through the engine's
 * read-only layers, the -shm header is read with pread() and no locks.
 * probe_queue.c does Solid Queue and openers.c the processes.
 */
#define _GNU_SOURCE
#include "probe.h"
#include "keepfd.h"
#include "sqlval.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- running SQL into sections ---- */

int probe_add_row(void *ctx, int ncol, const lc_value *v)
{
	isect *s = ctx;
	if (ncol != s->ncol)
		return -1;
	isect_row(s, v);
	return 0;
}

/* Append every row of sql to s (same number of columns). */
static int rows_into(engine *en, isect *s, char *sql, lc_err *e)
{
	lc_sink k = { NULL, probe_add_row, NULL };
	int rc = engine_exec(en, sql, &k, s, e);
	free(sql);
	return rc;
}

static int first_int(void *ctx, int ncol, const lc_value *v)
{
	(void)ncol;
	*(long long *)ctx = v[0].type == LC_INT ? v[0].i : v[0].type == LC_REAL ? (long long)v[0].r : 0;
	return 0;
}

int probe_int(engine *en, const char *sql, long long *out, lc_err *e)
{
	lc_sink k = { NULL, first_int, NULL };
	*out = 0;
	return engine_exec(en, sql, &k, out, e);
}

/* The tables of every database, read with one statement when a probe
 * starts (probe_run is not reentrant: one report at a time). */
static struct catalog {
	char **schema, **name;   /* owned, parallel */
	size_t n;
} cat;

static int add_table(void *ctx, int ncol, const lc_value *v)
{
	(void)ctx;
	(void)ncol;
	cat.schema = xrealloc(cat.schema, sizeof *cat.schema * (cat.n + 1));
	cat.name = xrealloc(cat.name, sizeof *cat.name * (cat.n + 1));
	cat.schema[cat.n] = xstrndup(v[0].p, v[0].n);
	cat.name[cat.n++] = xstrndup(v[1].p, v[1].n);
	return 0;
}

static void catalog_free(void)
{
	for (size_t i = 0; i < cat.n; i++) {
		free(cat.schema[i]);
		free(cat.name[i]);
	}
	free(cat.schema);
	free(cat.name);
	cat = (struct catalog){ 0 };
}

static int catalog_load(engine *en, lc_err *e)
{
	buf b = { 0 };
	catalog_free();
	for (int i = 0; i < engine_ndb(en); i++) {
		char *part = sql_printf("%sSELECT %Q, name FROM \"%w\".sqlite_schema WHERE type = 'table'",
					i ? " UNION ALL " : "", engine_db_at(en, i)->schema, engine_db_at(en, i)->schema);
		buf_adds(&b, part);
		free(part);
	}
	lc_sink k = { NULL, add_table, NULL };
	int rc = engine_exec(en, b.p, &k, NULL, e);
	buf_free(&b);
	return rc;
}

static int has_table(engine *en, const char *schema, const char *table)
{
	(void)en;
	for (size_t i = 0; i < cat.n; i++)
		if (strcmp(cat.name[i], table) == 0 && strcmp(cat.schema[i], schema) == 0)
			return 1;
	return 0;
}

const char *probe_schema_of(engine *en, const char *table)
{
	for (int i = 0; i < engine_ndb(en); i++)
		if (has_table(en, engine_db_at(en, i)->schema, table))
			return engine_db_at(en, i)->schema;
	return NULL;
}

/* ---- files ---- */

/* The wal-index header: two copies of 48 bytes, then checkpoint info with
 * nBackfill at byte 96 (walformat.html). Native byte order. */
int probe_shm(const char *db_path, unsigned *mx_frame, unsigned *backfilled)
{
	char *path = xasprintf("%s-shm", db_path);
	unsigned char h[136];
	int fd = keepfd(path, O_NOFOLLOW), rc = -1;  /* closing it would drop SQLite's locks on it */
	free(path);
	if (fd < 0)
		return -1;
	for (int tries = 0; tries < 100; tries++) {
		if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h)
			break;
		if (memcmp(h, h + 48, 48) != 0 || h[12] == 0)  /* torn read, or not initialised */
			continue;
		uint32_t mx, nb;
		memcpy(&mx, h + 16, 4);
		memcpy(&nb, h + 96, 4);
		*mx_frame = mx;
		*backfilled = nb > mx ? mx : nb;
		rc = 0;
		break;
	}
	return rc;
}

static void utc_text(time_t t, char *out, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static lc_value v_int(long long i) { return (lc_value){ .type = LC_INT, .i = i }; }
static lc_value v_text(const char *s) { return (lc_value){ .type = LC_TEXT, .p = s, .n = strlen(s) }; }
static lc_value v_null(void) { return (lc_value){ .type = LC_NULL }; }

static lc_value file_size(const char *path, const char *suffix, char *mtime, size_t n)
{
	struct stat st;
	char *p = xasprintf("%s%s", path, suffix);
	int ok = stat(p, &st) == 0;
	free(p);
	if (mtime) {
		if (ok)
			utc_text(st.st_mtime, mtime, n);
		else
			snprintf(mtime, n, "%s", "");
	}
	return ok ? v_int((long long)st.st_size) : v_null();
}

static long long pragma_int(engine *en, const char *schema, const char *name, lc_err *e)
{
	long long v = 0;
	char *sql = sql_printf("PRAGMA \"%w\".%s", schema, name);
	probe_int(en, sql, &v, e);
	free(sql);
	return v;
}

static int text_cell(void *ctx, int ncol, const lc_value *v)
{
	(void)ncol;
	snprintf(ctx, 16, "%.*s", v[0].type == LC_TEXT ? (int)v[0].n : 0, v[0].p ? v[0].p : "");
	return 0;
}

static const char *const file_cols[] = {
	"schema", "path", "size_bytes", "page_size", "page_count", "freelist_count", "journal_mode",
	"wal_autocheckpoint", "wal_bytes", "wal_frames", "wal_backfilled", "shm_bytes", "mtime_at", "wal_mtime_at",
};

static void file_row(engine *en, isect *s, const engine_db *d, lc_err *e)
{
	char mode[16] = "", mt[32], wmt[32];
	unsigned mx = 0, nb = 0;
	lc_sink k = { NULL, text_cell, NULL };
	char *sql = sql_printf("PRAGMA \"%w\".journal_mode", d->schema);
	engine_exec(en, sql, &k, mode, e);
	free(sql);
	int have_shm = probe_shm(d->path, &mx, &nb) == 0;
	lc_value v[] = {
		v_text(d->schema), v_text(d->path), file_size(d->path, "", mt, sizeof mt),
		v_int(pragma_int(en, d->schema, "page_size", e)), v_int(pragma_int(en, d->schema, "page_count", e)),
		v_int(pragma_int(en, d->schema, "freelist_count", e)), v_text(mode),
		v_int(pragma_int(en, "main", "wal_autocheckpoint", e)), file_size(d->path, "-wal", wmt, sizeof wmt),
		have_shm ? v_int(mx) : v_null(), have_shm ? v_int(nb) : v_null(), file_size(d->path, "-shm", NULL, 0),
		v_text(mt), wmt[0] ? v_text(wmt) : v_null(),
	};
	isect_row(s, v);
}

int probe_files(engine *en, inspect_report *r, lc_err *e)
{
	isect *s = inspect_add(r, "files", (int)(sizeof file_cols / sizeof *file_cols), file_cols);
	for (int i = 0; i < engine_ndb(en); i++)
		file_row(en, s, engine_db_at(en, i), e);
	return 0;
}

/* ---- sequences ---- */

typedef struct seqlist {
	char **names;
	long long *seq;
	size_t n;
} seqlist;

static int add_seq(void *ctx, int ncol, const lc_value *v)
{
	seqlist *l = ctx;
	(void)ncol;
	if (v[0].type != LC_TEXT)
		return 0;
	l->names = xrealloc(l->names, sizeof *l->names * (l->n + 1));
	l->seq = xrealloc(l->seq, sizeof *l->seq * (l->n + 1));
	l->names[l->n] = xstrndup(v[0].p, v[0].n);
	l->seq[l->n++] = v[1].type == LC_INT ? v[1].i : 0;
	return 0;
}

static void seqlist_free(seqlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->seq);
}

static const char *const seq_cols[] = { "schema", "table", "seq", "max_id", "rows", "missing_top" };

/* One database's sqlite_sequence: seq, MAX(id) (the rowid of an
 * AUTOINCREMENT table) and COUNT(*) of each table it names. */
static int seq_schema(engine *en, isect *s, const char *sc, lc_err *e)
{
	seqlist l = { 0 };
	lc_sink k = { NULL, add_seq, NULL };
	char *sql = sql_printf("SELECT name, seq FROM \"%w\".sqlite_sequence ORDER BY name", sc);
	int rc = engine_exec(en, sql, &k, &l, e);
	free(sql);
	buf b = { 0 };
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		if (!has_table(en, sc, l.names[i]))
			continue;
		/* COUNT(*) reads every page of the table: only when the id
		 * range is small (PROBE_COUNT_MAX); otherwise rows is NULL. */
		char *part = sql_printf("%sSELECT %Q, %Q, %lld, m, CASE WHEN m - (SELECT min(rowid) FROM \"%w\".\"%w\") < %d "
					"THEN (SELECT count(*) FROM \"%w\".\"%w\") END, %lld - ifnull(m, 0) "
					"FROM (SELECT max(rowid) AS m FROM \"%w\".\"%w\")",
					b.len ? " UNION ALL " : "", sc, l.names[i], l.seq[i], sc, l.names[i], PROBE_COUNT_MAX,
					sc, l.names[i], l.seq[i], sc, l.names[i]);
		buf_adds(&b, part);
		free(part);
	}
	if (rc == 0 && b.len)
		rc = rows_into(en, s, xstrdup(b.p), e);
	buf_free(&b);
	seqlist_free(&l);
	return rc;
}

int probe_sequences(engine *en, inspect_report *r, lc_err *e)
{
	isect *s = inspect_add(r, "sequences", 6, seq_cols);
	int any = 0;
	for (int i = 0; i < engine_ndb(en); i++) {
		const char *sc = engine_db_at(en, i)->schema;
		if (!has_table(en, sc, "sqlite_sequence"))
			continue;
		any = 1;
		if (seq_schema(en, s, sc, e) < 0)
			return -1;
	}
	if (!any)
		isect_absent(s, "no table uses AUTOINCREMENT (there is no sqlite_sequence)");
	return 0;
}

/* ---- orders ---- */

static const char *const order_cols[] = {
	"table", "latest_id", "last_minute", "last_hour", "last_day", "per_minute",
};
static const char *const latest_cols[] = { "id", "status", "total", "created_at" };

/* Orders created since now - ago (a strftime modifier), counted as the id
 * range from the first of them to max(rowid): one index lookup, where an
 * exact count would read every index entry of the window (30000 a minute
 * for a shop at 500 orders/s, on every refresh of the dashboard). Ids
 * grow with created_at; a row deleted inside the window still counts. */
static char *since(const char *sc, const char *t, const char *ago)
{
	return sql_printf("(SELECT ifnull(max(rowid) - (SELECT rowid FROM \"%w\".\"%w\" WHERE created_at >= "
			  "strftime('%%Y-%%m-%%d %%H:%%M:%%S', 'now', %Q) ORDER BY created_at LIMIT 1) + 1, 0) "
			  "FROM \"%w\".\"%w\")", sc, t, ago, sc, t);
}

int probe_orders(engine *en, const inspect_opts *o, inspect_report *r, lc_err *e)
{
	const char *t = o->orders_table ? o->orders_table : "orders";
	isect *sum = inspect_add(r, "orders", 6, order_cols);
	isect *lat = inspect_add(r, "orders_latest", 4, latest_cols);
	const char *sc = probe_schema_of(en, t);
	if (!sc) {
		isect_absent(sum, "no table named %s", t);
		isect_absent(lat, "no table named %s", t);
		return 0;
	}
	char *m = since(sc, t, "-1 minutes"), *h = since(sc, t, "-1 hours"), *d = since(sc, t, "-1 days"),
	     *ten = since(sc, t, "-10 minutes");
	char *sql = sql_printf("SELECT %Q, (SELECT max(rowid) FROM \"%w\".\"%w\"), %s, %s, %s, round(%s / 10.0, 1)",
			       t, sc, t, m, h, d, ten);
	free(m), free(h), free(d), free(ten);
	if (rows_into(en, sum, sql, e) < 0) {
		isect_absent(sum, "%s has no created_at column (%s)", t, e->msg);
		isect_absent(lat, "%s", sum->absent);
		return 0;
	}
	sql = sql_printf("SELECT rowid, status, total, created_at FROM \"%w\".\"%w\" ORDER BY rowid DESC LIMIT %d",
			 sc, t, o->latest > 0 ? o->latest : 10);
	if (rows_into(en, lat, sql, e) < 0)
		isect_absent(lat, "%s lacks status, total or created_at (%s)", t, e->msg);
	return 0;
}

/* ---- everything ---- */

int probe_run(engine *en, const inspect_opts *o, inspect_report **out, lc_err *e)
{
	inspect_report *r = inspect_new();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	r->taken_at = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	engine_set_mmap(en, 64LL << 20);  /* index lookups: map, don't copy */
	int rc = catalog_load(en, e) < 0 || probe_files(en, r, e) < 0 || probe_orders(en, o, r, e) < 0 ||
		 probe_queue(en, o, r, e) < 0 || probe_sequences(en, r, e) < 0;
	engine_set_mmap(en, 0);
	catalog_free();
	if (rc) {
		inspect_free(r);
		return -1;
	}
	if (o->openers)
		probe_openers(en, r);
	*out = r;
	return 0;
}
