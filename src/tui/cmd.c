/*
 * cmd.c: the TUI's ':' commands, one table: name, argument kind (for
 * completion), help, and the function. Keys such as `e`, `t` and `b` run
 * the same commands.
 */
#define _GNU_SOURCE
#include "backup.h"
#include "dot.h"
#include "tui_app.h"
#include "tui_draw.h"
#include "tui_prompt.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ARG_WORDS: words (--flags, then a path), completed one by one. */
enum arg_kind { ARG_NONE, ARG_TABLE, ARG_SCHEMA, ARG_THEME, ARG_PATH, ARG_WORDS, ARG_NUMBER, ARG_SQL };

typedef struct tcmd {
	const char *name;
	int arg;                 /* enum arg_kind */
	const char *usage;
	void (*run)(app *a, const char *arg);
} tcmd;

/* "schema.table" or "table" (in main, or the first schema that has it). */
static void split_table(app *a, const char *arg, char *schema, size_t slen, char *table, size_t tlen)
{
	const char *dot = strchr(arg, '.');
	const tcat *c = app_catalog(a);
	if (dot && dot != arg && dot[1]) {
		snprintf(schema, slen, "%.*s", (int)(dot - arg), arg);
		snprintf(table, tlen, "%s", dot + 1);
		if (tcat_find(c, schema, table))
			return;
	}
	snprintf(table, tlen, "%s", arg);
	snprintf(schema, slen, "main");
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->t[i].name, arg) == 0) {
			snprintf(schema, slen, "%s", c->t[i].schema);
			if (strcmp(c->t[i].schema, "main") == 0)
				break;
		}
}

static void c_tables(app *a, const char *arg)
{
	app_push(a, tables_new(a, *arg ? arg : NULL));
}

static void c_table(app *a, const char *arg)
{
	char schema[128], table[256];
	if (!*arg) {
		app_msg(a, TH_error, "usage: :table NAME (Tab completes the names)");
		return;
	}
	split_table(a, arg, schema, sizeof schema, table, sizeof table);
	if (app_catalog(a)->loaded && !tcat_find(app_catalog(a), schema, table)) {
		app_msg(a, TH_error, "no table called %.100s (Tab completes the names; :tables lists them)", arg);
		return;
	}
	app_push(a, grid_table(a, schema, table, 0));
}

static void c_query(app *a, const char *arg)
{
	view *v = editor_new(a);
	app_push(a, v);
	if (*arg)
		editor_set(v, arg);
}

static void c_orders(app *a, const char *arg)
{
	(void)arg;
	app_push(a, grid_table(a, "main", app_orders_table(a), 1));
}

/* Back to the dashboard with the named pane in focus. */
static void focus_pane(app *a, const char *pane)
{
	while (app_top(a)->cls->ctx != KC_DASH)
		app_pop(a);
	dash_focus(app_top(a), pane);
}

static void c_queue(app *a, const char *arg)
{
	(void)arg;
	focus_pane(a, "Queue");
}

static void c_wal(app *a, const char *arg)
{
	(void)arg;
	focus_pane(a, "WAL");
}

/* :backup [--verify M] [--compress W] [--max-rate MB] [DEST]: the words as
 * .backup takes them (quoted as the shell quotes), over the command line's. */
static void c_backup(app *a, const char *arg)
{
	char dest[512], **argv;
	const char *to;
	backup_opts bo = *tui_backup_defaults(a);
	lc_err e = { 0 };
	int argc = dot_split(arg, &argv);
	int bad = backup_args(argc, argv, &bo, &to, &e) < 0;
	if (!bad && to)
		snprintf(dest, sizeof dest, "%s", to);
	dot_free_args(argc, argv);
	if (bad) {
		app_msg(a, TH_error, "%s", e.msg);
		return;
	}
	if (!to) {
		char when[32];
		time_t now = time(NULL);
		strftime(when, sizeof when, "%Y%m%d-%H%M%S", gmtime(&now));
		int store = twork_ndb(app_work(a)) > 1;
		snprintf(dest, sizeof dest, "litecon-backup-%s%s", when, store ? "" : ".sqlite3");
	}
	tui_backup(a, dest, &bo);
}

static void c_theme(app *a, const char *arg)
{
	if (!*arg) {
		app_msg(a, TH_error, "usage: :theme NAME (default, light, solarized-dark, high-contrast, mono, or a file)");
		return;
	}
	app_theme(a, arg);
}

static void c_refresh(app *a, const char *arg)
{
	char *end;
	double s = strtod(arg, &end);
	if (!*arg || *end || s < 0.2 || s > 3600) {
		app_msg(a, TH_error, "usage: :refresh SECONDS (0.2 to 3600)");
		return;
	}
	tui_set_refresh(a, (int)(s * 1000));
	app_msg(a, TH_ok, "refreshing every %g s", s);
}

static void c_export(app *a, const char *arg)
{
	const tres *r = grid_result(app_top(a));
	lc_err e = { 0 };
	if (!r) {
		app_msg(a, TH_error, "nothing to export here: open a table or run a query first");
		return;
	}
	if (!*arg) {
		app_msg(a, TH_error, "usage: :export FILE (.csv for CSV, else JSON)");
		return;
	}
	if (twork_check_output(app_work(a), arg, &e) < 0 || tui_export(r, arg, &e) < 0)
		app_msg(a, TH_error, "%s", e.msg);
	else
		app_msg(a, TH_ok, "exported %zu rows to %s", r->nrows, arg);
}

static void c_quit(app *a, const char *arg)
{
	(void)arg;
	tui_quit(a);
}

static void c_help(app *a, const char *arg)
{
	(void)arg;
	app_push(a, help_new(a));
}

