/*
 * dash.c: the dashboard view: five panes drawn from the latest inspection
 * (Orders, Queue, WAL, Sequences, Openers), each a list with a cursor;
 * Tab moves the focus, Enter drills in (an order's detail with its items,
 * a queue's ready and failed jobs, a file's tables, a sequence's table,
 * an opener's row). The panes are a table.
 */
#define _GNU_SOURCE
#include "tui_app.h"
#include "tui_draw.h"
#include "sqlval.h"
#include "stats.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pcol {
	const char *col;     /* the section's column */
	const char *label;
	int width;           /* 0: what is left */
	int right;           /* right-aligned */
} pcol;

typedef struct pane pane;
struct pane {
	const char *name;
	const char *section;
	const pcol *cols;
	int ncols;
	void (*summary)(app *a, int y, int x, int w);   /* a first line, or NULL */
	void (*enter)(app *a, const isect *s, size_t row, int failed);
};

typedef struct dash {
	int focus;
	size_t cur[5], top[5];
} dash;

/* ---- cells ---- */

static double num(const isect *s, size_t row, const char *col)
{
	const lc_value *v = s ? isect_get(s, row, col) : NULL;
	return !v ? 0 : v->type == LC_INT ? (double)v->i : v->type == LC_REAL ? v->r : 0;
}

static char *text(const isect *s, size_t row, const char *col)
{
	const lc_value *v = s ? isect_get(s, row, col) : NULL;
	if (!v || v->type == LC_NULL)
		return xstrdup("");
	buf b = { 0 };
	tui_value_text(&b, v, 512);
	return b.p ? b.p : xstrdup("");
}

static void draw_cell(int y, int x, int w, const char *col, const lc_value *v, int right, int el)
{
	static const lc_value none = { LC_NULL, 0, 0, NULL, 0 };
	buf b = { 0 };
	stats_cell(&b, col, v ? v : &none);
	const char *p = b.p ? b.p : "";
	if (right)
		draw_right(y, x, w, p, el);
	else
		draw_str(y, x, w, p, el);
	buf_free(&b);
}

/* ---- summaries ---- */

static void orders_summary(app *a, int y, int x, int w)
{
	const isect *s = inspect_find(app_report(a), "orders");
	if (!s || s->absent || !s->nrows) {
		draw_str(y, x, w, s && s->absent ? s->absent : "no orders table", TH_dim);
		return;
	}
	draw_fmt(y, x, w, TH_normal, "%.1f/min  last hour %.0f  last day %.0f  latest #%.0f", num(s, 0, "per_minute"),
		 num(s, 0, "last_hour"), num(s, 0, "last_day"), num(s, 0, "latest_id"));
}

static void queue_summary(app *a, int y, int x, int w)
{
	const isect *q = inspect_find(app_report(a), "queues"), *p = inspect_find(app_report(a), "processes");
	if (!q || q->absent) {
		draw_str(y, x, w, q && q->absent ? q->absent : "no Solid Queue tables", TH_dim);
		return;
	}
	double depth = 0, failed = 0;
	int stale = 0;
	for (size_t i = 0; i < q->nrows; i++)
		depth += num(q, i, "ready"), failed += num(q, i, "failed");
	for (size_t i = 0; p && !p->absent && i < p->nrows; i++)
		stale += num(p, i, "stale") != 0;
	int used = draw_fmt(y, x, w, TH_normal, "depth %.0f  failed %.0f  workers %zu%s  ", depth, failed,
			    p && !p->absent ? p->nrows : 0, stale ? " (stale!)" : "");
	const double *v;
	int n = app_series(a, "queue", &v);
	if (n && w - used > 4)
		draw_spark(y, x + used, w - used, v, n, TH_spark);
}

/* ---- drill-ins ---- */

static void enter_order(app *a, const isect *s, size_t row, int failed)
{
	(void)failed;
	char *id = text(s, row, "id"), title[160];
	const char *t = app_orders_table(a);
	snprintf(title, sizeof title, "order %s", id);
	char *sql = sql_printf("SELECT * FROM main.\"%w\" WHERE id = %Q", t, id);
	char *items = sql_printf("SELECT * FROM main.order_items WHERE order_id = %Q ORDER BY id", id);
	app_push(a, detail_query(a, title, sql, items));
	free(id);
}

