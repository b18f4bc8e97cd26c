/*
 * tutil.c: what the TUI's views share: the catalog of tables and columns,
 * value text, the filter match, the history file shared with the shell,
 * and export of a result to CSV or JSON (through render.c's modes, written
 * to FILE.partial and renamed, so a failed export leaves no half file).
 */
#define _GNU_SOURCE
#include "tui_app.h"
#include "render.h"
#include "sqlval.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the catalog ---- */

void tcat_clear(tcat *c)
{
	for (int i = 0; i < c->n; i++) {
		tcat_table *t = &c->t[i];
		for (int k = 0; k < t->ncols; k++)
			free(t->cols[k]);
		free(t->cols), free(t->schema), free(t->name), free(t->type);
	}
	free(c->t);
	*c = (tcat){ 0 };
}

char *tcat_sql(const char *schema)
{
	return sql_printf("SELECT %Q, m.name, m.type, m.sql, p.name FROM \"%w\".sqlite_schema m "
			  "LEFT JOIN pragma_table_info(m.name, %Q) p WHERE m.type IN ('table','view') "
			  "ORDER BY m.name, p.cid",
			  schema, schema, schema);
}

static char *text_of(const lc_value *v)
{
	return v && v->type == LC_TEXT ? xstrndup(v->p, v->n) : NULL;
}

void tcat_fill(tcat *c, const tres *r)
{
	for (size_t i = 0; i < r->nrows && r->ncol >= 5; i++) {
		char *schema = text_of(tres_cell(r, i, 0)), *name = text_of(tres_cell(r, i, 1));
		tcat_table *t = c->n ? &c->t[c->n - 1] : NULL;
		if (!schema || !name || !t || strcmp(t->schema, schema) || strcmp(t->name, name)) {
			c->t = xrealloc(c->t, sizeof *c->t * (size_t)(c->n + 1));
			t = &c->t[c->n++];
			char *sql = text_of(tres_cell(r, i, 3));
			*t = (tcat_table){ schema ? schema : xstrdup("?"), name ? name : xstrdup("?"),
					   text_of(tres_cell(r, i, 2)), NULL, 0, sql && strcasestr(sql, "without rowid") != NULL };
			if (!t->type)
				t->type = xstrdup("table");
			free(sql);
		} else {
			free(schema), free(name);
		}
		char *col = text_of(tres_cell(r, i, 4));
		if (col) {
			t->cols = xrealloc(t->cols, sizeof *t->cols * (size_t)(t->ncols + 1));
			t->cols[t->ncols++] = col;
		}
	}
}

const tcat_table *tcat_find(const tcat *c, const char *schema, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->t[i].name, name) == 0 && (!schema || strcmp(c->t[i].schema, schema) == 0))
			return &c->t[i];
	return NULL;
}

tres *tres_from_isect(const isect *s)
{
	tres *r = xcalloc(1, sizeof *r);
	r->ncol = s->ncol;
	r->names = xcalloc((size_t)s->ncol + 1, sizeof *r->names);
	for (int i = 0; i < s->ncol; i++)
		r->names[i] = xstrdup(s->cols[i]);
	r->nrows = r->cap = s->nrows;
	r->cells = xcalloc(s->nrows * (size_t)s->ncol + 1, sizeof *r->cells);
	for (size_t i = 0; i < s->nrows * (size_t)s->ncol; i++) {
		r->cells[i] = s->cells[i];
		if (s->cells[i].type == LC_TEXT || s->cells[i].type == LC_BLOB) {
			char *p = xmalloc(s->cells[i].n + 1);
			memcpy(p, s->cells[i].p, s->cells[i].n);
			p[s->cells[i].n] = 0;
			r->cells[i].p = p;
		}
	}
	return r;
}

/* ---- values ---- */

void tui_value_text(buf *b, const lc_value *v, size_t limit)
{
	static const char hex[] = "0123456789abcdef";
	switch (v ? v->type : LC_NULL) {
	case LC_NULL:
		buf_adds(b, "NULL");
		break;
	case LC_INT:
		buf_addf(b, "%" PRId64, v->i);
		break;
	case LC_REAL: {
		char tmp[SQLVAL_REAL_MAX];
		sqlval_real_text(v->r, tmp);
		buf_adds(b, tmp);
		break;
	}
	case LC_TEXT:
		buf_add(b, v->p, v->n < limit ? v->n : limit);
		break;
	default:
		buf_adds(b, "x'");
		for (size_t i = 0; i < v->n && i * 2 < limit; i++) {
			buf_addc(b, hex[(unsigned char)v->p[i] >> 4]);
			buf_addc(b, hex[(unsigned char)v->p[i] & 15]);
		}
		buf_adds(b, v->n * 2 > limit ? "...'" : "'");
	}
}

