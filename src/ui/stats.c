/*
 * stats.c: `litecon stats`: an inspection report as aligned text with
 * human units, as JSON (schema: docs/stats-json.md) or as Prometheus text
 * exposition. The text columns per section and the metric names are tables.
 */
#define _GNU_SOURCE
#include "stats.h"
#include "grid.h"
#include "sqlval.h"
#include "textesc.h"

#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- text ---- */

static const struct {
	const char *section;
	const char *title;
	const char *cols[10];
} text_cols[] = {
	{ "files", "Files", { "schema", "journal_mode", "size_bytes", "wal_bytes", "wal_frames", "wal_backfilled",
			      "shm_bytes", "freelist_count", "path" } },
	{ "orders", "Orders", { "table", "latest_id", "last_minute", "last_hour", "last_day", "per_minute" } },
	{ "orders_latest", "Latest orders", { "id", "status", "total", "created_at" } },
	{ "queues", "Queues", { "queue", "paused", "ready", "latency_s", "scheduled_due", "scheduled_future",
				"claimed", "blocked", "failed" } },
	{ "processes", "Queue processes", { "kind", "name", "hostname", "pid", "heartbeat_age_s", "stale" } },
	{ "sequences", "Sequences (ids handed out vs rows present)",
	  { "schema", "table", "seq", "max_id", "rows", "missing_top" } },
	{ "openers", "Processes with the files open", { "schema", "file", "pid", "command", "user", "container" } },
};

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && strcmp(s + n - k, suf) == 0;
}

