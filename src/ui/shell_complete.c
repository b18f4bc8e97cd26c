/*
 * shell_complete.c: Tab completion for the shell. The names come from the
 * target itself, through conn_exec like any statement (each schema's
 * sqlite_schema joined with pragma_table_info), loaded on the first Tab and
 * again once the session marks them stale (.tables, "no such table").
 * Candidates: dot-commands and their arguments (from dot.c's table), SQL
 * keywords and functions, schema, table and column names, columns after
 * `table.` or `alias.`, and local paths (readline's own completer) after
 * .once/.output/.read/.backup. Names that would not show as typed (control
 * bytes, invalid UTF-8) are never offered.
 */
#define _GNU_SOURCE
#include "shell.h"
#include "dot.h"
#include "sqlval.h"
#include "textesc.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <readline/readline.h>

static const char *const keywords[] = {
	"ALL", "ALWAYS", "AND", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "COLLATE", "CROSS", "CURRENT_DATE",
	"CURRENT_TIME", "CURRENT_TIMESTAMP", "DESC", "DISTINCT", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE",
	"EXISTS", "EXPLAIN", "FILTER", "FIRST", "FOLLOWING", "FROM", "FULL", "GLOB", "GROUP", "GROUPS", "HAVING",
	"IN", "INDEXED", "INNER", "INTERSECT", "IS", "ISNULL", "JOIN", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH",
	"MATERIALIZED", "NATURAL", "NOT", "NOTNULL", "NULL", "NULLS", "OFFSET", "ON", "OR", "ORDER", "OTHERS",
	"OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING", "QUERY", "RANGE", "RECURSIVE", "REGEXP",
	"RIGHT", "ROW", "ROWS", "SELECT", "THEN", "TIES", "UNBOUNDED", "UNION", "USING", "VALUES", "WHEN",
	"WHERE", "WINDOW", "WITH",
	/* functions */
	"abs", "avg", "coalesce", "count", "date", "datetime", "group_concat", "hex", "ifnull", "iif", "instr",
	"json", "json_array_length", "json_each", "json_extract", "json_group_array", "json_object", "julianday",
	"length", "lower", "ltrim", "max", "min", "nullif", "printf", "quote", "replace", "round", "rtrim",
	"strftime", "substr", "sum", "time", "total", "trim", "typeof", "unixepoch", "upper",
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

typedef struct tbl {
	char *schema, *name;     /* owned */
	char **cols;             /* owned */
	size_t ncols;
} tbl;

/* The catalog of the target, as loaded. */
static struct names {
	session *s;              /* not owned */
	int loaded;
	char **schemas;          /* owned */
	size_t nschemas;
	tbl *t;                  /* owned */
	size_t nt;
} nm;

/* ---- loading ---- */

static void names_clear(void)
{
	for (size_t i = 0; i < nm.nschemas; i++)
		free(nm.schemas[i]);
	for (size_t i = 0; i < nm.nt; i++) {
		free(nm.t[i].schema);
		free(nm.t[i].name);
		for (size_t k = 0; k < nm.t[i].ncols; k++)
			free(nm.t[i].cols[k]);
		free(nm.t[i].cols);
	}
	free(nm.schemas);
	free(nm.t);
	nm.schemas = NULL;
	nm.t = NULL;
	nm.nschemas = nm.nt = 0;
	nm.loaded = 0;
}

/* Would s show on a terminal exactly as stored? */
static int plain(const char *p, size_t n)
{
	buf b = { 0 };
	esc_display(&b, p, n, 0);
	int same = b.len == n && (n == 0 || memcmp(b.p, p, n) == 0);
	buf_free(&b);
	return same && !memchr(p, 0, n);
}

/* Row (table name, column name or NULL) of one schema's catalog. */
static int catalog_row(void *ctx, int ncol, const lc_value *v)
{
	const char *schema = ctx;
	if (ncol < 2 || v[0].type != LC_TEXT || !plain(v[0].p, v[0].n))
		return 0;
	tbl *t = nm.nt ? &nm.t[nm.nt - 1] : NULL;
	if (!t || strcmp(t->schema, schema) != 0 || strlen(t->name) != v[0].n || memcmp(t->name, v[0].p, v[0].n)) {
		nm.t = xrealloc(nm.t, (nm.nt + 1) * sizeof *nm.t);
		t = &nm.t[nm.nt++];
		*t = (tbl){ xstrdup(schema), xstrndup(v[0].p, v[0].n), NULL, 0 };
	}
	if (v[1].type == LC_TEXT && plain(v[1].p, v[1].n)) {
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
		t->cols[t->ncols++] = xstrndup(v[1].p, v[1].n);
	}
	return 0;
}

/* Tables and views of one schema with their columns; without columns when
 * pragma_table_info fails (a view over a missing table). */
static int load_schema(const char *schema)
{
	static const char *const sql[] = {
		"SELECT m.name, p.name FROM \"%w\".sqlite_schema m LEFT JOIN pragma_table_info(m.name, %Q) p "
		"WHERE m.type IN ('table','view') ORDER BY m.name, p.cid",
		"SELECT name, NULL FROM \"%w\".sqlite_schema WHERE type IN ('table','view') ORDER BY name",
	};
	lc_sink k = { NULL, catalog_row, NULL };
	for (size_t i = 0; i < 2; i++) {
		size_t before = nm.nt;
		lc_err e = { 0 };
		char *q = sql_printf(sql[i], schema, schema);
		int rc = conn_exec(nm.s->c, q, &k, (void *)schema, &e);
		free(q);
		if (rc == 0)
			return 0;
		while (nm.nt > before) {  /* drop a partial load */
			tbl *t = &nm.t[--nm.nt];
			for (size_t c = 0; c < t->ncols; c++)
				free(t->cols[c]);
			free(t->cols), free(t->name), free(t->schema);
		}
		if (e.code == LC_ECANCEL || e.code == LC_ECONNECT)
			return -1;
	}
	return -1;
}

static void names_load(void)
{
	if (nm.loaded && !nm.s->schema_stale)
		return;
	names_clear();
	nm.s->schema_stale = 0;
	int failed = 0;
	for (int i = 0; i < conn_ndb(nm.s->c) && !failed; i++) {
		const char *schema, *path;
		if (conn_db(nm.s->c, i, &schema, &path) < 0)
			continue;
		nm.schemas = xrealloc(nm.schemas, (nm.nschemas + 1) * sizeof *nm.schemas);
		nm.schemas[nm.nschemas++] = xstrdup(schema);
		failed = load_schema(schema) < 0 && conn_interrupted();
	}
	nm.loaded = !failed;  /* after a Ctrl-C, try again on the next Tab */
}

/* ---- candidates ---- */

typedef struct list {
	char **v;
	size_t n;
} list;

static int is_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && !((unsigned char)*s & 0x80))
			return 0;
	return 1;
}

