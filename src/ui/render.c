/*
 * render.c: the output modes. One table row per mode (sqlite3's aModeInfo
 * idea): its kind, default separators, default header and whether it is an
 * exact machine format. Each kind has begin/row/end functions in a second
 * table; rows are formatted into one buffer and written with one fwrite.
 */
#include "render.h"
#include "grid.h"
#include "sqlval.h"
#include "textesc.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_LIST, K_CSV, K_JSON, K_JSONL, K_LINE, K_GRID };

static const struct mode {
	const char *name;
	int kind;
	int style;           /* grid style for K_GRID */
	const char *colsep, *rowsep;
	int header;          /* shown by default */
	int exact;           /* machine format: bytes exact unless a terminal */
} modes[] = {
	{ "box", K_GRID, GRID_BOX, "", "\n", 1, 0 },
	{ "table", K_GRID, GRID_TABLE, "", "\n", 1, 0 },
	{ "markdown", K_GRID, GRID_MARKDOWN, "", "\n", 1, 0 },
	{ "csv", K_CSV, 0, ",", "\n", 0, 1 },
	{ "tsv", K_LIST, 0, "\t", "\n", 0, 1 },
	{ "tabs", K_LIST, 0, "\t", "\n", 0, 1 },
	{ "json", K_JSON, 0, ",", "\n", 0, 1 },
	{ "jsonl", K_JSONL, 0, ",", "\n", 0, 1 },
	{ "line", K_LINE, 0, " = ", "\n", 0, 0 },
	{ "list", K_LIST, 0, "|", "\n", 0, 0 },
};
#define NMODES (int)(sizeof modes / sizeof modes[0])

struct render {
	FILE *out;              /* not owned */
	int tty;
	const struct mode *m;
	int header, header_set;
	char *colsep, *rowsep;  /* owned; NULL = mode default */
	char *null;             /* owned */
	int ncol;
	char **names;           /* owned copies, escaped for display */
	int namew;              /* widest name (line mode) */
	long long nrows;
	buf line, cell;
	grid *g;
	lc_err *err;
};

int render_mode_find(const char *name)
{
	for (int i = 0; i < NMODES; i++)
		if (strcmp(name, modes[i].name) == 0)
			return i;
	return -1;
}

const char *render_mode_name(int i)
{
	return i >= 0 && i < NMODES ? modes[i].name : NULL;
}

render *render_new(FILE *out, int tty)
{
	render *r = xcalloc(1, sizeof *r);
	r->out = out;
	r->tty = tty;
	r->m = &modes[render_mode_find("list")];
	r->header = r->m->header;
	r->null = xstrdup("");
	return r;
}

static void drop_names(render *r)
{
	for (int i = 0; i < r->ncol; i++)
		free(r->names[i]);
	free(r->names);
	r->names = NULL;
	r->ncol = 0;
	grid_free(r->g);
	r->g = NULL;
}

void render_free(render *r)
{
	if (!r)
		return;
	drop_names(r);
	free(r->colsep);
	free(r->rowsep);
	free(r->null);
	buf_free(&r->line);
	buf_free(&r->cell);
	free(r);
}

int render_set_mode(render *r, const char *mode)
{
	int i = render_mode_find(mode);
	if (i < 0)
		return -1;
	r->m = &modes[i];
	if (!r->header_set)
		r->header = r->m->header;
	free(r->colsep);
	free(r->rowsep);
	r->colsep = r->rowsep = NULL;
	return 0;
}

const char *render_get_mode(const render *r)
{
	return r->m->name;
}

void render_set_header(render *r, int on)
{
	r->header = on;
	r->header_set = 1;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

void render_set_colsep(render *r, const char *s) { set_str(&r->colsep, s); }
void render_set_rowsep(render *r, const char *s) { set_str(&r->rowsep, s); }
void render_set_null(render *r, const char *s) { set_str(&r->null, s ? s : ""); }

void render_set_out(render *r, FILE *out, int tty)
{
	r->out = out;
	r->tty = tty;
}

FILE *render_out(const render *r)
{
	return r->out;
}

long long render_rows(const render *r)
{
	return r->nrows;
}

static const char *colsep(const render *r) { return r->colsep ? r->colsep : r->m->colsep; }
static const char *rowsep(const render *r) { return r->rowsep ? r->rowsep : r->m->rowsep; }

/* Escape flags for text of the current mode, or -1 for raw bytes. */
static int esc_flags(const render *r)
{
	if (r->m->kind == K_GRID)
		return 0;
	if (r->m->exact && !r->tty)
		return -1;
	return ESC_KEEP_TAB | ESC_KEEP_NL;
}

/* Is this blob shown as text in a display mode (valid UTF-8, no NUL)? */
static int blob_is_text(const lc_value *v)
{
	const unsigned char *p = (const unsigned char *)v->p;
	for (size_t i = 0; i < v->n;) {
		uint32_t cp;
		int len = u8_decode(p + i, v->n - i, &cp);
		if (len == 0 || cp == 0)
			return 0;
		i += (size_t)len;
	}
	return 1;
}

#define BLOB_SHOW 256

static void blob_hex(buf *b, const lc_value *v)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = v->n < BLOB_SHOW ? v->n : BLOB_SHOW;
	buf_adds(b, "x'");
	for (size_t i = 0; i < n; i++) {
		buf_addc(b, hex[(unsigned char)v->p[i] >> 4]);
		buf_addc(b, hex[(unsigned char)v->p[i] & 15]);
	}
	buf_addc(b, '\'');
	if (n < v->n)
		buf_addf(b, "... (%zu bytes)", v->n);
}

