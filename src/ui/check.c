/*
 * check.c: `litecon check`: forensics for cron and monitoring. Each rule
 * reads the inspection report and adds findings with a severity and a
 * one-line suggestion; quick_check (or integrity_check with --full) runs
 * within the statement time limit. Exit 0 healthy, 1 when anything was
 * found. The rules are a table.
 */
#define _GNU_SOURCE
#include "stats.h"
#include "sqlval.h"
#include "textesc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum sev { SEV_WARN, SEV_ERROR };
static const char *const sev_name[] = { "warning", "error" };

typedef struct finding {
	int sev;
	char *check, *subject, *message, *suggestion;  /* owned */
} finding;

typedef struct findings {
	finding *f;
	size_t n;
	const cli *o;
} findings;

static void add(findings *fs, int sev, const char *check, const char *subject, char *message, const char *suggestion)
{
	fs->f = xrealloc(fs->f, sizeof *fs->f * (fs->n + 1));
	fs->f[fs->n++] = (finding){ sev, xstrdup(check), xstrdup(subject), message, xstrdup(suggestion) };
}

static long long ival(const isect *s, size_t row, const char *col)
{
	const lc_value *v = isect_get(s, row, col);
	return !v ? 0 : v->type == LC_INT ? v->i : v->type == LC_REAL ? (long long)v->r : 0;
}

static const char *tval(const isect *s, size_t row, const char *col)
{
	const lc_value *v = isect_get(s, row, col);
	return v && v->type == LC_TEXT ? v->p : "";
}

/* Is table on the --keep list (comma separated; default "orders")? */
static int kept(const cli *o, const char *table)
{
	const char *list = o->keep ? o->keep : (o->orders ? o->orders : "orders");
	size_t n = strlen(table);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, table, n) == 0)
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

static void rule_sequences(findings *fs, const inspect_report *r)
{
	const isect *s = inspect_find(r, "sequences");
	for (size_t i = 0; s && !s->absent && i < s->nrows; i++) {
		long long gap = ival(s, i, "missing_top");
		if (gap <= 0 || !kept(fs->o, tval(s, i, "table")))
			continue;
		char *subj = xasprintf("%s.%s", tval(s, i, "schema"), tval(s, i, "table"));
		add(fs, SEV_ERROR, "sequence", subj,
		    xasprintf("%lld ids handed out are gone from the top of %s (sqlite_sequence says %lld, max(id) is %lld)",
			      gap, tval(s, i, "table"), ival(s, i, "seq"), ival(s, i, "max_id")),
		    "rows were deleted or lost after commit; compare with a backup, and check that only one app container writes this database (see openers)");
		free(subj);
	}
}

static void rule_files(findings *fs, const inspect_report *r)
{
	const isect *s = inspect_find(r, "files");
	for (size_t i = 0; s && i < s->nrows; i++) {
		const char *db = tval(s, i, "schema"), *mode = tval(s, i, "journal_mode");
		long long frames = ival(s, i, "wal_frames"), ac = ival(s, i, "wal_autocheckpoint");
		if (strcmp(mode, "wal") != 0)
			add(fs, SEV_WARN, "journal_mode", db, xasprintf("%s is in %s mode, not WAL", db, mode),
			    "Rails 8 runs SQLite in WAL mode; without it readers and the writer block each other");
		if (ac > 0 && frames > 4 * ac)
			add(fs, SEV_WARN, "wal", db,
			    xasprintf("the WAL of %s holds %lld frames, far beyond SQLite's default autocheckpoint of %lld: checkpoints are starved",
				      db, frames, ac),
			    "a long-running reader (or a stuck process) keeps checkpoints from finishing; find it among the openers");
	}
}

/* Two containers with the same database open: overlapping deploys. */
static void rule_openers(findings *fs, const inspect_report *r)
{
	const isect *o = inspect_find(r, "openers"), *f = inspect_find(r, "files");
	for (size_t i = 0; o && !o->absent && f && i < f->nrows; i++) {
		const char *db = tval(f, i, "schema"), *first = NULL, *second = NULL;
		for (size_t k = 0; k < o->nrows && !second; k++) {
			const char *c = tval(o, k, "container");
			if (strcmp(tval(o, k, "schema"), db) != 0 || !*c)
				continue;
			if (!first)
				first = c;
			else if (strcmp(first, c) != 0)
				second = c;
		}
		if (second)
			add(fs, SEV_ERROR, "containers", db,
			    xasprintf("processes of more than one container have %s open (%s and %s)", db, first, second),
			    "two app containers writing one WAL is how overlapping deploys lose rows; stop the old one");
	}
}

static void rule_queue(findings *fs, const inspect_report *r)
{
	const isect *q = inspect_find(r, "queues"), *p = inspect_find(r, "processes");
	long long failed = 0;
	for (size_t i = 0; q && !q->absent && i < q->nrows; i++)
		failed += ival(q, i, "failed");
	if (failed)
		add(fs, SEV_WARN, "failed_jobs", "queue", xasprintf("%lld failed jobs", failed),
		    "look at solid_queue_failed_executions (error column) and retry or discard them");
	for (size_t i = 0; p && !p->absent && i < p->nrows; i++)
		if (ival(p, i, "stale"))
			add(fs, SEV_WARN, "stale_process", tval(p, i, "name"),
			    xasprintf("%s %s (pid %lld on %s) has not sent a heartbeat for %lld s", tval(p, i, "kind"),
				      tval(p, i, "name"), ival(p, i, "pid"), tval(p, i, "hostname"),
				      ival(p, i, "heartbeat_age_s")),
			    "the process is gone or hung; Solid Queue releases its jobs once the supervisor prunes it");
}