/* Add pre + name (quoted as an identifier when it must be) if text is a
 * prefix of it, ignoring case; the quote may be left out while typing. */
static void offer(list *l, const char *pre, const char *name, const char *text)
{
	char *q = is_ident(name) ? NULL : sql_printf("\"%w\"", name);
	char *full = xasprintf("%s%s", pre, q ? q : name), *bare = xasprintf("%s%s", pre, name);
	size_t n = strlen(text);
	int hit = strncasecmp(full, text, n) == 0 || strncasecmp(bare, text, n) == 0;
	free(q);
	free(bare);
	if (!hit) {
		free(full);
		return;
	}
	l->v = xrealloc(l->v, (l->n + 2) * sizeof *l->v);
	l->v[l->n++] = full;
	l->v[l->n] = NULL;
}

static void offer_keywords(list *l, const char *text)
{
	int lower = *text && islower((unsigned char)*text);
	for (size_t i = 0; i < NKEYWORDS; i++) {
		char *k = xstrdup(keywords[i]);
		for (char *p = k; *p && lower; p++)
			*p = (char)tolower((unsigned char)*p);
		offer(l, "", k, text);
		free(k);
	}
}

static const tbl *table_named(const char *schema, const char *name)
{
	for (size_t i = 0; i < nm.nt; i++)
		if (strcasecmp(nm.t[i].name, name) == 0 && (!schema || strcasecmp(nm.t[i].schema, schema) == 0))
			return &nm.t[i];
	return NULL;
}

