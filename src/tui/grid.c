/*
 * grid.c: the grid view. Two sources: a table, read in pages of PAGE rows
 * with keyset paging on (sort column, rowid), never OFFSET, so the last
 * page of a million rows costs what the first does; and a query's result
 * (its first 10000 rows). Column widths come from the content; Left/Right
 * move the current column and scroll; `s`/`S` sort by it (the table on the
 * host; a result here); `/` filters (a table on the host, a result here);
 * Enter shows the row's detail. No read outlives its page: each page is one
 * statement, so nothing holds a snapshot while a person reads.
 */
#define _GNU_SOURCE
#include "tui_app.h"
#include "tui_draw.h"
#include "sqlval.h"
#include "util.h"

#include <curses.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 500
#define MAXW 40

enum { G_SQL, G_TABLE };
enum { P_FIRST, P_NEXT, P_PREV, P_LAST };

typedef struct grid {
	int kind;
	tres *r;                /* owned: the page or the result */
	size_t *vis, nvis;      /* rows shown (a result's filter and sort) */
	size_t cur, top;
	int ccol, left;         /* current and first shown column */
	int *width;             /* owned, per column */
	int hidden;             /* leading key columns not shown (tables) */
	char *schema, *table;   /* owned: G_TABLE */
	char *sql;              /* owned: G_SQL */
	int sort_col;           /* -1: by rowid */
	int desc;
	int at_start, at_end;
	int pending;            /* the page asked for */
	long page_no;           /* pages from the start (>= 0) or from the end (< 0) */
	char err[LC_ERRLEN];
} grid;

static grid *G(view *v)
{
	return v->st;
}

/* ---- widths and the visible rows ---- */

static void measure(grid *g)
{
	tres *r = g->r;
	free(g->width);
	g->width = xcalloc((size_t)r->ncol + 1, sizeof *g->width);
	buf b = { 0 };
	for (int c = 0; c < r->ncol; c++) {
		int w = draw_width(r->names[c], strlen(r->names[c]));
		for (size_t i = 0; i < r->nrows && i < 2000 && w < MAXW; i++) {
			buf_reset(&b);
			tui_value_text(&b, tres_cell(r, i, c), 200);
			int cw = draw_width(b.p ? b.p : "", b.len);
			w = cw > w ? cw : w;
		}
		g->width[c] = w < 3 ? 3 : w > MAXW ? MAXW : w;
	}
	buf_free(&b);
}

static void all_rows(grid *g)
{
	free(g->vis);
	g->nvis = g->r ? g->r->nrows : 0;
	g->vis = xcalloc(g->nvis + 1, sizeof *g->vis);
	for (size_t i = 0; i < g->nvis; i++)
		g->vis[i] = i;
}

/* A result's filter: rows with a cell containing text. */
static void filter_rows(grid *g, const char *text)
{
	all_rows(g);
	if (!text || !*text || !g->r)
		return;
	size_t n = 0;
	for (size_t i = 0; i < g->r->nrows; i++)
		for (int c = 0; c < g->r->ncol; c++)
			if (tui_match(tres_cell(g->r, i, c), text)) {
				g->vis[n++] = i;
				break;
			}
	g->nvis = n;
}

/* SQLite's order: NULL < numbers < text < blob. */
static int vcmp(const lc_value *a, const lc_value *b)
{
	static const int rank[] = { 0, 1, 1, 2, 3 };
	if (rank[a->type] != rank[b->type])
		return rank[a->type] - rank[b->type];
	if (a->type == LC_INT || a->type == LC_REAL) {
		double x = a->type == LC_INT ? (double)a->i : a->r, y = b->type == LC_INT ? (double)b->i : b->r;
		return x < y ? -1 : x > y;
	}
	if (a->type == LC_NULL)
		return 0;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->p, b->p, n);
	return c ? c : a->n < b->n ? -1 : a->n > b->n;
}

static const grid *sorting;
static int row_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = vcmp(tres_cell(sorting->r, a, sorting->sort_col), tres_cell(sorting->r, b, sorting->sort_col));
	c = c ? c : a < b ? -1 : a > b;
	return sorting->desc ? -c : c;
}

static void sort_rows(grid *g)
{
	if (g->sort_col < 0 || !g->r || g->sort_col >= g->r->ncol)
		return;
	sorting = g;
	qsort(g->vis, g->nvis, sizeof *g->vis, row_cmp);
	sorting = NULL;
}

