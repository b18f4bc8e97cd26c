/*
 * dot.c: the dot-command table and the commands themselves. Each entry has
 * its name, argument counts, usage, one line of help and what its argument
 * is (for the shell's Tab completion); `.help` prints the table. Names may
 * be abbreviated to any unique prefix (".he" = ".headers"); an entry may
 * also claim short prefixes outright (".q" = ".quit", as in sqlite3).
 */
#define _GNU_SOURCE
#include "dot.h"
#include "backup.h"
#include "cli.h"
#include "sqlval.h"
#include "stats.h"
#include "textesc.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef int (*dot_fn)(session *s, int argc, char **argv);

struct dot {
	const char *name;
	int min, max;       /* argument count, not counting the name */
	const char *usage;
	const char *help;
	dot_fn fn;
	int arg;            /* enum dot_arg: what the first argument is */
	int claim;          /* > 0: any prefix this long or longer means this
	                       command, even when others share it */
};

static const struct dot *find(const char *name, lc_err *e);
static char *unbackslash(char *s);

/* ---- helpers ---- */

static int on_off(const char *s, int *v)
{
	static const struct { const char *w; int v; } words[] = {
		{ "on", 1 }, { "off", 0 }, { "yes", 1 }, { "no", 0 }, { "1", 1 }, { "0", 0 },
		{ "true", 1 }, { "false", 0 },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(s, words[i].w) == 0) {
			*v = words[i].v;
			return 0;
		}
	return -1;
}

static int usage_err(session *s, const struct dot *d)
{
	lc_err e;
	lc_err_set(&e, LC_EUSAGE, "usage: .%s %s", d->name, d->usage);
	session_fail(s, &e);
	return -1;
}

/* A sink that prints column 0 of each row, escaped, one per line. */
static int print_row(void *ctx, int ncol, const lc_value *v)
{
	session *s = ctx;
	buf b = { 0 };
	(void)ncol;
	if (v[0].type == LC_TEXT)
		esc_display(&b, v[0].p, v[0].n, ESC_KEEP_NL | ESC_KEEP_TAB);
	buf_addc(&b, '\n');
	int rc = fwrite(b.p, 1, b.len, render_out(s->r)) == b.len ? 0 : -1;
	buf_free(&b);
	return rc;
}

static const lc_sink print_sink = { NULL, print_row, NULL };

/* Run sql built for each database of the connection. fmt takes, in order:
 * %Q the name prefix ("queue." for attached databases when prefix is set,
 * else ""), %w the schema name, %Q the LIKE pattern. */
static int each_db(session *s, const char *fmt, const char *pattern, int prefix)
{
	for (int i = 0; i < conn_ndb(s->c); i++) {
		const char *schema, *path;
		lc_err e = { 0 };
		if (conn_db(s->c, i, &schema, &path) < 0)
			continue;
		char *pre = i && prefix ? xasprintf("%s.", schema) : xstrdup("");
		char *sql = sql_printf(fmt, pre, schema, pattern);
		free(pre);
		int rc = conn_exec(s->c, sql, &print_sink, s, &e);
		free(sql);
		if (rc < 0) {
			session_fail(s, &e);
			return -1;
		}
	}
	return 0;
}

/* ---- commands ---- */

static int d_bail(session *s, int argc, char **argv)
{
	(void)argc;
	return on_off(argv[1], &s->bail) < 0 ? usage_err(s, find("bail", NULL)) : 0;
}

static int d_databases(session *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < conn_ndb(s->c); i++) {
		const char *schema, *path;
		buf b = { 0 };
		if (conn_db(s->c, i, &schema, &path) < 0)
			continue;
		esc_display(&b, schema, strlen(schema), 0);
		buf_adds(&b, ": ");
		esc_display(&b, path, strlen(path), 0);
		fprintf(render_out(s->r), "%s r/o\n", b.p);
		buf_free(&b);
	}
	return 0;
}

static int d_exit(session *s, int argc, char **argv)
{
	s->stop = s->quit = 1;
	if (argc > 1)
		s->status = atoi(argv[1]);
	return 0;
}

static int d_headers(session *s, int argc, char **argv)
{
	int on;
	(void)argc;
	if (on_off(argv[1], &on) < 0)
		return usage_err(s, find("headers", NULL));
	render_set_header(s->r, on);
	return 0;
}

