/*
 * tables.c: the tables view: every table and view of every database (or
 * of one), with row counts (exact up to 100000; above that estimated from
 * max(rowid), shown with ~) and column counts. Enter browses a table, `d`
 * shows its schema, `/` filters by name.
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
#include <strings.h>

#define EXACT 100000

typedef struct tables {
	char *schema;          /* owned, or NULL for all */
	int *idx, n;           /* catalog entries shown */
	long long *rows;       /* per catalog entry: -1 unknown */
	int *approx;
	int ncat;
	int counted;           /* the count job was started */
	size_t cur, top;
} tables;

static void pick(app *a, view *v)
{
	tables *t = v->st;
	const tcat *c = app_catalog(a);
	free(t->idx);
	t->idx = xcalloc((size_t)c->n + 1, sizeof *t->idx);
	t->n = 0;
	for (int i = 0; i < c->n; i++)
		if ((!t->schema || strcmp(c->t[i].schema, t->schema) == 0) &&
		    (!v->filter[0] || strcasestr(c->t[i].name, v->filter)))
			t->idx[t->n++] = i;
	if (t->cur >= (size_t)t->n)
		t->cur = t->n ? (size_t)t->n - 1 : 0;
}

static void count_rows(app *a, view *v)
{
	tables *t = v->st;
	const tcat *c = app_catalog(a);
	buf b = { 0 };
	t->ncat = c->n;
	t->rows = xcalloc((size_t)c->n + 1, sizeof *t->rows);
	t->approx = xcalloc((size_t)c->n + 1, sizeof *t->approx);
	for (int i = 0; i < c->n; i++) {
		t->rows[i] = -1;
		const tcat_table *e = &c->t[i];
		if (strcmp(e->type, "table") || (t->schema && strcmp(e->schema, t->schema)))
			continue;
		char *q = sql_printf("%sSELECT %d, (SELECT count(*) FROM (SELECT 1 FROM \"%w\".\"%w\" LIMIT %d)), %s", b.len ? " UNION ALL " : "",
				     i, e->schema, e->name, EXACT + 1, e->without_rowid ? "NULL" : "");
		buf_adds(&b, q);
		free(q);
		if (!e->without_rowid) {
			q = sql_printf("(SELECT max(rowid) FROM \"%w\".\"%w\")", e->schema, e->name);
			buf_adds(&b, q);
			free(q);
		}
	}
	t->counted = 1;
	if (b.len)
		app_query(a, v, b.p, 100000, 1);
	else
		buf_free(&b);
}

static void t_done(app *a, view *v, tjob *j)
{
	tables *t = v->st;
	(void)a;
	if (j->rc < 0) {
		app_msg(a, TH_error, "row counts: %s", j->err.msg);
		return;
	}
	for (size_t i = 0; i < j->res->nrows; i++) {
		const lc_value *k = tres_cell(j->res, i, 0), *n = tres_cell(j->res, i, 1), *m = tres_cell(j->res, i, 2);
		if (k->type != LC_INT || k->i < 0 || k->i >= t->ncat || n->type != LC_INT)
			continue;
		t->rows[k->i] = n->i;
		if (n->i > EXACT) {
			t->approx[k->i] = 1;
			t->rows[k->i] = m->type == LC_INT ? m->i : n->i;
		}
	}
}

