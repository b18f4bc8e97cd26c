/*
 * detail.c: views made of lines of text: a row's detail (one field per
 * line, JSON values pretty-printed, an order's items below), a text view
 * (a table's schema) and the help screen, generated from the key table and
 * the command table. Up/Down/PgUp/PgDn scroll; `/` finds lines.
 */
#define _GNU_SOURCE
#include "tui_app.h"
#include "tui_draw.h"
#include "util.h"

#include <curses.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct lines {
	char **l;            /* owned */
	size_t n;
	size_t top;
	int left;
	int stage;           /* detail_query: 0 the row, 1 the extra */
	char *extra;         /* owned: SQL still to run */
	int concat;          /* text_query: first column of each row */
} lines;

static void add_line(lines *s, const char *p, size_t n)
{
	s->l = xrealloc(s->l, sizeof *s->l * (s->n + 1));
	s->l[s->n++] = xstrndup(p, n);
}

static void add_text(lines *s, const char *prefix, const char *p, size_t n)
{
	/* one line per LF of the value; the first after the prefix */
	size_t i = 0;
	for (int first = 1;; first = 0) {
		const char *nl = n > i ? memchr(p + i, '\n', n - i) : NULL;
		size_t k = nl ? (size_t)(nl - p) : n;
		char *ln = xasprintf("%s%.*s", first ? prefix : "    ", (int)(k - i), p + i);
		add_line(s, ln, strlen(ln));
		free(ln);
		if (!nl)
			break;
		i = k + 1;
	}
}

/* ---- JSON pretty-printing (for values that are JSON objects or arrays) ---- */

static void indent(buf *b, int depth)
{
	buf_addc(b, '\n');
	for (int i = 0; i < depth; i++)
		buf_adds(b, "  ");
}

/* Re-indent JSON text; 0 when it was not balanced JSON-looking text. */
static int pretty(buf *b, const char *p, size_t n)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (in_str) {
			buf_addc(b, c);
			if (c == '\\' && i + 1 < n)
				buf_addc(b, p[++i]);
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
			continue;
		if (c == '"')
			in_str = 1, buf_addc(b, c);
		else if (c == '{' || c == '[')
			buf_addc(b, c), indent(b, ++depth);
		else if (c == '}' || c == ']') {
			if (--depth < 0)
				return 0;
			indent(b, depth), buf_addc(b, c);
		} else if (c == ',')
			buf_addc(b, c), indent(b, depth);
		else if (c == ':')
			buf_adds(b, ": ");
		else
			buf_addc(b, c);
	}
	return depth == 0 && !in_str;
}

static int looks_json(const lc_value *v)
{
	size_t i = 0;
	while (i < v->n && (v->p[i] == ' ' || v->p[i] == '\n'))
		i++;
	return v->type == LC_TEXT && v->n >= 2 && i < v->n && (v->p[i] == '{' || v->p[i] == '[') &&
	       (v->p[v->n - 1] == '}' || v->p[v->n - 1] == ']' || v->p[v->n - 1] == '\n');
}

static void add_row(lines *s, const tres *r, size_t row)
{
	int nw = 0;
	for (int c = 0; c < r->ncol; c++) {
		int w = draw_width(r->names[c], strlen(r->names[c]));
		nw = w > nw ? w : nw;
	}
	nw = nw > 30 ? 30 : nw;
	buf b = { 0 };
	for (int c = 0; c < r->ncol; c++) {
		const lc_value *v = tres_cell(r, row, c);
		char *prefix = xasprintf("%-*s  ", nw, r->names[c]);
		buf_reset(&b);
		if (!(looks_json(v) && pretty(&b, v->p, v->n))) {
			buf_reset(&b);
			tui_value_text(&b, v, 1 << 20);
		}
		add_text(s, prefix, b.p ? b.p : "", b.len);
		free(prefix);
	}
	buf_free(&b);
}

/* A result as aligned lines (an order's items). */
static void add_table(lines *s, const tres *r)
{
	buf b = { 0 }, cell = { 0 };
	int *w = xcalloc((size_t)r->ncol + 1, sizeof *w);
	for (int c = 0; c < r->ncol; c++) {
		w[c] = (int)strlen(r->names[c]);
		for (size_t i = 0; i < r->nrows; i++) {
			buf_reset(&cell);
			tui_value_text(&cell, tres_cell(r, i, c), 40);
			int cw = draw_width(cell.p ? cell.p : "", cell.len);
			w[c] = cw > w[c] ? cw : w[c];
		}
		w[c] = w[c] > 40 ? 40 : w[c];
	}
	for (long i = -1; i < (long)r->nrows; i++) {
		buf_reset(&b);
		for (int c = 0; c < r->ncol; c++) {
			buf_reset(&cell);
			if (i < 0)
				buf_adds(&cell, r->names[c]);
			else
				tui_value_text(&cell, tres_cell(r, (size_t)i, c), 40);
			int cw = draw_width(cell.p ? cell.p : "", cell.len);
			buf_add(&b, cell.p ? cell.p : "", cell.len);
			for (int k = cw; k < w[c] + 2; k++)
				buf_addc(&b, ' ');
		}
		add_line(s, b.p, b.len);
	}
	free(w);
	buf_free(&b);
	buf_free(&cell);
}

/* ---- the view ---- */