static int d_help(session *s, int argc, char **argv);

static int d_indexes(session *s, int argc, char **argv)
{
	return each_db(s, "SELECT %Q || name FROM \"%w\".sqlite_schema WHERE type='index' "
			  "AND tbl_name LIKE %Q ORDER BY 1", argc > 1 ? argv[1] : "%", 1);
}

static int d_mode(session *s, int argc, char **argv)
{
	if (argc == 1) {
		fprintf(render_out(s->r), "current output mode: %s\n", render_get_mode(s->r));
		return 0;
	}
	if (render_set_mode(s->r, argv[1]) == 0)
		return 0;
	lc_err e;
	buf b = { 0 };
	for (int i = 0; render_mode_name(i); i++)
		buf_addf(&b, "%s%s", i ? " " : "", render_mode_name(i));
	lc_err_set(&e, LC_EUSAGE, "unknown mode \"%s\"; the modes are: %s", argv[1], b.p);
	buf_free(&b);
	session_fail(s, &e);
	return -1;
}

static int d_nullvalue(session *s, int argc, char **argv)
{
	(void)argc;
	render_set_null(s->r, unbackslash(argv[1]));
	return 0;
}

static int d_print(session *s, int argc, char **argv)
{
	FILE *out = render_out(s->r);
	for (int i = 1; i < argc; i++)
		fprintf(out, "%s%s", i > 1 ? " " : "", argv[i]);
	fputc('\n', out);
	return 0;
}

static int d_schema(session *s, int argc, char **argv)
{
	s->schema_stale = 1;
	return each_db(s, "SELECT %Q || sql || ';' FROM \"%w\".sqlite_schema WHERE sql IS NOT NULL "
			  "AND tbl_name LIKE %Q AND name NOT LIKE 'sqlite_%%' ORDER BY tbl_name, type DESC, name",
		       argc > 1 ? argv[1] : "%", 0);
}

/* Resolve \t \n \r \\ in place, as sqlite3 does for separators. */
static char *unbackslash(char *s)
{
	static const char from[] = "tnr\\", to[] = "\t\n\r\\";
	char *w = s;
	for (const char *p = s; *p; p++) {
		const char *k = p[0] == '\\' && p[1] ? strchr(from, p[1]) : NULL;
		*w++ = k ? to[k - from] : *p;
		p += k != NULL;
	}
	*w = 0;
	return s;
}

static int d_separator(session *s, int argc, char **argv)
{
	render_set_colsep(s->r, unbackslash(argv[1]));
	if (argc > 2)
		render_set_rowsep(s->r, unbackslash(argv[2]));
	return 0;
}

static int d_tables(session *s, int argc, char **argv)
{
	s->schema_stale = 1;  /* the shell reloads its completion names */
	return each_db(s, "SELECT %Q || name FROM \"%w\".sqlite_schema WHERE type IN ('table','view') "
			  "AND name NOT LIKE 'sqlite_%%' AND name LIKE %Q ORDER BY 1",
		       argc > 1 ? argv[1] : "%", 1);
}

static int d_timeout(session *s, int argc, char **argv)
{
	char *end;
	(void)argc;
	double sec = strtod(argv[1], &end);
	if (*end || sec < 0)
		return usage_err(s, find("timeout", NULL));
	s->timeout_ms = (int)(sec * 1000);
	conn_set_timeout(s->c, s->timeout_ms);
	return 0;
}

static int d_timer(session *s, int argc, char **argv)
{
	(void)argc;
	return on_off(argv[1], &s->timer) < 0 ? usage_err(s, find("timer", NULL)) : 0;
}

static int d_eqp(session *s, int argc, char **argv)
{
	(void)argc;
	return on_off(argv[1], &s->eqp) < 0 ? usage_err(s, find("eqp", NULL)) : 0;
}

static int d_pager(session *s, int argc, char **argv)
{
	(void)argc;
	return on_off(argv[1], &s->pager) < 0 ? usage_err(s, find("pager", NULL)) : 0;
}