/* ---- pages of a table ---- */

static void literal(buf *b, const lc_value *v)
{
	static const char hex[] = "0123456789abcdef";
	char *q;
	switch (v->type) {
	case LC_NULL:
		buf_adds(b, "NULL");
		break;
	case LC_INT:
		buf_addf(b, "%" PRId64, v->i);
		break;
	case LC_REAL:
		buf_addf(b, "%.17g", v->r);
		break;
	case LC_TEXT:
		q = sql_printf("%Q", v->p);
		buf_adds(b, q);
		free(q);
		break;
	default:
		buf_adds(b, "X'");
		for (size_t i = 0; i < v->n; i++)
			buf_addc(b, hex[(unsigned char)v->p[i] >> 4]), buf_addc(b, hex[(unsigned char)v->p[i] & 15]);
		buf_addc(b, '\'');
	}
}

/* The keyset condition for the rows after (forward) the row at idx. */
static void after(grid *g, buf *b, size_t idx, int desc)
{
	const lc_value *k = tres_cell(g->r, idx, 0);
	const char *gt = desc ? "<" : ">";
	if (g->sort_col < 0) {
		buf_addf(b, "rowid %s ", gt);
		literal(b, k);
		return;
	}
	const lc_value *v = tres_cell(g->r, idx, g->sort_col);
	char *c = sql_printf("\"%w\"", g->r->names[g->sort_col]);
	if (v->type == LC_NULL) {
		buf_addf(b, desc ? "(%s IS NULL AND rowid < " : "((%s IS NULL AND rowid > ", c);
		literal(b, k);
		buf_addf(b, desc ? ")" : ") OR %s IS NOT NULL)", c);
	} else {
		buf_addf(b, "(%s %s ", c, gt);
		literal(b, v);
		buf_addf(b, " OR (%s = ", c);
		literal(b, v);
		buf_addf(b, " AND rowid %s ", gt);
		literal(b, k);
		buf_addf(b, desc ? ") OR %s IS NULL)" : "))", c);
	}
	free(c);
}

/* The filter on the host: any column's text contains it. */
static void where_filter(grid *g, view *v, buf *b, const tcat_table *t)
{
	if (!v->filter[0] || !t || !t->ncols)
		return;
	buf_adds(b, "(");
	for (int c = 0; c < t->ncols; c++) {
		char *q = sql_printf("%sinstr(lower(CAST(\"%w\" AS TEXT)), lower(%Q)) > 0", c ? " OR " : "", t->cols[c], v->filter);
		buf_adds(b, q);
		free(q);
	}
	buf_adds(b, ")");
	(void)g;
}

static char *page_sql(app *a, view *v, int which)
{
	grid *g = G(v);
	int desc = g->desc ^ (which == P_PREV || which == P_LAST);
	buf w = { 0 }, b = { 0 };
	where_filter(g, v, &w, tcat_find(app_catalog(a), g->schema, g->table));
	if ((which == P_NEXT || which == P_PREV) && g->r && g->r->nrows) {
		if (w.len)
			buf_adds(&w, " AND ");
		after(g, &w, which == P_NEXT ? g->r->nrows - 1 : 0, desc);
	}
	char *from = sql_printf("SELECT rowid AS rowid, * FROM \"%w\".\"%w\"", g->schema, g->table);
	buf_adds(&b, from);
	free(from);
	if (w.len)
		buf_addf(&b, " WHERE %s", w.p);
	const char *dir = desc ? "DESC" : "ASC";
	if (g->sort_col >= 0) {
		char *c = sql_printf("\"%w\"", g->r->names[g->sort_col]);
		buf_addf(&b, " ORDER BY %s %s, rowid %s", c, dir, dir);
		free(c);
	} else {
		buf_addf(&b, " ORDER BY rowid %s", dir);
	}
	buf_addf(&b, " LIMIT %d", PAGE + 1);
	buf_free(&w);
	return b.p;
}

static void fetch(app *a, view *v, int which)
{
	grid *g = G(v);
	g->pending = which;
	app_query(a, v, page_sql(a, v, which), PAGE + 1, 1);
}