static void l_draw(app *a, view *v, int y, int x, int h, int w)
{
	lines *s = v->st;
	(void)a;
	draw_frame(y, x, h, w, v->title, 1);
	y++, x++, h -= 2, w -= 2;
	if (!s->n)
		draw_str(y, x, w, v->job ? "reading..." : "nothing", TH_dim);
	if (s->top + (size_t)h > s->n)
		s->top = s->n > (size_t)h ? s->n - (size_t)h : 0;
	for (size_t i = s->top; i < s->n && (int)(i - s->top) < h; i++) {
		const char *p = s->l[i];
		size_t n = strlen(p);
		int skip = s->left;
		while (skip > 0 && n)  /* left scroll by bytes of ASCII; enough for keys and values */
			p++, n--, skip--;
		int el = v->filter[0] && strcasestr(s->l[i], v->filter) ? TH_focus : TH_normal;
		draw_text(y + (int)(i - s->top), x, w, p, n, el);
	}
}

static int l_key(app *a, view *v, int action, int key)
{
	lines *s = v->st;
	size_t page = LINES > 8 ? (size_t)LINES - 6 : 1;
	(void)a, (void)key;
	switch (action) {
	case A_UP: s->top -= s->top > 0; return VK_DONE;
	case A_DOWN: s->top++; return VK_DONE;
	case A_PGUP: s->top = s->top > page ? s->top - page : 0; return VK_DONE;
	case A_PGDN: s->top += page; return VK_DONE;
	case A_HOME: s->top = 0; return VK_DONE;
	case A_END: s->top = s->n; return VK_DONE;
	case A_LEFT: s->left -= s->left > 0 ? 8 : 0; return VK_DONE;
	case A_RIGHT: s->left += 8; return VK_DONE;
	case A_ENTER: return VK_DONE;
	}
	return VK_PASS;
}

static void l_filter(app *a, view *v, const char *text)
{
	lines *s = v->st;
	(void)a;
	for (size_t i = 0; *text && i < s->n; i++)
		if (strcasestr(s->l[i], text)) {
			s->top = i;
			return;
		}
}

static void l_done(app *a, view *v, tjob *j)
{
	lines *s = v->st;
	if (j->rc < 0) {
		add_text(s, "error: ", j->err.msg, strlen(j->err.msg));
		return;
	}
	if (s->concat) {
		for (size_t i = 0; i < j->res->nrows; i++) {
			const lc_value *c = tres_cell(j->res, i, 0);
			add_text(s, "", c->p ? c->p : "", c->p ? c->n : 0);
			add_line(s, "", 0);
		}
		return;
	}
	if (s->stage == 0) {
		if (j->res->nrows)
			add_row(s, j->res, 0);
		else
			add_line(s, "(the row is gone)", 17);
	} else {
		add_line(s, "", 0);
		char *t = xasprintf("items (%zu row%s):", j->res->nrows, j->res->nrows == 1 ? "" : "s");
		add_line(s, t, strlen(t));
		free(t);
		add_table(s, j->res);
	}
	s->stage++;
	if (s->extra) {
		char *sql = s->extra;
		s->extra = NULL;
		app_query(a, v, sql, 1000, 1);
	}
}

static void l_free(view *v)
{
	lines *s = v->st;
	for (size_t i = 0; i < s->n; i++)
		free(s->l[i]);
	free(s->l);
	free(s->extra);
	free(s);
}

static const view_class lines_class = {
	.name = "detail", .ctx = KC_TEXT, .draw = l_draw, .key = l_key, .done = l_done, .filter = l_filter, .free = l_free,
};

view *detail_new(app *a, const char *title, const tres *r, size_t row, char *extra_sql)
{
	lines *s = xcalloc(1, sizeof *s);
	add_row(s, r, row);
	s->stage = 1;
	view *v = view_new(&lines_class, s, title);
	if (extra_sql)
		app_query(a, v, extra_sql, 1000, 1);
	return v;
}

view *detail_query(app *a, const char *title, char *row_sql, char *extra_sql)
{
	lines *s = xcalloc(1, sizeof *s);
	s->extra = extra_sql;
	view *v = view_new(&lines_class, s, title);
	app_query(a, v, row_sql, 1, 1);
	return v;
}

view *text_new(app *a, const char *title, const char *text)
{
	lines *s = xcalloc(1, sizeof *s);
	(void)a;
	add_text(s, "", text, strlen(text));
	return view_new(&lines_class, s, title);
}

view *text_query(app *a, const char *title, char *sql)
{
	lines *s = xcalloc(1, sizeof *s);
	s->concat = 1;
	view *v = view_new(&lines_class, s, title);
	app_query(a, v, sql, 10000, 1);
	return v;
}

view *help_new(app *a)
{
	lines *s = xcalloc(1, sizeof *s);
	(void)a;
	for (int ctx = 0; ctx < KC_COUNT; ctx++) {
		int any = 0;
		for (const tkey *k = keys_table; k->label; k++) {
			if (k->ctx != ctx || !k->help)
				continue;
			if (!any++) {
				if (s->n)
					add_line(s, "", 0);
				add_line(s, keys_ctx_name(ctx), strlen(keys_ctx_name(ctx)));
			}
			char *ln = xasprintf("  %-10s %s", k->label, k->help);
			add_line(s, ln, strlen(ln));
			free(ln);
		}
	}
	add_line(s, "", 0);
	add_line(s, "Commands (type : then the name; Tab completes)", 46);
	for (int i = 0; cmd_usage(i); i++) {
		char *ln = xasprintf("  :%s", cmd_usage(i));
		add_line(s, ln, strlen(ln));
		free(ln);
	}
	return view_new(&lines_class, s, "help");
}