static void (*const rules[])(findings *, const inspect_report *) = {
	rule_sequences, rule_files, rule_openers, rule_queue,
};

/* ---- quick_check / integrity_check ---- */

static int collect_text(void *ctx, int ncol, const lc_value *v)
{
	buf *b = ctx;
	(void)ncol;
	if (b->len)
		buf_adds(b, "; ");
	if (v[0].type == LC_TEXT)
		buf_add(b, v[0].p, v[0].n);
	return 0;
}

static void rule_integrity(findings *fs, conn *c)
{
	const char *pragma = fs->o->full ? "integrity_check" : "quick_check";
	for (int i = 0; i < conn_ndb(c); i++) {
		const char *schema, *path;
		buf b = { 0 };
		lc_err e = { 0 };
		lc_sink k = { NULL, collect_text, NULL };
		conn_db(c, i, &schema, &path);
		char *sql = sql_printf("PRAGMA \"%w\".%s", schema, pragma);
		int rc = conn_exec(c, sql, &k, &b, &e);
		free(sql);
		if (rc < 0 && e.code != LC_ECANCEL)
			add(fs, SEV_WARN, pragma, schema, xasprintf("%s of %s did not finish: %s", pragma, schema, e.msg),
			    "run it again with a larger --timeout when the store is quiet");
		else if (rc == 0 && (!b.p || strcmp(b.p, "ok") != 0))
			add(fs, SEV_ERROR, pragma, schema, xasprintf("%s of %s reports: %.300s", pragma, schema, b.p ? b.p : ""),
			    "the database is damaged; take a backup with litecon backup and restore from a good one");
		buf_free(&b);
	}
}

/* ---- output ---- */

static void print_text(FILE *out, const findings *fs)
{
	int errs = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const finding *f = &fs->f[i];
		buf m = { 0 }, s = { 0 };
		esc_display(&m, f->message, strlen(f->message), 0);
		esc_display(&s, f->subject, strlen(f->subject), 0);
		fprintf(out, "%-7s %-14s %s\n        -> %s\n", f->sev == SEV_ERROR ? "ERROR" : "WARNING", s.p, m.p, f->suggestion);
		errs += f->sev == SEV_ERROR;
		buf_free(&m);
		buf_free(&s);
	}
	if (fs->n)
		fprintf(out, "%zu problem%s found (%d error%s, %zu warning%s)\n", fs->n, fs->n == 1 ? "" : "s", errs,
		       errs == 1 ? "" : "s", fs->n - (size_t)errs, fs->n - (size_t)errs == 1 ? "" : "s");
	else
		fprintf(out, "healthy: no problems found\n");
}

static void jstr(buf *b, const char *key, const char *val, int comma)
{
	buf_addf(b, "%s\"%s\":\"", comma ? "," : "", key);
	esc_json(b, val, strlen(val));
	buf_addc(b, '"');
}

static void print_json(FILE *out, const findings *fs, const char *target)
{
	buf b = { 0 };
	buf_addf(&b, "{\"schema_version\":1,\"healthy\":%s", fs->n ? "false" : "true");
	jstr(&b, "target", target, 1);
	buf_adds(&b, ",\"findings\":[");
	for (size_t i = 0; i < fs->n; i++) {
		const finding *f = &fs->f[i];
		buf_adds(&b, i ? ",{" : "{");
		jstr(&b, "severity", sev_name[f->sev], 0);
		jstr(&b, "check", f->check, 1);
		jstr(&b, "subject", f->subject, 1);
		jstr(&b, "message", f->message, 1);
		jstr(&b, "suggestion", f->suggestion, 1);
		buf_addc(&b, '}');
	}
	buf_adds(&b, "]}\n");
	fwrite(b.p, 1, b.len, out);
	buf_free(&b);
}

int check_run(FILE *out, const cli *o, conn *c)
{
	inspect_opts io = { .orders_table = o->orders, .latest = 1, .stale_s = 300, .openers = 1 };
	inspect_report *r;
	lc_err e = { 0 };
	findings fs = { .o = o };
	if (conn_inspect(c, &io, &r, &e) < 0) {
		esc_message(stderr, e.msg);
		return e.code;
	}
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
		rules[i](&fs, r);
	rule_integrity(&fs, c);
	inspect_free(r);
	if (conn_interrupted()) {
		fprintf(stderr, "litecon: cancelled\n");
		return LC_ECANCEL;
	}
	if (o->json)
		print_json(out, &fs, o->target);
	else
		print_text(out, &fs);
	for (size_t i = 0; i < fs.n; i++) {
		free(fs.f[i].check);
		free(fs.f[i].subject);
		free(fs.f[i].message);
		free(fs.f[i].suggestion);
	}
	free(fs.f);
	return fs.n ? LC_ESQL : 0;
}

void check_rules(const cli *o, const inspect_report *r, check_cb cb, void *ctx)
{
	findings fs = { .o = o };
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
		rules[i](&fs, r);
	for (size_t i = 0; i < fs.n; i++) {
		cb(ctx, fs.f[i].sev == SEV_ERROR, fs.f[i].check, fs.f[i].message);
		free(fs.f[i].check);
		free(fs.f[i].subject);
		free(fs.f[i].message);
		free(fs.f[i].suggestion);
	}
	free(fs.f);
}

int check_main(const cli *o, conn *c)
{
	return check_run(stdout, o, c);
}