static int d_limit(session *s, int argc, char **argv)
{
	char *end;
	if (argc == 1) {
		fprintf(render_out(s->r), s->limit ? "at most %lld rows per result\n" : "no row limit\n", s->limit);
		return 0;
	}
	errno = 0;
	long long n = strtoll(argv[1], &end, 10);
	if (*end || end == argv[1] || n < 0 || errno)
		return usage_err(s, find("limit", NULL));
	s->limit = n;
	return 0;
}

/* .once / .output: a file, or "|command words..." (the words joined). */
static int d_output(session *s, int argc, char **argv)
{
	int once = strcmp(argv[0], "once") == 0;
	if (argc == 1)
		return session_output(s, NULL, 0);
	if (argc > 2 && argv[1][0] != '|')
		return usage_err(s, find(argv[0], NULL));
	buf b = { 0 };
	for (int i = 1; i < argc; i++)
		buf_addf(&b, "%s%s", i > 1 ? " " : "", argv[i]);
	int rc = session_output(s, b.p, once);
	buf_free(&b);
	return rc;
}

#define READ_DEPTH 16

static int d_read(session *s, int argc, char **argv)
{
	lc_err e;
	(void)argc;
	if (s->depth >= READ_DEPTH) {
		lc_err_set(&e, LC_EUSAGE, ".read nested more than %d deep (does a file read itself?)", READ_DEPTH);
		session_fail(s, &e);
		return -1;
	}
	if (conn_check_input(s->c, argv[1], &e) < 0) {
		session_fail(s, &e);
		return -1;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		lc_err_set(&e, LC_EUSAGE, "cannot read %s: %s", argv[1], strerror(errno));
		session_fail(s, &e);
		return -1;
	}
	int before = s->status;
	s->status = 0;
	s->depth++;
	int rc = session_script(s, f, argv[1]);
	s->depth--;
	if (before && s->status != LC_ECANCEL)
		s->status = before;
	fclose(f);
	return rc;
}

/* .backup [--verify M] [--compress W] [--max-rate MB] [--quiet] DEST: the
 * command line's backup options, then its own. */
static int d_backup(session *s, int argc, char **argv)
{
	const cli *c = s->opts;
	backup_opts o = { .quiet = c ? c->quiet : 0 };
	const char *dest;
	lc_err e = { 0 };
	fflush(render_out(s->r));
	if ((!c || backup_opts_from(c->verify, c->compress, c->max_rate, &o, &e) == 0) &&
	    backup_args(argc - 1, argv + 1, &o, &dest, &e) == 0 &&
	    (dest || lc_err_set(&e, LC_EUSAGE, "backup needs a DEST: a local path or host:/path") == 0) &&
	    backup_run(s->c, dest, &o, &e) == 0)
		return 0;
	session_fail(s, &e);
	return -1;
}

/* .stats and its parts: the inspection report, or some of its sections. */
static const struct view {
	const char *cmd;
	const char *sect[3];    /* NULL-terminated; none = the whole report */
} views[] = {
	{ "stats", { NULL } },
	{ "wal", { "files", NULL } },
	{ "queue", { "queues", "processes", NULL } },
	{ "orders", { "orders", "orders_latest", NULL } },
};

static void print_view(FILE *out, const inspect_report *r, const struct view *v)
{
	isect *pick[3];
	inspect_report part = { .taken_at = r->taken_at, .sect = pick };
	if (!v->sect[0]) {
		stats_text(out, r);
		return;
	}
	for (int k = 0; k < 3 && v->sect[k]; k++)
		for (int i = 0; i < r->nsect; i++)
			if (strcmp(r->sect[i]->name, v->sect[k]) == 0 && part.nsect < 3)
				pick[part.nsect++] = r->sect[i];
	stats_text(out, &part);  /* a view of r's sections: nothing to free */
}

static int d_report(session *s, int argc, char **argv)
{
	const cli *o = s->opts;
	const struct view *v = &views[0];
	inspect_report *r;
	lc_err e = { 0 };
	(void)argc;
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
		if (strcmp(argv[0], views[i].cmd) == 0)
			v = &views[i];
	inspect_opts io = { .orders_table = o ? o->orders : NULL, .latest = o ? o->latest : 0, .stale_s = 300,
			    .openers = v == &views[0] };
	if (conn_inspect(s->c, &io, &r, &e) < 0) {
		session_fail(s, &e);
		return -1;
	}
	print_view(render_out(s->r), r, v);
	fflush(render_out(s->r));
	inspect_free(r);
	return 0;
}

