/*
 * grid.c: box, table and markdown output. Cells arrive escaped (one line
 * each); the grid keeps them until the statement ends, then draws the
 * borders from a per-style table of pieces.
 */
#include "grid.h"
#include "textesc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct cell {
	char *s;      /* owned, escaped, NUL-terminated */
	int width;    /* display columns */
	int right;    /* right-align */
} cell;

struct grid {
	int style, ncol, header;
	cell *head;      /* ncol header cells */
	cell *cells;     /* row-major */
	size_t n, cap;
	int *w;          /* column widths */
};

/* Border pieces: left, fill, middle, right for the top, header separator
 * and bottom lines; and the vertical bar for cell lines. NULL: no line. */
static const struct style {
	const char *top[4], *sep[4], *bot[4], *bar;
} styles[] = {
	[GRID_BOX] = { { "┌", "─", "┬", "┐" }, { "├", "─", "┼", "┤" }, { "└", "─", "┴", "┘" }, "│" },
	[GRID_TABLE] = { { "+", "-", "+", "+" }, { "+", "-", "+", "+" }, { "+", "-", "+", "+" }, "|" },
	[GRID_MARKDOWN] = { { NULL }, { "|", "-", "|", "|" }, { NULL }, "|" },
	[GRID_PLAIN] = { { NULL }, { NULL }, { NULL }, "" },
};

grid *grid_new(int style, int ncol, const char *const *names, int header)
{
	grid *g = xcalloc(1, sizeof *g);
	g->style = style;
	g->ncol = ncol;
	g->header = header;
	g->head = xcalloc((size_t)ncol, sizeof *g->head);
	g->w = xcalloc((size_t)ncol, sizeof *g->w);
	for (int i = 0; i < ncol; i++) {
		g->head[i].s = xstrdup(names[i]);
		g->head[i].width = u8_width(names[i], strlen(names[i]));
		if (header)
			g->w[i] = g->head[i].width;
	}
	return g;
}

void grid_cell(grid *g, const char *s, size_t n, int width, int right)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->cells = xrealloc(g->cells, g->cap * sizeof *g->cells);
	}
	int col = (int)(g->n % (size_t)g->ncol);
	g->cells[g->n++] = (cell){ xstrndup(s, n), width, right };
	if (width > g->w[col])
		g->w[col] = width;
}

static void rep(FILE *out, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		fputs(s, out);
}

static void rule(grid *g, FILE *out, const char *const p[4])
{
	if (!p[0])
		return;
	fputs(p[0], out);
	for (int i = 0; i < g->ncol; i++) {
		rep(out, p[1], g->w[i] + 2);
		fputs(i + 1 < g->ncol ? p[2] : p[3], out);
	}
	fputc('\n', out);
}

/* Plain style: two spaces between columns, no trailing blanks. */
static void plain_line(grid *g, FILE *out, const cell *c)
{
	for (int i = 0; i < g->ncol; i++) {
		int pad = g->w[i] - c[i].width, last = i + 1 == g->ncol;
		if (i)
			fputs("  ", out);
		rep(out, " ", c[i].right ? pad : 0);
		fputs(c[i].s, out);
		if (!c[i].right && !last)
			rep(out, " ", pad);
	}
	fputc('\n', out);
}

/* centre: the header; else numbers right, text left */
static void line(grid *g, FILE *out, const cell *c, int centre)
{
	if (g->style == GRID_PLAIN) {
		plain_line(g, out, c);
		return;
	}
	const char *bar = styles[g->style].bar;
	fputs(bar, out);
	for (int i = 0; i < g->ncol; i++) {
		int pad = g->w[i] - c[i].width, l = 0;
		if (centre)
			l = pad / 2;
		else if (c[i].right)
			l = pad;
		fputc(' ', out);
		rep(out, " ", l);
		fputs(c[i].s, out);
		rep(out, " ", pad - l);
		fputc(' ', out);
		fputs(bar, out);
	}
	fputc('\n', out);
}

int grid_print(grid *g, FILE *out)
{
	const struct style *st = &styles[g->style];
	rule(g, out, st->top);
	if (g->header) {
		line(g, out, g->head, g->style != GRID_PLAIN);
		rule(g, out, st->sep);
	}
	for (size_t r = 0; r + (size_t)g->ncol <= g->n; r += (size_t)g->ncol)
		line(g, out, g->cells + r, 0);
	rule(g, out, st->bot);
	return ferror(out) ? -1 : 0;
}

void grid_free(grid *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->ncol; i++)
		free(g->head[i].s);
	for (size_t i = 0; i < g->n; i++)
		free(g->cells[i].s);
	free(g->head);
	free(g->cells);
	free(g->w);
	free(g);
}