static const tcmd cmds[] = {
	{ "tables", ARG_SCHEMA, "tables [SCHEMA]   the tables of every database, with row counts", c_tables },
	{ "table", ARG_TABLE, "table NAME        browse a table (keyset paging, sort, filter)", c_table },
	{ "query", ARG_NONE, "query             the query editor", c_query },
	{ "orders", ARG_NONE, "orders            the orders table, newest first", c_orders },
	{ "queue", ARG_NONE, "queue             the Queue pane of the dashboard", c_queue },
	{ "wal", ARG_NONE, "wal               the WAL pane of the dashboard", c_wal },
	{ "backup", ARG_WORDS, "backup [DEST]     a consistent, verified backup (default ./litecon-backup-TIME; --verify, --compress, --max-rate as .backup)", c_backup },
	{ "theme", ARG_THEME, "theme NAME        switch the colours", c_theme },
	{ "refresh", ARG_NUMBER, "refresh SECONDS   how often the dashboard reads the store", c_refresh },
	{ "export", ARG_PATH, "export FILE       the grid's rows to FILE (.csv, else JSON)", c_export },
	{ "help", ARG_NONE, "help              every key and command", c_help },
	{ "quit", ARG_NONE, "quit              leave (also :q)", c_quit },
	{ "q", ARG_NONE, "q                 leave", c_quit },
};

const char *cmd_usage(int i)
{
	return i >= 0 && (size_t)i < sizeof cmds / sizeof *cmds ? cmds[i].usage : NULL;
}

static const tcmd *lookup(const char *name, size_t n, int *ambiguous)
{
	const tcmd *hit = NULL;
	*ambiguous = 0;
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		if (strlen(cmds[i].name) == n && strncmp(cmds[i].name, name, n) == 0)
			return &cmds[i];  /* exact wins */
		if (strncmp(cmds[i].name, name, n) == 0) {
			*ambiguous = hit != NULL;
			hit = hit ? hit : &cmds[i];
		}
	}
	return *ambiguous ? NULL : hit;
}

void app_command(app *a, const char *line)
{
	while (*line == ' ')
		line++;
	size_t n = strcspn(line, " ");
	if (!n)
		return;
	int amb;
	const tcmd *c = lookup(line, n, &amb);
	if (!c) {
		app_msg(a, TH_error, "%s command :%.*s (Tab lists them; ? shows the help)", amb ? "ambiguous" : "no such",
			(int)(n > 40 ? 40 : n), line);
		return;
	}
	const char *arg = line + n;
	while (*arg == ' ')
		arg++;
	char *trimmed = xstrdup(arg);
	for (size_t k = strlen(trimmed); k && trimmed[k - 1] == ' ';)
		trimmed[--k] = 0;
	c->run(a, trimmed);
	free(trimmed);
}

/* ---- completion ---- */

typedef struct clist {
	char **v;
	int n;
} clist;

static void add(clist *l, const char *pre, size_t plen, const char *word, const char *typed)
{
	if (strncmp(word, typed, strlen(typed)) != 0)
		return;
	l->v = xrealloc(l->v, sizeof *l->v * (size_t)(l->n + 2));
	l->v[l->n++] = xasprintf("%.*s%s", (int)plen, pre, word);
	l->v[l->n] = NULL;
}

static void paths(clist *l, const char *pre, size_t plen, const char *typed)
{
	const char *slash = strrchr(typed, '/');
	char *dir = slash ? xstrndup(typed, (size_t)(slash - typed) + 1) : xstrdup("");
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *e;
	while (d && (e = readdir(d)) && l->n < 200) {
		if (e->d_name[0] == '.' && (!slash ? typed[0] != '.' : slash[1] != '.'))
			continue;
		char *full = xasprintf("%s%s", dir, e->d_name);
		add(l, pre, plen, full, typed);
		free(full);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* The last word of typed: a --flag of :backup, else a path. */
static void words(clist *l, const char *line, size_t plen, const char *typed)
{
	static const char *const flags[] = { "--verify", "--compress", "--max-rate", "--quiet" };
	const char *last = strrchr(typed, ' ');
	last = last ? last + 1 : typed;
	plen += (size_t)(last - typed);
	if (last[0] != '-') {
		paths(l, line, plen, last);
		return;
	}
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		add(l, line, plen, flags[i], last);
}

static void args(app *a, clist *l, const tcmd *c, const char *line, size_t plen, const char *typed)
{
	const tcat *cat = app_catalog(a);
	if (c->arg == ARG_TABLE)
		for (int i = 0; i < cat->n; i++) {
			char *q = strcmp(cat->t[i].schema, "main") == 0 ? xstrdup(cat->t[i].name)
									 : xasprintf("%s.%s", cat->t[i].schema, cat->t[i].name);
			add(l, line, plen, q, typed);
			free(q);
		}
	else if (c->arg == ARG_SCHEMA)
		for (int i = 0; i < twork_ndb(app_work(a)); i++)
			add(l, line, plen, twork_schema(app_work(a), i), typed);
	else if (c->arg == ARG_THEME)
		for (int i = 0; theme_shipped[i]; i++)
			add(l, line, plen, theme_shipped[i], typed);
	else if (c->arg == ARG_PATH)
		paths(l, line, plen, typed);
	else if (c->arg == ARG_WORDS)
		words(l, line, plen, typed);
}

char **cmd_complete(app *a, const char *line)
{
	clist l = { 0 };
	size_t n = strcspn(line, " ");
	if (!line[n]) {
		for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
			add(&l, "", 0, cmds[i].name, line);
		return l.v;
	}
	int amb;
	const tcmd *c = lookup(line, n, &amb);
	if (!c)
		return NULL;
	const char *typed = line + n;
	while (*typed == ' ')
		typed++;
	args(a, &l, c, line, (size_t)(typed - line), typed);
	return l.v;
}