static void enter_queue(app *a, const isect *s, size_t row, int failed)
{
	const char *qs = app_queue_schema(a);
	char *q = text(s, row, "queue"), title[200];
	if (!qs || !*q) {
		free(q);
		return;
	}
	static const char *const ready =
		"SELECT 'ready' AS state, j.id, j.class_name, j.priority, j.created_at, NULL AS error "
		"FROM \"%w\".solid_queue_ready_executions r JOIN \"%w\".solid_queue_jobs j ON j.id = r.job_id "
		"WHERE r.queue_name = %Q ";
	static const char *const failed_q =
		"SELECT 'failed' AS state, j.id, j.class_name, j.priority, j.created_at, substr(f.error, 1, 300) AS error "
		"FROM \"%w\".solid_queue_failed_executions f JOIN \"%w\".solid_queue_jobs j ON j.id = f.job_id "
		"WHERE j.queue_name = %Q ";
	char *a1 = sql_printf(ready, qs, qs, q), *a2 = sql_printf(failed_q, qs, qs, q);
	char *sql = failed ? xasprintf("%s ORDER BY j.id DESC LIMIT 5000", a2)
			   : xasprintf("SELECT * FROM (%s UNION ALL %s) ORDER BY state DESC, id LIMIT 5000", a1, a2);
	snprintf(title, sizeof title, "queue %s: %s jobs", q, failed ? "failed" : "ready and failed");
	app_push(a, grid_sql(a, title, sql));
	free(a1), free(a2), free(q);
}

static void enter_file(app *a, const isect *s, size_t row, int failed)
{
	(void)failed;
	char *schema = text(s, row, "schema");
	app_push(a, tables_new(a, schema));
	free(schema);
}

static void enter_sequence(app *a, const isect *s, size_t row, int failed)
{
	(void)failed;
	char *schema = text(s, row, "schema"), *table = text(s, row, "table");
	app_push(a, grid_table(a, schema, table, 1));
	free(schema), free(table);
}

static void enter_row(app *a, const isect *s, size_t row, int failed)
{
	(void)failed;
	tres *r = tres_from_isect(s);
	char title[160];
	snprintf(title, sizeof title, "%s row %zu", s->name, row + 1);
	app_push(a, detail_new(a, title, r, row, NULL));
	tres_free(r);
}

/* ---- the panes ---- */

static const pcol orders_cols[] = {
	{ "id", "id", 9, 1 }, { "status", "status", 11, 0 }, { "total", "total", 10, 1 }, { "created_at", "created", 0, 0 },
};
static const pcol queue_cols[] = {
	{ "queue", "queue", 12, 0 }, { "ready", "ready", 6, 1 }, { "latency_s", "latency", 8, 1 },
	{ "scheduled_due", "sched", 6, 1 }, { "claimed", "claim", 6, 1 }, { "blocked", "block", 6, 1 },
	{ "failed", "failed", 7, 1 },
};
static const pcol wal_cols[] = {
	{ "schema", "db", 8, 0 }, { "size_bytes", "size", 9, 1 }, { "wal_bytes", "wal", 9, 1 },
	{ "wal_frames", "frames", 7, 1 }, { "wal_backfilled", "backfill", 9, 1 }, { "journal_mode", "mode", 5, 0 },
};
static const pcol seq_cols[] = {
	{ "schema", "db", 7, 0 }, { "table", "table", 20, 0 }, { "seq", "seq", 9, 1 }, { "max_id", "max(id)", 9, 1 },
	{ "rows", "rows", 9, 1 }, { "missing_top", "missing", 8, 1 },
};
static const pcol opener_cols[] = {
	{ "schema", "db", 8, 0 }, { "file", "file", 5, 0 }, { "pid", "pid", 8, 1 }, { "user", "user", 10, 0 },
	{ "container", "container", 13, 0 }, { "command", "command", 0, 0 },
};

#define N(a) ((int)(sizeof a / sizeof *a))
static const pane panes[] = {
	{ "Orders", "orders_latest", orders_cols, N(orders_cols), orders_summary, enter_order },
	{ "Queue", "queues", queue_cols, N(queue_cols), queue_summary, enter_queue },
	{ "WAL", "files", wal_cols, N(wal_cols), NULL, enter_file },
	{ "Sequences", "sequences", seq_cols, N(seq_cols), NULL, enter_sequence },
	{ "Openers", "openers", opener_cols, N(opener_cols), NULL, enter_row },
};
#define NPANES N(panes)

