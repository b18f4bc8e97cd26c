/*
 * editor.c: the query editor view: a multi-line editor on top (Enter is a
 * newline; F5 or Ctrl-G runs), the result in a grid below, errors inline
 * (writes come back with the read-only message). Tab completes keywords,
 * tables, schemas and columns (after `alias.` too); Ctrl-P/Ctrl-N walk the
 * history shared with the shell; F6 moves between the text and the grid;
 * a running query shows a spinner and Esc or Ctrl-C cancels it.
 */
#define _GNU_SOURCE
#include "tui_app.h"
#include "tui_draw.h"
#include "tui_prompt.h"
#include "util.h"

#include <curses.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct editor {
	ted t;
	view *grid;          /* owned: the result */
	int in_grid;         /* keys go to the grid */
	int hist;            /* position in the history while walking it */
	char err[LC_ERRLEN];
	char info[200];
	size_t top;          /* first text line shown */
} editor;

/* ---- completion ---- */

typedef struct cands {
	char **v;
	int n;
} cands;

static void offer(cands *c, const char *word, const char *typed, size_t n)
{
	if (strncasecmp(word, typed, n) != 0 || c->n >= 500)
		return;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], word) == 0)
			return;
	c->v = xrealloc(c->v, sizeof *c->v * (size_t)(c->n + 1));
	c->v[c->n++] = xstrdup(word);
}

/* The table an alias (or a table name) stands for in the text. */
static const tcat_table *resolve(const tcat *cat, const char *text, const char *alias, size_t n)
{
	for (int i = 0; i < cat->n; i++)
		if (strlen(cat->t[i].name) == n && strncasecmp(cat->t[i].name, alias, n) == 0)
			return &cat->t[i];
	/* "FROM name alias" / "JOIN name AS alias": a word, then maybe AS, then the alias */
	for (int i = 0; i < cat->n; i++) {
		const char *name = cat->t[i].name;
		size_t ln = strlen(name);
		for (const char *p = text; (p = strcasestr(p, name)); p += ln) {
			const char *q = p + ln;
			while (*q == ' ' || *q == '\n' || *q == '"')
				q++;
			if (strncasecmp(q, "as ", 3) == 0)
				q += 3;
			while (*q == ' ')
				q++;
			if (strncasecmp(q, alias, n) == 0 && !(q[n] == '_' || ((q[n] | 32) >= 'a' && (q[n] | 32) <= 'z')))
				return &cat->t[i];
		}
	}
	return NULL;
}

static void candidates(app *a, editor *e, const char *word, size_t wn, cands *c)
{
	const tcat *cat = app_catalog(a);
	const char *dot = memchr(word, '.', wn);
	if (dot) {
		size_t pn = (size_t)(dot - word), tn = wn - pn - 1;
		const tcat_table *t = resolve(cat, ted_text(&e->t), word, pn);
		for (int i = 0; t && i < t->ncols; i++)
			offer(c, t->cols[i], dot + 1, tn);
		for (int i = 0; i < cat->n; i++)  /* schema.table */
			if (strlen(cat->t[i].schema) == pn && strncmp(cat->t[i].schema, word, pn) == 0)
				offer(c, cat->t[i].name, dot + 1, tn);
		return;
	}
	for (int i = 0; i < sqlite3_keyword_count(); i++) {
		const char *k;
		int kn;
		char kw[64];
		if (sqlite3_keyword_name(i, &k, &kn) == SQLITE_OK && kn < 64) {
			snprintf(kw, sizeof kw, "%.*s", kn, k);
			offer(c, kw, word, wn);
		}
	}
	for (int i = 0; i < cat->n; i++) {
		offer(c, cat->t[i].name, word, wn);
		offer(c, cat->t[i].schema, word, wn);
		if (strcasestr(ted_text(&e->t), cat->t[i].name))  /* columns of the tables named so far */
			for (int k = 0; k < cat->t[i].ncols; k++)
				offer(c, cat->t[i].cols[k], word, wn);
	}
}