static void page_in(grid *g, tres *r)
{
	int more = r->nrows > PAGE;
	if (more)
		r->nrows--, free((void *)r->cells[r->nrows * (size_t)r->ncol].p);
	for (int c = 1; more && c < r->ncol; c++)
		free((void *)r->cells[r->nrows * (size_t)r->ncol + (size_t)c].p);
	int back = g->pending == P_PREV || g->pending == P_LAST;
	if (back)
		tres_reverse(r);
	static const struct {
		int start, end;  /* -1 keep, 0/1 set, 2 = !more */
	} edge[] = { [P_FIRST] = { 1, 2 }, [P_NEXT] = { 0, 2 }, [P_PREV] = { 2, 0 }, [P_LAST] = { 2, 1 } };
	g->at_start = edge[g->pending].start == 2 ? !more : edge[g->pending].start;
	g->at_end = edge[g->pending].end == 2 ? !more : edge[g->pending].end;
	/* pages counted from the start; from the end after G (negative) */
	static const int step[] = { [P_FIRST] = 0, [P_NEXT] = 1, [P_PREV] = -1, [P_LAST] = 0 };
	g->page_no = g->pending == P_FIRST ? 0 : g->pending == P_LAST ? -1 : g->page_no + step[g->pending];
	g->cur = g->pending == P_PREV || g->pending == P_LAST ? (r->nrows ? r->nrows - 1 : 0) : 0;
	g->top = 0;
}

static void g_done(app *a, view *v, tjob *j)
{
	grid *g = G(v);
	(void)a;
	if (j->rc < 0) {
		snprintf(g->err, sizeof g->err, "%s", j->err.msg);
		return;
	}
	g->err[0] = 0;
	int had_cols = g->r != NULL;
	tres *r = j->res;
	j->res = NULL;
	if (g->kind == G_TABLE)
		page_in(g, r);
	else
		g->cur = g->top = 0;
	if (g->kind == G_TABLE && r->nrows == 0 && g->pending == P_NEXT && g->r) {
		g->at_end = 1;  /* nothing after: keep the page on screen */
		tres_free(r);
		return;
	}
	tres_free(g->r);
	g->r = r;
	if (!had_cols || g->kind == G_SQL)
		measure(g);
	else
		measure(g);
	all_rows(g);
	if (g->kind == G_SQL) {
		filter_rows(g, v->filter);
		sort_rows(g);
	}
	if (g->ccol < g->hidden)
		g->ccol = g->hidden;
}

/* ---- drawing ---- */

static void position(grid *g, view *v, char *out, size_t len)
{
	char sort[100] = "";
	if (g->sort_col >= 0 && g->r)
		snprintf(sort, sizeof sort, "  sorted by %.60s %s", g->r->names[g->sort_col], g->desc ? "desc" : "asc");
	else if (g->kind == G_TABLE && g->desc)
		snprintf(sort, sizeof sort, "  newest first");
	char filt[100] = "";
	if (v->filter[0])
		snprintf(filt, sizeof filt, "  filter /%.60s", v->filter);
	if (g->kind == G_TABLE)
		snprintf(out, len, "row %zu of page %ld%s (%zu rows)%s%s%s%s", g->nvis ? g->cur + 1 : 0,
			 g->page_no >= 0 ? g->page_no + 1 : -g->page_no, g->page_no >= 0 ? "" : " from the end", g->nvis,
			 g->at_start ? "  [start]" : "", g->at_end ? "  [end]" : "", sort, filt);
	else
		snprintf(out, len, "row %zu of %zu%s%s%s", g->nvis ? g->cur + 1 : 0, g->nvis,
			 g->r && g->r->more ? " (first 10000)" : "", sort, filt);
}

static void draw_rows(grid *g, int y, int x, int h, int w)
{
	if (g->cur < g->top)
		g->top = g->cur;
	if (g->cur >= g->top + (size_t)h)
		g->top = g->cur - (size_t)h + 1;
	buf b = { 0 };
	for (size_t i = g->top; i < g->nvis && (int)(i - g->top) < h; i++) {
		int yy = y + (int)(i - g->top), sel = i == g->cur, cx = x;
		if (sel)
			draw_fill(yy, x, w, TH_select);
		for (int c = g->left; c < g->r->ncol && cx < x + w; c++) {
			const lc_value *val = tres_cell(g->r, g->vis[i], c);
			buf_reset(&b);
			tui_value_text(&b, val, 400);
			int el = sel ? TH_select : val->type == LC_NULL ? TH_dim : TH_normal;
			int cw = g->width[c];
			if (val->type == LC_INT || val->type == LC_REAL)
				draw_right(yy, cx, cw < x + w - cx ? cw : x + w - cx, b.p, el);
			else
				draw_text(yy, cx, cw < x + w - cx ? cw : x + w - cx, b.p ? b.p : "", b.len, el);
			cx += cw + 2;
		}
	}
	buf_free(&b);
}