void dash_focus(view *v, const char *name)
{
	dash *d = v->st;
	for (int i = 0; i < NPANES; i++)
		if (strcmp(panes[i].name, name) == 0)
			d->focus = i;
}

static int row_el(const pane *p, const isect *s, size_t row)
{
	if (p->cols == seq_cols && num(s, row, "missing_top") > 0)
		return TH_crit;
	if (p->cols == queue_cols && num(s, row, "failed") > 0)
		return TH_warn;
	if (p->cols == wal_cols) {
		const lc_value *m = isect_get(s, row, "journal_mode");
		if (m && m->type == LC_TEXT && (m->n != 3 || memcmp(m->p, "wal", 3) != 0))
			return TH_warn;
	}
	return TH_normal;
}

static void draw_header(const pane *p, int y, int x, int w)
{
	for (int c = 0, cx = x; c < p->ncols && cx < x + w; c++) {
		int cw = p->cols[c].width ? p->cols[c].width : x + w - cx;
		if (cx + cw > x + w)
			cw = x + w - cx;
		if (p->cols[c].right)
			draw_right(y, cx, cw - 1, p->cols[c].label, TH_header);
		else
			draw_str(y, cx, cw - 1, p->cols[c].label, TH_header);
		cx += cw;
	}
}

static void draw_row(app *a, const pane *p, const isect *s, size_t row, int y, int x, int w, int sel)
{
	int el = sel ? TH_select : row_el(p, s, row);
	if (sel)
		draw_fill(y, x, w, el);
	int cx = x;
	for (int c = 0; c < p->ncols && cx < x + w; c++) {
		int cw = p->cols[c].width ? p->cols[c].width : x + w - cx;
		if (cx + cw > x + w)
			cw = x + w - cx;
		draw_cell(y, cx, cw - 1, p->cols[c].col, isect_get(s, row, p->cols[c].col), p->cols[c].right, el);
		cx += cw;
	}
	if (p->cols == wal_cols && cx < x + w - 4) {  /* the WAL's sparkline */
		char key[80];
		char *schema = text(s, row, "schema");
		snprintf(key, sizeof key, "wal:%s", schema);
		free(schema);
		const double *v;
		int n = app_series(a, key, &v);
		if (n)
			draw_spark(y, cx, x + w - cx, v, n, sel ? el : TH_spark);
	}
}

/* Below the queues: the Solid Queue processes and their heartbeats. */
static void draw_workers(app *a, int y, int x, int w, int h)
{
	const isect *p = inspect_find(app_report(a), "processes");
	if (!p || p->absent || h < 2 || !p->nrows)
		return;
	draw_str(y, x, w, "process      name                  pid  heartbeat", TH_header);
	for (size_t i = 0; i < p->nrows && (int)i < h - 1; i++) {
		char *kind = text(p, i, "kind"), *name = text(p, i, "name");
		int stale = num(p, i, "stale") != 0;
		draw_fmt(y + 1 + (int)i, x, w, stale ? TH_warn : TH_normal, "%-12.12s %-18.18s %8.0f  %.0fs ago%s", kind, name,
			 num(p, i, "pid"), num(p, i, "heartbeat_age_s"), stale ? "  STALE" : "");
		free(kind), free(name);
	}
}

/* The rows of s that match the dashboard's filter (all without one), as
 * indexes into vis (at most max); returns how many. */
static size_t visible(const isect *s, const char *filter, size_t *vis, size_t max)
{
	size_t n = 0;
	for (size_t r = 0; s && r < s->nrows && n < max; r++) {
		int hit = !filter[0];
		for (int c = 0; !hit && c < s->ncol; c++)
			hit = tui_match(&s->cells[r * (size_t)s->ncol + (size_t)c], filter);
		if (hit)
			vis[n++] = r;
	}
	return n;
}

#define MAXVIS 4096