static void complete(app *a, editor *e)
{
	size_t ws = ted_word_start(&e->t), wn = e->t.cur - ws;
	const char *word = ted_text(&e->t) + ws;
	const char *dot = memchr(word, '.', wn);
	size_t typed = dot ? wn - (size_t)(dot - word) - 1 : wn;
	cands c = { 0 };
	candidates(a, e, word, wn, &c);
	if (!c.n) {
		app_msg(a, TH_dim, "no completion");
		return;
	}
	size_t common = strlen(c.v[0]);
	for (int i = 1; i < c.n; i++)
		for (size_t k = 0; k < common; k++)
			if ((c.v[i][k] | 32) != (c.v[0][k] | 32)) {
				common = k;
				break;
			}
	if (common > typed) {
		for (size_t k = 0; k < typed; k++)
			ted_backspace(&e->t);
		ted_insert(&e->t, c.v[0], common);
	}
	if (c.n > 1) {
		buf b = { 0 };
		for (int i = 0; i < c.n && b.len < 300; i++)
			buf_addf(&b, "%s%s", i ? " " : "", c.v[i]);
		app_msg(a, TH_info, "%d: %s", c.n, b.p);
		buf_free(&b);
	}
	for (int i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
}

/* ---- running ---- */

static void run(app *a, view *v)
{
	editor *e = v->st;
	const char *sql = ted_text(&e->t);
	if (!sql[strspn(sql, " \t\r\n;")]) {
		app_msg(a, TH_dim, "nothing to run: type a query, then F5");
		return;
	}
	hist_add(sql);
	e->hist = hist_count();
	e->err[0] = e->info[0] = 0;
	app_query(a, v, xstrdup(sql), 10000, 1);
}

static void e_done(app *a, view *v, tjob *j)
{
	editor *e = v->st;
	(void)a;
	if (j->rc < 0) {
		snprintf(e->err, sizeof e->err, "%s", j->err.msg);
		return;
	}
	if (j->res->statements == 0) {
		snprintf(e->info, sizeof e->info, "done in %lld ms (no rows to show)", j->ms);
		return;
	}
	snprintf(e->info, sizeof e->info, "%zu row%s%s in %lld ms", j->res->nrows, j->res->nrows == 1 ? "" : "s",
		 j->res->more ? " (the first 10000)" : "", j->ms);
	grid_set_result(e->grid, j->res);
	j->res = NULL;
	e->in_grid = 1;
}

/* ---- drawing ---- */

static void draw_text_area(editor *e, int y, int x, int h, int w, int focused)
{
	const char *s = ted_text(&e->t);
	size_t line = 0, col_bytes = 0;
	for (size_t i = 0; i < e->t.cur; i++)  /* the cursor's line */
		if (s[i] == '\n')
			line++, col_bytes = i + 1;
	if (line < e->top)
		e->top = line;
	if (line >= e->top + (size_t)h)
		e->top = line - (size_t)h + 1;
	size_t ln = 0;
	const char *p = s;
	while (*p || p == s) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (ln >= e->top && ln < e->top + (size_t)h)
			draw_text(y + (int)(ln - e->top), x, w, p, n, TH_normal);
		ln++;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (focused) {
		int cx = draw_width(s + col_bytes, e->t.cur - col_bytes);
		move(y + (int)(line - e->top), x + (cx < w ? cx : w - 1));
		curs_set(1);
	}
}

static void e_draw(app *a, view *v, int y, int x, int h, int w)
{
	editor *e = v->st;
	int eh = h / 3 > 6 ? h / 3 : 6;
	draw_frame(y, x, eh, w, e->in_grid ? "query (F6 edits)" : "query (F5 runs, Tab completes, Ctrl-P history)", !e->in_grid);
	int msg_y = y + eh;
	if (e->err[0])
		draw_fmt(msg_y, x + 1, w - 2, TH_error, "error: %s", e->err);
	else if (e->info[0])
		draw_str(msg_y, x + 1, w - 2, e->info, TH_ok);
	grid_draw_in(a, e->grid, msg_y + 1, x, h - eh - 1, w);
	draw_text_area(e, y + 1, x + 1, eh - 2, w - 2, !e->in_grid && !v->job);
}

/* ---- keys ---- */

static void history(editor *e, int d)
{
	int n = hist_count();
	if (e->hist + d < 0 || e->hist + d > n)
		return;
	e->hist += d;
	ted_set(&e->t, e->hist < n ? hist_get(e->hist) : "");
}

static int e_key(app *a, view *v, int action, int key)
{
	editor *e = v->st;
	if (key == (TK_FN | KEY_F(6))) {
		e->in_grid = !e->in_grid;
		return VK_DONE;
	}
	if (v->job)  /* while it runs: only cancel, back, help and quit-level keys */
		return action == A_BACK || action == A_CANCEL ? (twork_cancel(app_work(a), v->job), VK_DONE) : VK_DONE;
	if (e->in_grid) {
		if (action == A_BACK) {
			e->in_grid = 0;
			return VK_DONE;
		}
		return grid_key_in(a, e->grid, keys_action(KC_LIST, key), key);
	}
	switch (keys_action(KC_EDIT, key)) {
	case A_RUN: run(a, v); return VK_DONE;
	case A_COMPLETE: complete(a, e); return VK_DONE;
	case A_HIST_PREV: history(e, -1); return VK_DONE;
	case A_HIST_NEXT: history(e, 1); return VK_DONE;
	case A_BACK: return VK_PASS;
	}
	if (key == (TK_FN | KEY_PPAGE) || key == (TK_FN | KEY_NPAGE))
		return grid_key_in(a, e->grid, keys_action(KC_LIST, key), key);
	if (ted_key(&e->t, key, 1))
		return VK_DONE;
	return key == TK_CTRL('c') ? VK_PASS : VK_DONE;  /* nothing else leaks to global keys while typing */
}

static void e_free(view *v)
{
	editor *e = v->st;
	ted_free(&e->t);
	if (e->grid) {
		e->grid->cls->free(e->grid);
		free(e->grid);
	}
	free(e);
}

static const view_class editor_class = {
	.name = "editor", .ctx = KC_EDIT, .draw = e_draw, .key = e_key, .done = e_done, .free = e_free,
};

view *editor_new(app *a)
{
	editor *e = xcalloc(1, sizeof *e);
	e->grid = grid_empty(a, "result");
	e->hist = hist_count();
	return view_new(&editor_class, e, "query");
}

void editor_set(view *v, const char *sql)
{
	editor *e = v->st;
	ted_set(&e->t, sql);
}