/* Decimal text of i into out (at least 21 bytes); returns the length. */
static int int_text(int64_t i, char *out)
{
	char tmp[24];
	int n = 0, k = 0;
	uint64_t u = i < 0 ? -(uint64_t)i : (uint64_t)i;
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (i < 0)
		out[k++] = '-';
	while (n)
		out[k++] = tmp[--n];
	return k;
}

/* Append the text of v to b as the mode shows it; returns display width. */
static int cell_text(render *r, buf *b, const lc_value *v)
{
	char num[SQLVAL_REAL_MAX];
	int flags = esc_flags(r), n;
	switch (v->type) {
	case LC_NULL:
		return esc_display(b, r->null, strlen(r->null), ESC_KEEP_TAB);
	case LC_INT:
		n = int_text(v->i, num);
		buf_add(b, num, (size_t)n);
		return n;
	case LC_REAL:
		n = sqlval_real_text(v->r, num);
		buf_add(b, num, (size_t)n);
		return n;
	case LC_BLOB:
		if (flags >= 0 && !blob_is_text(v)) {
			size_t at = b->len;
			blob_hex(b, v);
			return (int)(b->len - at);
		}
		/* fall through */
	default:
		if (flags < 0) {
			buf_add(b, v->p, v->n);
			return 0;
		}
		return esc_display(b, v->p, v->n, flags);
	}
}

static int flush_line(render *r)
{
	if (r->line.len && fwrite(r->line.p, 1, r->line.len, r->out) != r->line.len)
		return -1;
	buf_reset(&r->line);
	return 0;
}


/* ---- list, tsv ---- */

static int list_begin(render *r, const char *const *raw)
{
	if (!r->header)
		return 0;
	for (int i = 0; i < r->ncol; i++) {
		if (i)
			buf_adds(&r->line, colsep(r));
		if (esc_flags(r) < 0)
			buf_adds(&r->line, raw[i]);
		else
			buf_adds(&r->line, r->names[i]);
	}
	buf_adds(&r->line, rowsep(r));
	return flush_line(r);
}

static int list_row(render *r, const lc_value *v)
{
	for (int i = 0; i < r->ncol; i++) {
		if (i)
			buf_adds(&r->line, colsep(r));
		cell_text(r, &r->line, &v[i]);
	}
	buf_adds(&r->line, rowsep(r));
	return flush_line(r);
}

static int no_end(render *r)
{
	(void)r;
	return 0;
}

/* ---- csv: quoting as sqlite3's output_csv ---- */

static int csv_needs_quote(const char *s, size_t n, const char *sep)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == '"' || c == '\'' || c >= 0x7f)
			return 1;
	}
	return strstr(s, sep) != NULL;
}

/* Append s quoted when it needs it, doubling '"': the stretches between
 * quotes are copied whole. */
static void csv_field(render *r, const char *s, size_t n)
{
	if (!csv_needs_quote(s, n, colsep(r))) {
		buf_add(&r->line, s, n);
		return;
	}
	buf_addc(&r->line, '"');
	for (const char *p = s, *end = s + n; p < end;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t k = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
		buf_add(&r->line, p, k);
		if (q)
			buf_addc(&r->line, '"');
		p += k;
	}
	buf_addc(&r->line, '"');
}

static int csv_begin(render *r, const char *const *raw)
{
	if (!r->header)
		return 0;
	for (int i = 0; i < r->ncol; i++) {
		const char *nm = esc_flags(r) < 0 ? raw[i] : r->names[i];
		if (i)
			buf_adds(&r->line, colsep(r));
		csv_field(r, nm, strlen(nm));
	}
	buf_adds(&r->line, rowsep(r));
	return flush_line(r);
}

static int csv_row(render *r, const lc_value *v)
{
	for (int i = 0; i < r->ncol; i++) {
		if (i)
			buf_adds(&r->line, colsep(r));
		if (v[i].type == LC_NULL) {
			buf_adds(&r->line, r->null);
			continue;
		}
		buf_reset(&r->cell);
		cell_text(r, &r->cell, &v[i]);
		csv_field(r, r->cell.p ? r->cell.p : "", r->cell.len);
	}
	buf_adds(&r->line, rowsep(r));
	return flush_line(r);
}

/* ---- json, jsonl ---- */

