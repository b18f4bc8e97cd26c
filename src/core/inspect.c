/*
 * inspect.c: the inspection report as data: sections of named columns and
 * rows of typed values, owned deep copies. No SQLite here; probe*.c fill
 * it on the host, and stats/check/the TUI read it.
 */
#define _GNU_SOURCE
#include "inspect.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const inspect_sections[] = {
	"files", "orders", "orders_latest", "queues", "processes", "sequences", "openers", NULL,
};

inspect_report *inspect_new(void)
{
	return xcalloc(1, sizeof(inspect_report));
}

static void sect_free(isect *s)
{
	for (size_t i = 0; i < s->nrows * (size_t)s->ncol; i++)
		if (s->cells[i].type == LC_TEXT || s->cells[i].type == LC_BLOB)
			free((void *)s->cells[i].p);
	for (int i = 0; i < s->ncol; i++)
		free(s->cols[i]);
	free(s->cols);
	free(s->cells);
	free(s->name);
	free(s->absent);
	free(s->note);
}

void inspect_free(inspect_report *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nsect; i++) {
		sect_free(r->sect[i]);
		free(r->sect[i]);
	}
	free(r->sect);
	free(r);
}

isect *inspect_add(inspect_report *r, const char *name, int ncol, const char *const *cols)
{
	r->sect = xrealloc(r->sect, sizeof *r->sect * (size_t)(r->nsect + 1));
	isect *s = r->sect[r->nsect++] = xcalloc(1, sizeof *s);
	*s = (isect){ .name = xstrdup(name), .ncol = ncol };
	s->cols = xcalloc((size_t)(ncol ? ncol : 1), sizeof *s->cols);
	for (int i = 0; i < ncol; i++)
		s->cols[i] = xstrdup(cols[i]);
	return s;
}

void isect_row(isect *s, const lc_value *vals)
{
	size_t at = s->nrows * (size_t)s->ncol;
	s->cells = xrealloc(s->cells, sizeof *s->cells * (at + (size_t)s->ncol + 1));
	for (int i = 0; i < s->ncol; i++) {
		lc_value v = vals[i];
		if (v.type == LC_TEXT || v.type == LC_BLOB) {
			char *p = xmalloc(v.n + 1);
			memcpy(p, v.p, v.n);
			p[v.n] = 0;
			v.p = p;
		}
		s->cells[at + (size_t)i] = v;
	}
	s->nrows++;
}

static void set_text(char **dst, const char *fmt, va_list ap)
{
	free(*dst);
	if (vasprintf(dst, fmt, ap) < 0)
		*dst = NULL;
}

void isect_absent(isect *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_text(&s->absent, fmt, ap);
	va_end(ap);
}

void isect_note(isect *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_text(&s->note, fmt, ap);
	va_end(ap);
}

const isect *inspect_find(const inspect_report *r, const char *name)
{
	for (int i = 0; r && i < r->nsect; i++)
		if (strcmp(r->sect[i]->name, name) == 0)
			return r->sect[i];
	return NULL;
}

int isect_col(const isect *s, const char *col)
{
	for (int i = 0; s && i < s->ncol; i++)
		if (strcmp(s->cols[i], col) == 0)
			return i;
	return -1;
}

const lc_value *isect_get(const isect *s, size_t row, const char *col)
{
	int c = isect_col(s, col);
	if (c < 0 || row >= s->nrows)
		return NULL;
	return &s->cells[row * (size_t)s->ncol + (size_t)c];
}