static void g_draw(app *a, view *v, int y, int x, int h, int w)
{
	grid *g = G(v);
	char pos[512];
	(void)a;
	draw_frame(y, x, h, w, v->title, 1);
	y++, x++, h -= 2, w -= 2;
	if (g->err[0]) {
		draw_str(y, x, w, g->err, TH_error);
		y++, h--;
	}
	if (!g->r) {
		draw_str(y, x, w, v->job ? "reading..." : "", TH_dim);
		return;
	}
	if (g->left < g->hidden)
		g->left = g->hidden;
	if (g->ccol < g->left)
		g->left = g->ccol;
	for (int used = 0, c = g->left;; c++) {  /* keep the current column on screen */
		used += g->width[c < g->r->ncol ? c : 0] + 2;
		if (c >= g->ccol || c >= g->r->ncol)
			break;
		if (used > w && g->left < g->ccol)
			g->left++, c = g->left - 1, used = 0;
	}
	for (int c = g->left, cx = x; c < g->r->ncol && cx < x + w; c++) {
		int cw = g->width[c] < x + w - cx ? g->width[c] : x + w - cx;
		draw_str(y, cx, cw, g->r->names[c], c == g->ccol ? TH_focus : TH_header);
		cx += g->width[c] + 2;
	}
	if (v->job)
		snprintf(pos, sizeof pos, "reading...");
	else
		position(g, v, pos, sizeof pos);
	draw_str(y + h - 1, x, w, pos, TH_dim);
	if (g->nvis == 0)
		draw_str(y + 1, x, w, v->filter[0] ? "no rows match the filter" : "no rows", TH_dim);
	else
		draw_rows(g, y + 1, x, h - 2, w);
}

/* ---- keys ---- */

static int move_rows(app *a, view *v, long d)
{
	grid *g = G(v);
	if (v->job)
		return VK_DONE;
	long cur = (long)g->cur + d;
	if (cur >= (long)g->nvis && g->kind == G_TABLE && !g->at_end)
		fetch(a, v, P_NEXT);
	else if (cur < 0 && g->kind == G_TABLE && !g->at_start)
		fetch(a, v, P_PREV);
	else
		g->cur = cur < 0 ? 0 : cur >= (long)g->nvis ? (g->nvis ? g->nvis - 1 : 0) : (size_t)cur;
	return VK_DONE;
}

static void sort_by(app *a, view *v, int desc)
{
	grid *g = G(v);
	if (!g->r || g->ccol < g->hidden)
		return;
	g->desc = desc < 0 ? (g->sort_col == g->ccol ? !g->desc : 0) : desc;
	g->sort_col = g->ccol;
	if (g->kind == G_TABLE) {
		fetch(a, v, P_FIRST);
	} else {
		all_rows(g);
		filter_rows(g, v->filter);
		sort_rows(g);
		g->cur = 0;
	}
}

static void row_detail(app *a, view *v)
{
	grid *g = G(v);
	if (!g->nvis)
		return;
	char title[300];
	snprintf(title, sizeof title, "%s: row %zu", v->title, g->cur + 1);
	app_push(a, detail_new(a, title, g->r, g->vis[g->cur], NULL));
}

static void describe(app *a, view *v)
{
	grid *g = G(v);
	if (g->kind != G_TABLE)
		return;
	char title[300];
	snprintf(title, sizeof title, "%s.%s: schema", g->schema, g->table);
	char *sql = sql_printf("SELECT sql || ';' FROM \"%w\".sqlite_schema WHERE tbl_name = %Q AND sql IS NOT NULL "
			       "ORDER BY type = 'table' DESC, name",
			       g->schema, g->table);
	app_push(a, text_query(a, title, sql));
}