static int json_begin(render *r, const char *const *raw)
{
	for (int i = 0; i < r->ncol; i++) {
		buf b = { 0 };
		esc_json(&b, raw[i], strlen(raw[i]));
		free(r->names[i]);
		r->names[i] = b.p ? b.p : xstrdup("");
	}
	return 0;
}

static void json_value(render *r, const lc_value *v)
{
	char num[SQLVAL_REAL_MAX];
	switch (v->type) {
	case LC_NULL:
		buf_adds(&r->line, "null");
		break;
	case LC_INT:
		buf_addf(&r->line, "%" PRId64, v->i);
		break;
	case LC_REAL:
		buf_add(&r->line, num, (size_t)sqlval_real_json(v->r, num));
		break;
	default:
		buf_addc(&r->line, '"');
		esc_json(&r->line, v->p, v->n);
		buf_addc(&r->line, '"');
	}
}

static void json_object(render *r, const lc_value *v)
{
	buf_addc(&r->line, '{');
	for (int i = 0; i < r->ncol; i++) {
		if (i)
			buf_addc(&r->line, ',');
		buf_addc(&r->line, '"');
		buf_adds(&r->line, r->names[i]);
		buf_adds(&r->line, "\":");
		json_value(r, &v[i]);
	}
	buf_addc(&r->line, '}');
}

static int json_row(render *r, const lc_value *v)
{
	buf_adds(&r->line, r->nrows == 1 ? "[" : ",\n");
	json_object(r, v);
	return flush_line(r);
}

static int json_end(render *r)
{
	buf_adds(&r->line, r->nrows ? "]\n" : "[]\n");
	return flush_line(r);
}

static int jsonl_row(render *r, const lc_value *v)
{
	json_object(r, v);
	buf_addc(&r->line, '\n');
	return flush_line(r);
}

/* ---- line ---- */

static int line_row(render *r, const lc_value *v)
{
	if (r->nrows > 1)
		buf_adds(&r->line, rowsep(r));
	for (int i = 0; i < r->ncol; i++) {
		int w = u8_width(r->names[i], strlen(r->names[i]));
		buf_addf(&r->line, "%*s%s%s", r->namew - w, "", r->names[i], colsep(r));
		cell_text(r, &r->line, &v[i]);
		buf_adds(&r->line, rowsep(r));
	}
	return flush_line(r);
}

static int nothing_begin(render *r, const char *const *raw)
{
	(void)r;
	(void)raw;
	return 0;
}

/* ---- box, table, markdown ---- */

static int grid_begin(render *r, const char *const *raw)
{
	(void)raw;
	r->g = grid_new(r->m->style, r->ncol, (const char *const *)r->names, r->header);
	return 0;
}

static int grid_row(render *r, const lc_value *v)
{
	for (int i = 0; i < r->ncol; i++) {
		buf_reset(&r->cell);
		int w = cell_text(r, &r->cell, &v[i]);
		int right = v[i].type == LC_INT || v[i].type == LC_REAL;
		grid_cell(r->g, r->cell.p ? r->cell.p : "", r->cell.len, w, right);
	}
	return 0;
}

static int grid_end(render *r)
{
	int rc = grid_print(r->g, r->out);
	grid_free(r->g);
	r->g = NULL;
	return rc;
}

static const struct kind_ops {
	int (*begin)(render *r, const char *const *raw);
	int (*row)(render *r, const lc_value *v);
	int (*end)(render *r);
} kinds[] = {
	[K_LIST] = { list_begin, list_row, no_end },
	[K_CSV] = { csv_begin, csv_row, no_end },
	[K_JSON] = { json_begin, json_row, json_end },
	[K_JSONL] = { json_begin, jsonl_row, no_end },
	[K_LINE] = { nothing_begin, line_row, no_end },
	[K_GRID] = { grid_begin, grid_row, grid_end },
};

static int sink_begin(void *ctx, int ncol, const char *const *names)
{
	render *r = ctx;
	drop_names(r);
	r->ncol = ncol;
	r->nrows = 0;
	r->names = xcalloc((size_t)ncol, sizeof *r->names);
	r->namew = 0;
	for (int i = 0; i < ncol; i++) {
		buf b = { 0 };
		int w = esc_display(&b, names[i], strlen(names[i]), 0);
		r->names[i] = b.p ? b.p : xstrdup("");
		if (w > r->namew)
			r->namew = w;
	}
	return kinds[r->m->kind].begin(r, names);
}

static int sink_row(void *ctx, int ncol, const lc_value *v)
{
	render *r = ctx;
	(void)ncol;
	r->nrows++;
	return kinds[r->m->kind].row(r, v);
}

static int sink_end(void *ctx, long long nrows)
{
	render *r = ctx;
	(void)nrows;
	int rc = kinds[r->m->kind].end(r);
	if (fflush(r->out) != 0)
		rc = -1;
	return rc;
}

const lc_sink *render_sink(void)
{
	static const lc_sink s = { sink_begin, sink_row, sink_end };
	return &s;
}