static void human_bytes(buf *b, double v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	while (v >= 1024 && u < 4)
		v /= 1024, u++;
	buf_addf(b, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void human_secs(buf *b, double s)
{
	long t = (long)llround(s);
	if (t < 60)
		buf_addf(b, "%lds", t);
	else if (t < 3600)
		buf_addf(b, "%ldm%02lds", t / 60, t % 60);
	else if (t < 86400)
		buf_addf(b, "%ldh%02ldm", t / 3600, t % 3600 / 60);
	else
		buf_addf(b, "%ldd%02ldh", t / 86400, t % 86400 / 3600);
}

int stats_cell(buf *b, const char *col, const lc_value *v)
{
	size_t at = b->len;
	double num = v->type == LC_INT ? (double)v->i : v->r;
	char tmp[SQLVAL_REAL_MAX];
	if (v->type == LC_NULL)
		buf_adds(b, "-");
	else if ((v->type == LC_INT || v->type == LC_REAL) && ends_with(col, "_bytes"))
		human_bytes(b, num);
	else if ((v->type == LC_INT || v->type == LC_REAL) && ends_with(col, "_s"))
		human_secs(b, num);
	else if (v->type == LC_INT && (!strcmp(col, "paused") || !strcmp(col, "stale")))
		buf_adds(b, v->i ? "yes" : "no");
	else if (v->type == LC_INT && v->i == INSPECT_CAP + 1)
		buf_addf(b, "%d+", INSPECT_CAP);
	else if (v->type == LC_INT)
		buf_addf(b, "%" PRId64, v->i);
	else if (v->type == LC_REAL)
		buf_add(b, tmp, (size_t)sqlval_real_text(v->r, tmp));
	else
		return esc_display(b, v->p, v->n, 0);
	return (int)(b->len - at);
}

/* Header text: the column name without its unit suffix. */
static char *header_of(const char *col)
{
	static const char *const suf[] = { "_bytes", "_s", "_at" };
	for (size_t i = 0; i < sizeof suf / sizeof *suf; i++)
		if (ends_with(col, suf[i]) && strcmp(col, "created_at") != 0)
			return xstrndup(col, strlen(col) - strlen(suf[i]));
	return xstrdup(col);
}

static void text_section(FILE *out, const isect *s, const char *title, const char *const *cols)
{
	int n = 0;
	while (n < 10 && cols[n])
		n++;
	fprintf(out, "%s\n", title);
	if (s->absent) {
		buf b = { 0 };
		esc_display(&b, s->absent, strlen(s->absent), 0);
		fprintf(out, "  absent: %s\n\n", b.p);
		buf_free(&b);
		return;
	}
	char **names = xcalloc((size_t)n, sizeof *names);
	for (int i = 0; i < n; i++)
		names[i] = header_of(cols[i]);
	grid *g = grid_new(GRID_PLAIN, n, (const char *const *)names, 1);
	buf b = { 0 };
	for (size_t r = 0; r < s->nrows; r++)
		for (int i = 0; i < n; i++) {
			const lc_value *v = isect_get(s, r, cols[i]);
			lc_value none = { .type = LC_NULL };
			buf_reset(&b);
			int w = stats_cell(&b, cols[i], v ? v : &none);
			grid_cell(g, b.p, b.len, w, v && (v->type == LC_INT || v->type == LC_REAL) &&
							    strcmp(cols[i], "paused") && strcmp(cols[i], "stale"));
		}
	if (s->nrows)
		grid_print(g, out);
	else
		fputs("  (none)\n", out);
	if (s->note) {  /* a note may quote names, and a helper sends any bytes */
		buf_reset(&b);
		esc_display(&b, s->note, strlen(s->note), 0);
		fprintf(out, "  note: %s\n", b.p ? b.p : "");
	}
	fputc('\n', out);
	grid_free(g);
	buf_free(&b);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void stats_text(FILE *out, const inspect_report *r)
{
	char when[32];
	time_t t = (time_t)r->taken_at;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&t));
	fprintf(out, "litecon stats at %s\n\n", when);
	for (size_t i = 0; i < sizeof text_cols / sizeof *text_cols; i++) {
		const isect *s = inspect_find(r, text_cols[i].section);
		if (s)
			text_section(out, s, text_cols[i].title, text_cols[i].cols);
	}
}

/* ---- JSON ---- */

static void json_str(buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	esc_json(b, s, n);
	buf_addc(b, '"');
}

static void json_val(buf *b, const lc_value *v)
{
	char tmp[SQLVAL_REAL_MAX];
	switch (v->type) {
	case LC_NULL: buf_adds(b, "null"); break;
	case LC_INT: buf_addf(b, "%" PRId64, v->i); break;
	case LC_REAL: buf_add(b, tmp, (size_t)sqlval_real_json(v->r, tmp)); break;
	default: json_str(b, v->p, v->n);
	}
}

static void json_section(buf *b, const isect *s)
{
	if (s->absent) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '[');
	for (size_t r = 0; r < s->nrows; r++) {
		buf_adds(b, r ? ",{" : "{");
		for (int c = 0; c < s->ncol; c++) {
			if (c)
				buf_addc(b, ',');
			json_str(b, s->cols[c], strlen(s->cols[c]));
			buf_addc(b, ':');
			json_val(b, &s->cells[r * (size_t)s->ncol + (size_t)c]);
		}
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* Object of section name -> text for absent or note, or nothing. */
static void json_texts(buf *b, const inspect_report *r, const char *key, int absent)
{
	int n = 0;
	buf_addf(b, ",\"%s\":{", key);
	for (int i = 0; i < r->nsect; i++) {
		const char *t = absent ? r->sect[i]->absent : r->sect[i]->note;
		if (!t)
			continue;
		buf_adds(b, n++ ? "," : "");
		json_str(b, r->sect[i]->name, strlen(r->sect[i]->name));
		buf_addc(b, ':');
		json_str(b, t, strlen(t));
	}
	buf_addc(b, '}');
}

void stats_json(FILE *out, const inspect_report *r, const char *target)
{
	buf b = { 0 };
	char when[32];
	time_t t = (time_t)r->taken_at;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	buf_addf(&b, "{\"schema_version\":1,\"litecon\":\"%s\",\"target\":", LC_VERSION);
	json_str(&b, target, strlen(target));
	buf_addf(&b, ",\"taken_at\":\"%s\"", when);
	for (int i = 0; i < r->nsect; i++) {
		buf_addc(&b, ',');
		json_str(&b, r->sect[i]->name, strlen(r->sect[i]->name));
		buf_addc(&b, ':');
		json_section(&b, r->sect[i]);
	}
	json_texts(&b, r, "absent", 1);
	json_texts(&b, r, "notes", 0);
	buf_adds(&b, "}\n");
	fwrite(b.p, 1, b.len, out);
	buf_free(&b);
}

/* ---- the command ---- */

static inspect_opts opts_of(const cli *o)
{
	return (inspect_opts){ .orders_table = o->orders, .latest = o->latest, .stale_s = 300, .openers = 1 };
}

static void print_report(const cli *o, const inspect_report *r)
{
	if (o->prometheus)
		stats_prometheus(stdout, r, o->target);
	else if (o->json)
		stats_json(stdout, r, o->target);
	else
		stats_text(stdout, r);
	fflush(stdout);
}

int stats_main(const cli *o, conn *c)
{
	inspect_opts io = opts_of(o);
	for (;;) {
		inspect_report *r;
		lc_err e = { 0 };
		if (conn_inspect(c, &io, &r, &e) < 0) {
			esc_message(stderr, e.msg);
			return e.code == LC_ECANCEL && o->watch ? 0 : e.code;
		}
		print_report(o, r);
		inspect_free(r);
		if (!o->watch)
			return 0;
		struct timespec ts = { o->watch, 0 };
		while (nanosleep(&ts, &ts) < 0 && !conn_interrupted())
			;
		if (conn_interrupted())
			return 0;
		if (!o->json && !o->prometheus)
			fputs("\n", stdout);
	}
}