static int g_key(app *a, view *v, int action, int key)
{
	grid *g = G(v);
	int page = LINES - 8 > 1 ? LINES - 8 : 1;
	(void)key;
	if (!g->r && action != A_BACK && action != A_CANCEL)
		return action == A_QUIT || action == A_HELP || action == A_COMMAND ? VK_PASS : VK_DONE;
	switch (action) {
	case A_UP: return move_rows(a, v, -1);
	case A_DOWN: return move_rows(a, v, 1);
	case A_PGUP: return move_rows(a, v, -page);
	case A_PGDN: return move_rows(a, v, page);
	case A_HOME:
		if (g->kind == G_TABLE && !g->at_start)
			fetch(a, v, P_FIRST);
		g->cur = 0;
		return VK_DONE;
	case A_END:
		if (g->kind == G_TABLE && !g->at_end)
			fetch(a, v, P_LAST);
		else
			g->cur = g->nvis ? g->nvis - 1 : 0;
		return VK_DONE;
	case A_LEFT:
		g->ccol -= g->ccol > g->hidden;
		return VK_DONE;
	case A_RIGHT:
		g->ccol += g->ccol + 1 < g->r->ncol;
		return VK_DONE;
	case A_SORT_ASC: sort_by(a, v, -1); return VK_DONE;
	case A_SORT_DESC: sort_by(a, v, 1); return VK_DONE;
	case A_ENTER: row_detail(a, v); return VK_DONE;
	case A_SCHEMA: describe(a, v); return VK_DONE;
	}
	return VK_PASS;
}

static void g_filter(app *a, view *v, const char *text)
{
	grid *g = G(v);
	if (g->kind == G_TABLE) {
		fetch(a, v, P_FIRST);
		return;
	}
	filter_rows(g, text);
	sort_rows(g);
	g->cur = 0;
}

static void g_free(view *v)
{
	grid *g = G(v);
	tres_free(g->r);
	free(g->vis);
	free(g->width);
	free(g->schema), free(g->table), free(g->sql);
	free(g);
}

static const view_class grid_class = {
	.name = "grid", .ctx = KC_LIST, .draw = g_draw, .key = g_key, .done = g_done, .filter = g_filter, .free = g_free,
};

int view_is_grid(const view *v)
{
	return v->cls == &grid_class;
}

const tres *grid_result(view *v)
{
	return view_is_grid(v) ? G(v)->r : NULL;
}

view *grid_table(app *a, const char *schema, const char *table, int newest_first)
{
	const tcat_table *t = tcat_find(app_catalog(a), schema, table);
	char title[300];
	snprintf(title, sizeof title, "%s.%s", schema, table);
	if (t && (t->without_rowid || strcmp(t->type, "view") == 0))  /* no rowid to page by */
		return grid_sql(a, title, sql_printf("SELECT * FROM \"%w\".\"%w\" LIMIT 10000", schema, table));
	grid *g = xcalloc(1, sizeof *g);
	g->kind = G_TABLE;
	g->schema = xstrdup(schema);
	g->table = xstrdup(table);
	g->sort_col = -1;
	g->desc = newest_first;
	g->hidden = 1;
	g->ccol = 1;
	view *v = view_new(&grid_class, g, title);
	fetch(a, v, P_FIRST);
	return v;
}

view *grid_sql(app *a, const char *title, char *sql)
{
	grid *g = xcalloc(1, sizeof *g);
	g->kind = G_SQL;
	g->sql = xstrdup(sql);
	g->sort_col = -1;
	view *v = view_new(&grid_class, g, title);
	app_query(a, v, sql, 10000, 1);
	return v;
}

void grid_set_result(view *v, tres *r)
{
	grid *g = G(v);
	tres_free(g->r);
	g->r = r;
	g->err[0] = 0;
	g->cur = g->top = 0;
	g->ccol = g->left = 0;
	g->sort_col = -1;
	measure(g);
	all_rows(g);
}

void grid_set_error(view *v, const char *msg)
{
	snprintf(G(v)->err, sizeof G(v)->err, "%s", msg);
}

view *grid_empty(app *a, const char *title)
{
	grid *g = xcalloc(1, sizeof *g);
	(void)a;
	g->kind = G_SQL;
	g->sort_col = -1;
	return view_new(&grid_class, g, title);
}

void grid_draw_in(app *a, view *v, int y, int x, int h, int w)
{
	g_draw(a, v, y, x, h, w);
}

int grid_key_in(app *a, view *v, int action, int key)
{
	return g_key(a, v, action, key);
}