static void t_draw(app *a, view *v, int y, int x, int h, int w)
{
	tables *t = v->st;
	const tcat *c = app_catalog(a);
	if (c->loaded && !t->counted)
		count_rows(a, v);
	pick(a, v);
	draw_frame(y, x, h, w, v->title, 1);
	y++, x++, h -= 2, w -= 2;
	if (!c->loaded && !c->n) {
		draw_str(y, x, w, "reading the catalog...", TH_dim);
		return;
	}
	static const char *const heads[] = { "schema", "name", "type", "rows", "columns" };
	static const int widths[] = { 10, 40, 6, 12, 8 };
	for (int i = 0, cx = x; i < 5; i++) {
		if (i == 3 || i == 4)
			draw_right(y, cx, widths[i] - 1, heads[i], TH_header);
		else
			draw_str(y, cx, widths[i] - 1, heads[i], TH_header);
		cx += widths[i] + 1;
	}
	if (t->cur < t->top)
		t->top = t->cur;
	if (t->cur >= t->top + (size_t)(h - 1))
		t->top = t->cur - (size_t)(h - 1) + 1;
	for (size_t r = t->top; r < (size_t)t->n && (int)(r - t->top) < h - 1; r++) {
		int i = t->idx[r], yy = y + 1 + (int)(r - t->top), sel = r == t->cur, el = sel ? TH_select : TH_normal;
		const tcat_table *e = &c->t[i];
		char rows[32] = "", cols[16];
		if (t->rows && i < t->ncat && t->rows[i] >= 0)
			snprintf(rows, sizeof rows, "%s%lld", t->approx[i] ? "~" : "", t->rows[i]);
		snprintf(cols, sizeof cols, "%d", e->ncols);
		if (sel)
			draw_fill(yy, x, w, el);
		const char *cells[] = { e->schema, e->name, e->type, rows, cols };
		for (int k = 0, cx = x; k < 5; k++) {
			if (k >= 3)
				draw_right(yy, cx, widths[k] - 1, cells[k], el);
			else
				draw_str(yy, cx, widths[k] - 1, cells[k], el);
			cx += widths[k] + 1;
		}
	}
}

static int t_key(app *a, view *v, int action, int key)
{
	tables *t = v->st;
	const tcat *c = app_catalog(a);
	size_t page = LINES > 8 ? (size_t)LINES - 8 : 1;
	(void)key;
	switch (action) {
	case A_UP: t->cur -= t->cur > 0; return VK_DONE;
	case A_DOWN: t->cur += t->cur + 1 < (size_t)t->n; return VK_DONE;
	case A_PGUP: t->cur = t->cur > page ? t->cur - page : 0; return VK_DONE;
	case A_PGDN: t->cur = t->cur + page < (size_t)t->n ? t->cur + page : (t->n ? (size_t)t->n - 1 : 0); return VK_DONE;
	case A_HOME: t->cur = 0; return VK_DONE;
	case A_END: t->cur = t->n ? (size_t)t->n - 1 : 0; return VK_DONE;
	case A_ENTER:
	case A_SCHEMA:
		if (!t->n || t->idx[t->cur] >= c->n)
			return VK_DONE;
		const tcat_table *e = &c->t[t->idx[t->cur]];
		if (action == A_ENTER) {
			app_push(a, grid_table(a, e->schema, e->name, 0));
		} else {
			char title[300];
			snprintf(title, sizeof title, "%s.%s: schema", e->schema, e->name);
			app_push(a, text_query(a, title,
					       sql_printf("SELECT sql || ';' FROM \"%w\".sqlite_schema WHERE tbl_name = %Q AND sql IS NOT NULL "
							  "ORDER BY type = 'table' DESC, name", e->schema, e->name)));
		}
		return VK_DONE;
	}
	return VK_PASS;
}

static void t_filter(app *a, view *v, const char *text)
{
	tables *t = v->st;
	(void)text;
	t->cur = 0;
	pick(a, v);
}

static void t_free(view *v)
{
	tables *t = v->st;
	free(t->schema), free(t->idx), free(t->rows), free(t->approx);
	free(t);
}

static const view_class tables_class = {
	.name = "tables", .ctx = KC_LIST, .draw = t_draw, .key = t_key, .done = t_done, .filter = t_filter, .free = t_free,
};

view *tables_new(app *a, const char *schema)
{
	tables *t = xcalloc(1, sizeof *t);
	t->schema = schema ? xstrdup(schema) : NULL;
	char title[160];
	snprintf(title, sizeof title, "tables%s%s", schema ? " of " : "", schema ? schema : "");
	app_catalog(a);  /* start loading */
	return view_new(&tables_class, t, title);
}