static void draw_pane(app *a, dash *d, const char *filter, int i, int y, int x, int h, int w)
{
	const pane *p = &panes[i];
	const isect *s = inspect_find(app_report(a), p->section);
	char title[80];
	snprintf(title, sizeof title, "%s%s%.40s", p->name, filter[0] ? "  /" : "", filter);
	draw_frame(y, x, h, w, title, d->focus == i);
	int iy = y + 1, ih = h - 2, ix = x + 1, iw = w - 2;
	if (p->summary && ih > 0) {
		p->summary(a, iy, ix, iw);
		iy++, ih--;
	}
	if (!s || s->absent || ih < 2) {
		if (!p->summary && ih > 0)
			draw_str(iy, ix, iw, !app_report(a) ? "reading..." : s && s->absent ? s->absent : "nothing to show", TH_dim);
		return;
	}
	draw_header(p, iy, ix, iw);
	iy++, ih--;
	static size_t vis[MAXVIS];
	size_t n = visible(s, filter, vis, MAXVIS);
	if (!n)
		draw_str(iy, ix, iw, filter[0] ? "nothing matches the filter" : s->note ? s->note : "none", TH_dim);
	if (d->cur[i] >= n)
		d->cur[i] = n ? n - 1 : 0;
	if (d->cur[i] < d->top[i])
		d->top[i] = d->cur[i];
	if (d->cur[i] >= d->top[i] + (size_t)ih)
		d->top[i] = d->cur[i] - (size_t)ih + 1;
	for (size_t r = d->top[i]; r < n && iy < y + h - 1; r++, iy++)
		draw_row(a, p, s, vis[r], iy, ix, iw, d->focus == i && r == d->cur[i]);
	if (p->cols == queue_cols)
		draw_workers(a, iy, ix, iw, y + h - 1 - iy);
}

static void d_draw(app *a, view *v, int y, int x, int h, int w)
{
	dash *d = v->st;
	int h1 = h * 40 / 100 > 8 ? h * 40 / 100 : 8, h2 = h * 30 / 100 > 6 ? h * 30 / 100 : 6, h3 = h - h1 - h2;
	int w1 = w / 2;
	draw_pane(a, d, v->filter, 0, y, x, h1, w1);
	draw_pane(a, d, v->filter, 1, y, x + w1, h1, w - w1);
	draw_pane(a, d, v->filter, 2, y + h1, x, h2, w1);
	draw_pane(a, d, v->filter, 3, y + h1, x + w1, h2, w - w1);
	draw_pane(a, d, v->filter, 4, y + h1 + h2, x, h3, w);
}

static int d_key(app *a, view *v, int action, int key)
{
	dash *d = v->st;
	const isect *s = inspect_find(app_report(a), panes[d->focus].section);
	static size_t vis[MAXVIS];
	size_t n = s && !s->absent ? visible(s, v->filter, vis, MAXVIS) : 0;
	(void)key;
	switch (action) {
	case A_NEXT_PANE:
		d->focus = (d->focus + 1) % NPANES;
		return VK_DONE;
	case A_PREV_PANE:
		d->focus = (d->focus + NPANES - 1) % NPANES;
		return VK_DONE;
	case A_UP:
		d->cur[d->focus] -= d->cur[d->focus] > 0;
		return VK_DONE;
	case A_DOWN:
		d->cur[d->focus] += d->cur[d->focus] + 1 < n;
		return VK_DONE;
	case A_HOME:
		d->cur[d->focus] = 0;
		return VK_DONE;
	case A_END:
		d->cur[d->focus] = n ? n - 1 : 0;
		return VK_DONE;
	case A_ENTER:
	case A_FAILED:
		if (n)
			panes[d->focus].enter(a, s, vis[d->cur[d->focus] < n ? d->cur[d->focus] : n - 1], action == A_FAILED);
		return VK_DONE;
	}
	return VK_PASS;
}

static void d_filter(app *a, view *v, const char *text)
{
	dash *d = v->st;
	(void)a, (void)text;  /* v->filter holds it; the panes apply it as they draw */
	memset(d->cur, 0, sizeof d->cur);
	memset(d->top, 0, sizeof d->top);
}

static void d_free(view *v)
{
	free(v->st);
}

static const view_class dash_class = {
	.name = "dashboard", .ctx = KC_DASH, .draw = d_draw, .key = d_key, .filter = d_filter, .free = d_free,
};

view *dash_new(app *a)
{
	(void)a;
	return view_new(&dash_class, xcalloc(1, sizeof(dash)), "dashboard");
}
