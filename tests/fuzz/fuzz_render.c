/*
 * fuzz_render.c: libFuzzer target for the output modes (src/ui/render.c,
 * grid.c, textesc.c) fed with hostile values, as a database would hand
 * them over. Input: byte 0 picks the mode and whether the output is a
 * terminal, byte 1 the column count and the header; then values in the
 * wire encoding (include/proto.h): ncol column names (their bytes), then
 * rows of ncol values until the input ends. The oracle besides ASan/UBSan:
 * what a display mode writes, and what any mode writes to a terminal, is
 * safe for it (termsafe.h): no control, no C1, valid UTF-8.
 */
#define _GNU_SOURCE
#include "proto.h"
#include "render.h"
#include "termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 8

static int nmodes(void)
{
	int n = 0;
	while (render_mode_name(n))
		n++;
	return n;
}

/* The modes that keep bytes exact when the output is not a terminal. */
static int exact(const char *mode)
{
	static const char *const modes[] = { "csv", "tsv", "tabs" };
	for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
		if (strcmp(mode, modes[i]) == 0)
			return 1;
	return 0;
}

/* Column names from the first ncol values (a NUL ends a name, as in C). */
static int read_names(rd *r, int ncol, char **names)
{
	for (int i = 0; i < ncol; i++) {
		lc_value v;
		if (rd_value(r, &v) < 0)
			return -1;
		names[i] = v.type == LC_TEXT || v.type == LC_BLOB ? xstrndup(v.p, v.n) : xasprintf("c%d", i);
	}
	return 0;
}

static void feed(render *rn, rd *r, int ncol)
{
	const lc_sink *k = render_sink();
	char *names[MAX_COLS] = { 0 };
	lc_value row[MAX_COLS];
	long long nrows = 0;
	if (read_names(r, ncol, names) == 0 && k->begin(rn, ncol, (const char *const *)names) == 0) {
		for (;;) {
			int c = 0;
			while (c < ncol && rd_value(r, &row[c]) == 0)
				c++;
			if (c < ncol || k->row(rn, ncol, row) != 0)
				break;
			nrows++;
		}
		k->end(rn, nrows);
	}
	for (int i = 0; i < ncol; i++)
		free(names[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const char *mode = render_mode_name(data[0] % nmodes());
	int tty = data[0] >= 128, ncol = 1 + data[1] % MAX_COLS;
	char *out = NULL;
	size_t outn = 0;
	FILE *f = open_memstream(&out, &outn);
	if (!f)
		abort();
	render *rn = render_new(f, tty);
	render_set_mode(rn, mode);
	if (data[1] & 0x80)
		render_set_header(rn, !(data[1] & 0x40));
	rd r = { data + 2, size - 2, 0 };
	feed(rn, &r, ncol);
	render_free(rn);
	fclose(f);
	const char *why = tty || !exact(mode) ? term_unsafe(out, outn) : NULL;
	if (why) {
		fprintf(stderr, "mode %s%s wrote %s: %.*s\n", mode, tty ? " on a terminal" : "", why,
			(int)(outn < 400 ? outn : 400), out);
		abort();
	}
	free(out);
	return 0;
}