static int d_check(session *s, int argc, char **argv)
{
	cli o = s->opts ? *s->opts : (cli){ .header = -1 };
	(void)argc;
	(void)argv;
	o.json = o.prometheus = 0;
	int rc = check_run(render_out(s->r), &o, s->c);
	fflush(render_out(s->r));
	if (rc == LC_ECANCEL) {
		s->status = LC_ECANCEL;
		s->stop = 1;
	} else if (rc && !s->status) {
		s->status = rc;  /* problems found: exit 1, as litecon check */
	}
	return rc ? -1 : 0;
}

static const struct dot dots[] = {
	{ "backup", 1, 63, "?OPTIONS? DEST", "consistent online backup to DEST (a local path or host:/path)", d_backup, DOT_ARG_FILE, 0 },
	{ "bail", 1, 1, "on|off", "stop at the first error", d_bail, DOT_ARG_ONOFF, 0 },
	{ "check", 0, 0, "", "look for problems, as litecon check does", d_check, 0, 0 },
	{ "databases", 0, 0, "", "list the databases of the target", d_databases, 0, 0 },
	{ "eqp", 1, 1, "on|off", "show the query plan before each statement", d_eqp, DOT_ARG_ONOFF, 0 },
	{ "exit", 0, 1, "?CODE?", "leave, with exit status CODE", d_exit, 0, 0 },
	{ "headers", 1, 1, "on|off", "show column names", d_headers, DOT_ARG_ONOFF, 0 },
	{ "help", 0, 1, "?COMMAND?", "show this help", d_help, DOT_ARG_DOT, 0 },
	{ "indexes", 0, 1, "?TABLE?", "list indexes (of tables matching the LIKE pattern)", d_indexes, DOT_ARG_TABLE, 0 },
	{ "limit", 0, 1, "?N?", "show at most N rows of each result (0 = all)", d_limit, 0, 0 },
	{ "mode", 0, 1, "?MODE?", "box table markdown csv tsv json jsonl line list", d_mode, DOT_ARG_MODE, 0 },
	{ "nullvalue", 1, 1, "TEXT", "text shown for NULL", d_nullvalue, 0, 0 },
	{ "once", 1, 64, "FILE", "send the next command's output to FILE ('|cmd': to a command)", d_output, DOT_ARG_FILE, 0 },
	{ "orders", 0, 0, "", "order counts and rates, and the latest orders", d_report, 0, 0 },
	{ "output", 0, 64, "?FILE?", "send output to FILE ('|cmd': to a command); no FILE: back to the screen",
	  d_output, DOT_ARG_FILE, 0 },
	{ "pager", 1, 1, "on|off", "shell: results taller than the screen go through $PAGER", d_pager, DOT_ARG_ONOFF, 0 },
	{ "print", 0, 64, "TEXT...", "print the words", d_print, 0, 0 },
	{ "queue", 0, 0, "", "Solid Queue: depth per queue, latency, workers' heartbeats", d_report, 0, 0 },
	{ "quit", 0, 0, "", "leave", d_exit, 0, 1 },
	{ "read", 1, 1, "FILE", "run the SQL and dot-commands in FILE", d_read, DOT_ARG_FILE, 0 },
	{ "schema", 0, 1, "?PATTERN?", "show CREATE statements (of tables matching the LIKE pattern)", d_schema, DOT_ARG_TABLE, 0 },
	{ "separator", 1, 2, "COL ?ROW?", "column and row separators", d_separator, 0, 0 },
	{ "stats", 0, 0, "", "the store's facts: files, WAL, orders, queue, sequences, openers", d_report, 0, 0 },
	{ "tables", 0, 1, "?PATTERN?", "list tables and views (LIKE pattern)", d_tables, DOT_ARG_TABLE, 0 },
	{ "timeout", 1, 1, "SECONDS", "time limit for each statement (0 = none)", d_timeout, 0, 0 },
	{ "timer", 1, 1, "on|off", "print how long each statement took", d_timer, DOT_ARG_ONOFF, 0 },
	{ "wal", 0, 0, "", "per file: size, WAL size, live and checkpointed WAL frames", d_report, 0, 0 },
};
#define NDOTS (sizeof dots / sizeof dots[0])

