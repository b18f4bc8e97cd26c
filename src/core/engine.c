/*
 * engine.c: open a database or a store directory strictly read-only and run
 * statements against it, streaming rows to a sink.
 *
 * The read-only layers (DESIGN.md): (1) SQLITE_OPEN_READONLY with a mode=ro
 * URI, never immutable=1; (2) query_only, DEFENSIVE, no extension loading,
 * trusted_schema off; (3) the authorizer in guard.c; (4)
 * sqlite3_stmt_readonly() before the first step; (5) one short read snapshot
 * per statement (statements are reset and finalized at once, transactions
 * are refused) and a time limit through the progress handler.
 */
#define _GNU_SOURCE
#include "engine.h"
#include "guard.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct engine {
	sqlite3 *db;              /* owned */
	guard g;                  /* authorizer state */
	store_file *files;        /* owned: main first */
	int nfiles;
	engine_db *dbs;           /* owned views of files for engine_db_at */
	int timeout_ms;
	long long deadline;       /* monotonic ms, 0 = none */
	int timed_out;
	void (*hook)(void *);     /* engine_set_hook */
	void *hook_ctx;
	long long mmap;           /* the mmap_size in force (engine_set_mmap) */
};

static volatile sig_atomic_t cancel_requested;  /* process-wide: a SIGINT handler sets it */
static _Thread_local atomic_int *cancel_scope;   /* this thread's own flag, or NULL */

void engine_cancel(void)
{
	cancel_requested = 1;
}

const char *engine_sqlite_version(void)
{
	return sqlite3_libversion();
}

int engine_complete(const char *sql)
{
	return sqlite3_complete(sql);
}

/* Progress handler: stop on cancel or when the time limit passed. */
static int on_progress(void *ctx)
{
	engine *en = ctx;
	if (en->hook)
		en->hook(en->hook_ctx);
	if (engine_cancel_pending())
		return 1;
	if (en->deadline && now_ms() > en->deadline) {
		en->timed_out = 1;
		return 1;
	}
	return 0;
}

/* "file:" URI for path with mode=ro; caller frees with sqlite3_free. */
static char *ro_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f)
			sqlite3_str_appendf(s, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
		else
			sqlite3_str_appendchar(s, 1, (char)*p);
	}
	sqlite3_str_appendall(s, "?mode=ro");
	return sqlite3_str_finish(s);
}

/* Translate an SQLite failure on opening or first read into one sentence. */
static int open_error(lc_err *e, const char *path, int rc, const char *msg)
{
	if (rc == SQLITE_READONLY_DIRECTORY)
		rc = SQLITE_CANTOPEN;
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
		return lc_err_set(e, LC_ECONNECT, "%s is not an SQLite database", path);
	case SQLITE_CANTOPEN:
		return lc_err_set(e, LC_ECONNECT,
			"cannot read %s: it is in WAL mode and its -wal/-shm files are missing or unreadable, "
			"and this user may not create them; run litecon as the database's owner", path);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return lc_err_set(e, LC_ECONNECT, "%s stayed locked longer than the time limit; try again or raise --timeout", path);
	case SQLITE_CORRUPT:
		return lc_err_set(e, LC_ECONNECT, "%s is corrupt (%s); copy it away and run `litecon check`", path, msg);
	}
	return lc_err_set(e, LC_ECONNECT, "cannot open %s: %s", path, msg);
}

/* Layer 2: connection settings that forbid writes and foreign code. */
static int harden(sqlite3 *db)
{
	int rc = 0;
	rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
	rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
	rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
	rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
	rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 1, (int *)0);
	rc |= sqlite3_enable_load_extension(db, 0);
	rc |= sqlite3_exec(db, "PRAGMA query_only=1; PRAGMA trusted_schema=0;", 0, 0, 0);
	return rc ? -1 : 0;
}

/* Read one row from each schema so a bad file fails now, not mid-query. */
static int probe(engine *en, lc_err *e)
{
	for (int i = 0; i < en->nfiles; i++) {
		char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\".sqlite_schema", en->files[i].schema);
		char *msg = NULL;
		int rc = sqlite3_exec(en->db, sql, 0, 0, &msg);
		sqlite3_free(sql);
		if (rc != SQLITE_OK) {
			rc = sqlite3_extended_errcode(en->db);
			open_error(e, en->files[i].path, rc, msg ? msg : sqlite3_errstr(rc));
			sqlite3_free(msg);
			return -1;
		}
	}
	return 0;
}

static int attach_all(engine *en, lc_err *e)
{
	for (int i = 1; i < en->nfiles; i++) {
		char *uri = ro_uri(en->files[i].path);
		char *sql = sqlite3_mprintf("ATTACH %Q AS \"%w\"", uri, en->files[i].schema);
		int rc = sqlite3_exec(en->db, sql, 0, 0, 0);
		sqlite3_free(sql);
		sqlite3_free(uri);
		if (rc != SQLITE_OK)
			return open_error(e, en->files[i].path, sqlite3_extended_errcode(en->db),
					  sqlite3_errmsg(en->db));
	}
	sqlite3_limit(en->db, SQLITE_LIMIT_ATTACHED, en->nfiles - 1);
	return 0;
}