int tui_match(const lc_value *v, const char *filter)
{
	if (!filter || !*filter)
		return 1;
	buf b = { 0 };
	tui_value_text(&b, v, 4096);
	int hit = b.p && strcasestr(b.p, filter) != NULL;
	buf_free(&b);
	return hit;
}

/* ---- history (the same file as the shell's) ---- */

static struct {
	char **e;
	int n;
	int loaded;
	char *file;
} H;

static char *hist_path(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (x && *x == '/')
		return xasprintf("%s/litecon/history", x);
	if (home && *home == '/')
		return xasprintf("%s/.local/state/litecon/history", home);
	return NULL;
}

static void hist_push(const char *s, size_t n)
{
	H.e = xrealloc(H.e, sizeof *H.e * (size_t)(H.n + 1));
	H.e[H.n++] = xstrndup(s, n);
}

static void hist_load(void)
{
	if (H.loaded)
		return;
	H.loaded = 1;
	H.file = hist_path();
	FILE *f = H.file ? fopen(H.file, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t k;
	while (f && (k = getline(&line, &cap, f)) > 0) {
		while (k && (line[k - 1] == '\n' || line[k - 1] == '\r'))
			k--;
		if (k && !(line[0] == '#' && k > 1 && line[1] >= '0' && line[1] <= '9'))  /* readline's time stamps */
			hist_push(line, (size_t)k);
	}
	free(line);
	if (f)
		fclose(f);
}

int hist_count(void)
{
	hist_load();
	return H.n;
}

const char *hist_get(int i)
{
	hist_load();
	return i >= 0 && i < H.n ? H.e[i] : NULL;
}

static void mkdirs(const char *file)
{
	char *d = xstrdup(file);
	for (char *p = d + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(d, 0700);
			*p = '/';
		}
	free(d);
}

void hist_add(const char *entry)
{
	hist_load();
	/* one line per entry, as readline keeps it: newlines become spaces */
	char *one = xstrdup(entry);
	for (char *p = one; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (!*one || (H.n && strcmp(H.e[H.n - 1], one) == 0)) {
		free(one);
		return;
	}
	hist_push(one, strlen(one));
	if (H.file) {
		mkdirs(H.file);
		int fd = open(H.file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dprintf(fd, "%s\n", one);
			close(fd);
		}
	}
	free(one);
}

void hist_free(void)
{
	for (int i = 0; i < H.n; i++)
		free(H.e[i]);
	free(H.e);
	free(H.file);
	H.e = NULL;
	H.n = H.loaded = 0;
	H.file = NULL;
}

/* ---- export ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int write_rows(const tres *r, FILE *f, const char *mode, lc_err *e)
{
	render *rd = render_new(f, 0);
	render_set_mode(rd, mode);
	render_set_header(rd, 1);
	const lc_sink *k = render_sink();
	int rc = k->begin ? k->begin(rd, r->ncol, (const char *const *)r->names) : 0;
	for (size_t i = 0; rc == 0 && i < r->nrows; i++)
		rc = k->row(rd, r->ncol, tres_cell(r, i, 0));
	if (rc == 0 && k->end)
		rc = k->end(rd, (long long)r->nrows);
	render_free(rd);
	if (rc)
		lc_err_set(e, LC_ESQL, "cannot write the export");
	return rc ? -1 : 0;
}

int tui_export(const tres *r, const char *path, lc_err *e)
{
	char *tmp = xasprintf("%s.partial", path);
	FILE *f = fopen(tmp, "wx");
	if (!f) {
		lc_err_set(e, LC_EUSAGE, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	int rc = write_rows(r, f, ends_with(path, ".csv") ? "csv" : "json", e);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = rc ? rc : lc_err_set(e, LC_ESQL, "cannot write %s: %s", tmp, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = lc_err_set(e, LC_ESQL, "cannot write %s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = lc_err_set(e, LC_EUSAGE, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