const char *dot_name(int i)
{
	return i >= 0 && (size_t)i < NDOTS ? dots[i].name : NULL;
}

/* What .help COMMAND adds for a command with options. */
static const struct {
	const char *name, *more;
} details[] = {
	{ "backup", "  OPTIONS (the command line's --verify, --compress, --max-rate and --quiet are the defaults):\n"
		    "  --verify quick|full            quick_check (default) or integrity_check before the rename\n"
		    "  --compress auto|always|never   zstd on the wire (auto: over SSH)\n"
		    "  --max-rate MB                  at most MB megabytes per second\n"
		    "  --quiet                        no progress bar (the summary line stays)\n" },
};

static int d_help(session *s, int argc, char **argv)
{
	FILE *out = render_out(s->r);
	for (size_t i = 0; i < NDOTS; i++) {
		if (argc > 1 && strncmp(dots[i].name, argv[1] + (argv[1][0] == '.'), strlen(argv[1])) != 0)
			continue;
		char use[64];
		snprintf(use, sizeof use, ".%s %s", dots[i].name, dots[i].usage);
		fprintf(out, "%-24s %s\n", use, dots[i].help);
		for (size_t k = 0; argc > 1 && k < sizeof details / sizeof *details; k++)
			if (!strcmp(details[k].name, dots[i].name))
				fputs(details[k].more, out);
	}
	return 0;
}

/* Exact name, else the entry that claims this prefix, else the only entry
 * that name is a prefix of. */
static const struct dot *find(const char *name, lc_err *e)
{
	const struct dot *hit = NULL;
	size_t n = strlen(name);
	int many = 0;
	for (size_t i = 0; i < NDOTS; i++) {
		if (strcmp(dots[i].name, name) == 0)
			return &dots[i];
		if (n && strncmp(dots[i].name, name, n) == 0) {
			if (dots[i].claim && n >= (size_t)dots[i].claim)
				return &dots[i];
			many += hit != NULL;
			hit = &dots[i];
		}
	}
	if (many) {
		lc_err_set(e, LC_EUSAGE, ".%s is ambiguous; type more of it (see .help)", name);
		return NULL;
	}
	if (!hit)
		lc_err_set(e, LC_EUSAGE, "unknown command .%s; .help lists them", name);
	return hit;
}

int dot_arg(const char *name)
{
	const struct dot *d = find(name[0] == '.' ? name + 1 : name, NULL);
	return d ? d->arg : DOT_ARG_NONE;
}

int dot_split(const char *p, char ***argv)
{
	char **v = xcalloc(65, sizeof *v);
	int n = 0;
	while (n < 64) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		buf w = { 0 };
		char q = (*p == '\'' || *p == '"') ? *p++ : 0;
		while (*p && (q ? *p != q : !isspace((unsigned char)*p))) {
			if (q == '"' && *p == '\\' && p[1]) {
				static const char from[] = "ntr\\\"", to[] = "\n\t\r\\\"";
				const char *k = strchr(from, p[1]);
				buf_addc(&w, k ? to[k - from] : p[1]);
				p += 2;
				continue;
			}
			buf_addc(&w, *p++);
		}
		if (q && *p == q)
			p++;
		v[n++] = w.p ? w.p : xstrdup("");
	}
	*argv = v;
	return n;
}

void dot_free_args(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int session_dot(session *s, const char *line)
{
	char **argv;
	int argc = dot_split(line + 1, &argv), rc = -1;
	lc_err e = { 0 };
	const struct dot *d = argc ? find(argv[0], &e) : NULL;
	if (!argc)
		lc_err_set(&e, LC_EUSAGE, "a '.' alone is not a command; .help lists them");
	if (!d) {
		session_fail(s, &e);
		goto out;
	}
	if (argc - 1 < d->min || argc - 1 > d->max) {
		usage_err(s, d);
		goto out;
	}
	free(argv[0]);
	argv[0] = xstrdup(d->name);  /* commands see their full name */
	rc = d->fn(s, argc, argv);
out:
	dot_free_args(argc, argv);
	session_done(s);
	return rc;
}