static int open_main(engine *en, lc_err *e)
{
	char *uri = ro_uri(en->files[0].path);
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(uri, &en->db, flags, NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK)
		return open_error(e, en->files[0].path, sqlite3_extended_errcode(en->db),
				  en->db ? sqlite3_errmsg(en->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(en->db, 1);
	/* Before ATTACH and the first read: a writer's commit or WAL recovery
	 * can hold a lock for a moment. */
	sqlite3_busy_timeout(en->db, en->timeout_ms > 0 && en->timeout_ms < 5000 ? en->timeout_ms : 5000);
	if (harden(en->db) < 0)
		return lc_err_set(e, LC_ECONNECT, "cannot make the connection read-only: %s", sqlite3_errmsg(en->db));
	return 0;
}

static void set_guards(engine *en)
{
	sqlite3_progress_handler(en->db, 1000, on_progress, en);
	en->g.open = 0;
}

int engine_open(const char *path, const engine_opts *o, engine **out, lc_err *e)
{
	engine *en = xcalloc(1, sizeof *en);
	en->timeout_ms = o ? o->timeout_ms : 0;
	*out = NULL;
	if (store_scan(path, &en->files, &en->nfiles, e) < 0)
		goto fail;
	if (open_main(en, e) < 0)
		goto fail;
	en->g.open = 1;
	sqlite3_set_authorizer(en->db, guard_authorize, &en->g);
	if (attach_all(en, e) < 0 || probe(en, e) < 0)
		goto fail;
	set_guards(en);
	en->dbs = xcalloc((size_t)en->nfiles, sizeof *en->dbs);
	for (int i = 0; i < en->nfiles; i++)
		en->dbs[i] = (engine_db){ en->files[i].schema, en->files[i].path };
	*out = en;
	return 0;
fail:
	engine_free(en);
	return -1;
}

void engine_free(engine *en)
{
	if (!en)
		return;
	sqlite3_close_v2(en->db);
	store_files_free(en->files, en->nfiles);
	free(en->dbs);
	free(en);
}

void engine_set_mmap(engine *en, long long bytes)
{
	if (en->mmap == bytes)
		return;  /* unmapping and mapping again costs a refresh more than it reads */
	en->mmap = bytes;
	for (int i = 0; i < en->nfiles; i++) {
		char *sql = sqlite3_mprintf("PRAGMA \"%w\".mmap_size=%lld", en->files[i].schema, bytes);
		en->g.open = 1;  /* our own setting, not the user's */
		sqlite3_exec(en->db, sql, 0, 0, 0);
		en->g.open = 0;
		sqlite3_free(sql);
	}
}

struct sqlite3 *engine_handle(engine *en)
{
	return en->db;
}

int engine_pin(engine *en, const char *schema, lc_err *e)
{
	char *sql = sqlite3_mprintf("BEGIN; SELECT count(*) FROM \"%w\".sqlite_schema", schema);
	en->g.open = 1;  /* our own transaction: the guard is for users' SQL */
	int rc = sqlite3_exec(en->db, sql, 0, 0, 0);
	en->g.open = 0;
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		lc_err_set(e, LC_ESQL, "cannot pin a read snapshot of %s: %s", schema, sqlite3_errmsg(en->db));
		engine_unpin(en);
		return -1;
	}
	return 0;
}

void engine_unpin(engine *en)
{
	en->g.open = 1;
	if (!sqlite3_get_autocommit(en->db))
		sqlite3_exec(en->db, "COMMIT", 0, 0, 0);
	en->g.open = 0;
}

void engine_set_hook(engine *en, void (*fn)(void *ctx), void *ctx)
{
	en->hook = fn;
	en->hook_ctx = ctx;
}

void engine_set_timeout(engine *en, int timeout_ms)
{
	en->timeout_ms = timeout_ms;
}

int engine_ndb(const engine *en)
{
	return en->nfiles;
}

const engine_db *engine_db_at(const engine *en, int i)
{
	return i >= 0 && i < en->nfiles ? &en->dbs[i] : NULL;
}

void engine_cancel_scope(atomic_int *flag)
{
	cancel_scope = flag;
}

void engine_cancel_reset(void)
{
	if (cancel_scope)
		atomic_store(cancel_scope, 0);
	else
		cancel_requested = 0;
}

int engine_cancel_pending(void)
{
	return cancel_requested != 0 || (cancel_scope && atomic_load(cancel_scope));
}

/* The statement text from sql up to end, trimmed and cut to fit a message. */
static void stmt_text(const char *sql, const char *end, char *out, size_t n)
{
	while (sql < end && (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r'))
		sql++;
	size_t len = end ? (size_t)(end - sql) : strlen(sql);
	while (len && strchr(" \t\r\n;", sql[len - 1]))
		len--;
	if (len > n - 4)
		snprintf(out, n, "%.*s...", (int)(n - 4), sql);
	else
		snprintf(out, n, "%.*s", (int)len, sql);
}

static int refuse(lc_err *e, const char *why)
{
	return lc_err_set(e, LC_EREADONLY, "refused (litecon is read-only): %s", why);
}

/* Turn a failed prepare or step into the right exit class and sentence. */
static int stmt_error(engine *en, const char *sql, const char *end, lc_err *e)
{
	char text[200];
	if (engine_cancel_pending())
		return lc_err_set(e, LC_ECANCEL, "cancelled");
	if (en->g.reason[0])
		return refuse(e, en->g.reason);
	stmt_text(sql, end, text, sizeof text);
	if (en->timed_out)
		return lc_err_set(e, LC_ESQL, "statement stopped at its time limit of %g s (raise it with --timeout): %s",
				  en->timeout_ms / 1000.0, text);
	int rc = sqlite3_extended_errcode(en->db);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return lc_err_set(e, LC_ESQL, "the database stayed locked past the busy timeout; try again: %s", text);
	return lc_err_set(e, LC_ESQL, "%s, in: %s", sqlite3_errmsg(en->db), text);
}

static void fill_value(sqlite3_stmt *st, int i, lc_value *v)
{
	v->type = sqlite3_column_type(st, i);
	switch (v->type) {
	case SQLITE_INTEGER:
		v->type = LC_INT;
		v->i = sqlite3_column_int64(st, i);
		break;
	case SQLITE_FLOAT:
		v->type = LC_REAL;
		v->r = sqlite3_column_double(st, i);
		break;
	case SQLITE_TEXT:
		v->type = LC_TEXT;
		v->p = (const char *)sqlite3_column_text(st, i);
		v->n = (size_t)sqlite3_column_bytes(st, i);
		break;
	case SQLITE_BLOB:
		v->type = LC_BLOB;
		v->p = sqlite3_column_blob(st, i);
		v->n = (size_t)sqlite3_column_bytes(st, i);
		if (!v->p)
			v->p = "";
		break;
	default:
		v->type = LC_NULL;
	}
}

static int sink_stopped(lc_err *e)
{
	if (e->code == 0)
		lc_err_set(e, LC_ESQL, "the output could not be written");
	return -1;
}

/* Step one prepared statement to the end, feeding the sink. */
static int run_stmt(sqlite3_stmt *st, const lc_sink *k, void *ctx, lc_err *e)
{
	int ncol = sqlite3_column_count(st), rc;
	long long nrows = 0;
	lc_value *vals = xcalloc((size_t)(ncol ? ncol : 1), sizeof *vals);
	int ret = -1;
	if (ncol > 0 && k->begin) {
		const char **names = xcalloc((size_t)ncol, sizeof *names);
		for (int i = 0; i < ncol; i++)
			names[i] = sqlite3_column_name(st, i);
		rc = k->begin(ctx, ncol, names);
		free(names);
		if (rc)
			goto stopped;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++)
			fill_value(st, i, &vals[i]);
		if (k->row && k->row(ctx, ncol, vals))
			goto stopped;
		nrows++;
	}
	if (rc == SQLITE_DONE) {
		if (ncol > 0 && k->end && k->end(ctx, nrows))
			goto stopped;
		ret = 0;
	} else {
		ret = -2;
	}
	goto out;
stopped:
	ret = sink_stopped(e);
out:
	free(vals);
	return ret;
}

int engine_exec(engine *en, const char *sql, const lc_sink *sink, void *ctx, lc_err *e)
{
	static const lc_sink none;
	const char *tail = sql, *next = NULL;
	*e = (lc_err){ 0 };
	if (!sink)
		sink = &none;
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		en->g.reason[0] = en->g.pending[0] = 0;
		en->g.pragma_ok = 0;
		en->timed_out = 0;
		en->deadline = en->timeout_ms > 0 ? now_ms() + en->timeout_ms : 0;
		if (engine_cancel_pending())
			return lc_err_set(e, LC_ECANCEL, "cancelled");
		if (sqlite3_prepare_v2(en->db, tail, -1, &st, &next) != SQLITE_OK) {
			char why[GUARD_REASON];
			/* "DELETE FROM nosuch" is still a write: refuse it as one. */
			if (!en->g.reason[0] && guard_write_kind(tail, why, sizeof why))
				return refuse(e, why);
			return stmt_error(en, tail, NULL, e);
		}
		if (!st) {
			tail = next;
			continue;
		}
		char why[GUARD_REASON];
		if (guard_write_kind(sqlite3_sql(st), why, sizeof why)) {
			sqlite3_finalize(st);
			return refuse(e, why);
		}
		if (!sqlite3_stmt_readonly(st) && !en->g.pragma_ok) {
			if (en->g.pending[0])
				snprintf(why, sizeof why, "%s", en->g.pending);
			else
				guard_explain(sqlite3_sql(st), why, sizeof why);
			sqlite3_finalize(st);
			return refuse(e, why);
		}
		int rc = run_stmt(st, sink, ctx, e);
		if (rc == -2)
			stmt_error(en, tail, next, e);
		sqlite3_finalize(st);
		if (rc < 0)
			return -1;
		tail = next;
	}
	return 0;
}