static int schema_named(const char *name)
{
	for (size_t i = 0; i < nm.nschemas; i++)
		if (strcasecmp(nm.schemas[i], name) == 0)
			return 1;
	return 0;
}

/* Identifier-ish words of line ("a.b" stays one word; quotes dropped). */
static int words_of(const char *line, char ***out)
{
	char **w = NULL;
	int n = 0;
	for (const char *p = line; *p;) {
		size_t k = strcspn(p, " \t\r\n(),;=<>+-*/|!%&~^'`[]");
		if (k) {
			w = xrealloc(w, (size_t)(n + 1) * sizeof *w);
			buf b = { 0 };
			for (size_t i = 0; i < k; i++)
				if (p[i] != '"')
					buf_addc(&b, p[i]);
			w[n++] = b.p ? b.p : xstrdup("");
		}
		p += k + (p[k] != 0);
	}
	*out = w;
	return n;
}

/* The table word w names: "t" or "schema.t". */
static const tbl *table_of_word(const char *w)
{
	const char *dot = strrchr(w, '.');
	if (!dot)
		return table_named(NULL, w);
	char *schema = xstrndup(w, (size_t)(dot - w));
	const tbl *t = schema_named(schema) ? table_named(schema, dot + 1) : NULL;
	free(schema);
	return t;
}

/* The table a qualifier stands for: a table name, or an alias given in
 * line as `table alias` or `table AS alias`. */
static const tbl *resolve(const char *line, const char *q)
{
	const tbl *t = table_of_word(q);
	char **w;
	int n = words_of(line, &w);
	for (int i = 0; i + 1 < n && !t; i++) {
		int as = strcasecmp(w[i + 1], "as") == 0 && i + 2 < n;
		if (strcasecmp(w[i + 1 + as], q) == 0)
			t = table_of_word(w[i]);
	}
	for (int i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return t;
}

static void offer_columns(list *l, const tbl *t, const char *pre, const char *text)
{
	for (size_t k = 0; k < t->ncols; k++)
		offer(l, pre, t->cols[k], text);
}

/* text holds a '.': schema.table, table.column or alias.column. */
static void qualified(list *l, const char *line, const char *text)
{
	const char *dot = strrchr(text, '.');
	char *q = xstrndup(text, (size_t)(dot - text)), *pre = xstrndup(text, (size_t)(dot - text) + 1);
	char *bare = xstrdup(q);
	size_t j = 0;
	for (char *p = q; *p; p++)
		if (*p != '"')
			bare[j++] = *p;
	bare[j] = 0;
	if (schema_named(bare)) {
		for (size_t i = 0; i < nm.nt; i++)
			if (strcasecmp(nm.t[i].schema, bare) == 0)
				offer(l, pre, nm.t[i].name, text);
	} else {
		const tbl *t = resolve(line, bare);
		if (t)
			offer_columns(l, t, pre, text);
	}
	free(q), free(pre), free(bare);
}

static void sql_words(list *l, const char *line, const char *text)
{
	char **w;
	int n = words_of(line, &w), mentioned = 0;
	offer_keywords(l, text);
	for (size_t i = 0; i < nm.nschemas; i++)
		offer(l, "", nm.schemas[i], text);
	for (size_t i = 0; i < nm.nt; i++)
		offer(l, "", nm.t[i].name, text);
	for (int i = 0; i < n; i++) {
		const tbl *t = table_of_word(w[i]);
		if (t) {
			offer_columns(l, t, "", text);
			mentioned = 1;
		}
	}
	for (size_t i = 0; i < nm.nt && !mentioned; i++)
		offer_columns(l, &nm.t[i], "", text);
	for (int i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* Arguments of a dot-command, by the kind its table entry gives. */
static void dot_words(list *l, const char *cmd, const char *text, int *file_paths)
{
	switch (dot_arg(cmd)) {
	case DOT_ARG_FILE:
		*file_paths = 1;
		break;
	case DOT_ARG_ONOFF:
		offer(l, "", "on", text);
		offer(l, "", "off", text);
		break;
	case DOT_ARG_MODE:
		for (int i = 0; render_mode_name(i); i++)
			offer(l, "", render_mode_name(i), text);
		break;
	case DOT_ARG_TABLE:
		names_load();
		for (size_t i = 0; i < nm.nt; i++)
			offer(l, "", nm.t[i].name, text);
		break;
	case DOT_ARG_DOT:
		for (int i = 0; dot_name(i); i++)
			offer(l, "", dot_name(i), text);
		break;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
static char **finish(list *l)
{
	size_t j = 0;
	if (!l->n)
		return NULL;
	qsort(l->v, l->n, sizeof *l->v, by_name);
	for (size_t i = 0; i < l->n; i++) {
		if (j && strcmp(l->v[j - 1], l->v[i]) == 0)
			free(l->v[i]);
		else
			l->v[j++] = l->v[i];
	}
	l->v[j] = NULL;
	return l->v;
}

char **shell_candidates(const char *line, int start, const char *text, int *file_paths)
{
	list l = { 0 };
	const char *p = line + strspn(line, " \t");
	*file_paths = 0;
	if (*p == '.') {
		size_t cmd = strcspn(p, " \t");
		if (line + start <= p) {
			for (int i = 0; dot_name(i); i++)
				offer(&l, ".", dot_name(i), text);
		} else {
			char *name = xstrndup(p, cmd);
			dot_words(&l, name, text, file_paths);
			free(name);
		}
		return finish(&l);
	}
	names_load();
	if (strchr(text, '.'))
		qualified(&l, line, text);
	else
		sql_words(&l, line, text);
	return finish(&l);
}

/* ---- readline glue ---- */

static char **cands;
static size_t cand_at;

static char *next_cand(const char *text, int state)
{
	(void)text;
	if (!state)
		cand_at = 0;
	return cands && cands[cand_at] ? xstrdup(cands[cand_at++]) : NULL;
}

static char **attempt(const char *text, int start, int end)
{
	int files;
	(void)end;
	cands = shell_candidates(rl_line_buffer, start, text, &files);
	rl_attempted_completion_over = !files;  /* paths: readline's own completer */
	char **m = cands ? rl_completion_matches(text, next_cand) : NULL;
	for (size_t i = 0; cands && cands[i]; i++)
		free(cands[i]);
	free(cands);
	cands = NULL;
	return m;
}

/* Word boundaries: SQL punctuation in statements; in a dot-command line
 * blanks only (paths keep their '-' and '='), and quotes group words, so a
 * path with a blank completes as '/a b/c' (dot_split reads it back). */
static char *word_breaks(void)
{
	static char sql[] = " \t\n(),;=<>+-*/|!%&~^'`";
	static char dot[] = " \t\n";
	const char *p = rl_line_buffer + strspn(rl_line_buffer, " \t");
	rl_completer_quote_characters = *p == '.' ? "'\"" : NULL;
	return *p == '.' ? dot : sql;
}

void shell_complete_begin(session *s)
{
	nm.s = s;
	rl_attempted_completion_function = attempt;
	rl_completion_word_break_hook = word_breaks;
	rl_basic_word_break_characters = " \t\n(),;=<>+-*/|!%&~^'`";
	rl_completer_quote_characters = NULL;
	rl_filename_quote_characters = " \t\n\\\"'@<>=;|&()#$`?*[!:{";
	rl_ignore_completion_duplicates = 1;
}

void shell_complete_end(void)
{
	names_clear();
	nm.s = NULL;
	rl_attempted_completion_function = NULL;
	rl_completion_word_break_hook = NULL;
}
