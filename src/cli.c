/*
 * cli.c: command-line parsing from one option table; the same table prints
 * --help, so the two cannot disagree (a test checks the man page too).
 */
#include "cli.h"
#include "render.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef int (*opt_fn)(cli *o, const char *name, const char *arg, lc_err *e);

struct opt {
	const char *name;     /* without dashes */
	const char *arg;      /* argument name, NULL for a flag */
	const char *help;     /* NULL: an alias, not listed on its own */
	opt_fn fn;
};

static int o_mode(cli *o, const char *name, const char *arg, lc_err *e)
{
	const char *m = arg ? arg : name;
	if (render_mode_find(m) < 0)
		return lc_err_set(e, LC_EUSAGE, "unknown output mode \"%s\" (box table markdown csv tsv json jsonl line list)", m);
	o->mode = m;
	o->json = strcmp(m, "json") == 0;
	return 0;
}

static int o_header(cli *o, const char *name, const char *arg, lc_err *e)
{
	(void)arg;
	(void)e;
	o->header = strncmp(name, "no", 2) != 0;
	return 0;
}

/* Is arg one of the words of choices ("a|b|c")? */
static int one_of(const char *arg, const char *choices)
{
	size_t n = strlen(arg);
	for (const char *p = choices; n && p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
		if (!strncmp(p, arg, n) && (p[n] == '|' || !p[n]))
			return 1;
	return 0;
}

static int o_str(cli *o, const char *name, const char *arg, lc_err *e)
{
	static const struct {
		const char *name;
		size_t off;
		const char *choices;  /* the values it takes, or NULL: any */
	} slots[] = {
		{ "separator", offsetof(cli, colsep), NULL }, { "newline", offsetof(cli, rowsep), NULL },
		{ "nullvalue", offsetof(cli, nullvalue), NULL }, { "f", offsetof(cli, file), NULL },
		{ "file", offsetof(cli, file), NULL }, { "keep", offsetof(cli, keep), NULL },
		{ "orders", offsetof(cli, orders), NULL }, { "agent", offsetof(cli, agent), NULL },
		{ "verify", offsetof(cli, verify), "quick|full" }, { "theme", offsetof(cli, theme), NULL },
		{ "compress", offsetof(cli, compress), "auto|always|never" },
	};
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		if (strcmp(name, slots[i].name) != 0)
			continue;
		if (slots[i].choices && !one_of(arg, slots[i].choices))
			return lc_err_set(e, LC_EUSAGE, "--%s takes one of %s, not \"%s\"", name, slots[i].choices, arg);
		*(const char **)((char *)o + slots[i].off) = arg;
	}
	return 0;
}

static int o_flag(cli *o, const char *name, const char *arg, lc_err *e)
{
	static const struct { const char *name; size_t off; } slots[] = {
		{ "bail", offsetof(cli, bail) }, { "help", offsetof(cli, help) },
		{ "h", offsetof(cli, help) }, { "version", offsetof(cli, version) },
		{ "V", offsetof(cli, version) }, { "no-tui", offsetof(cli, no_tui) },
		{ "prometheus", offsetof(cli, prometheus) }, { "full", offsetof(cli, full) },
		{ "sudo", offsetof(cli, sudo) }, { "quiet", offsetof(cli, quiet) },
		{ "readonly", 0 },
	};
	(void)arg;
	(void)e;
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (strcmp(name, slots[i].name) == 0 && slots[i].off)
			*(int *)((char *)o + slots[i].off) = 1;
	return 0;
}

/* Numeric options: where each goes and in what unit. A time kept in
 * milliseconds in an int stops at INT_MAX ms (24 days); smaller values
 * than floor are raised to it. */
enum { N_MS, N_INT, N_DOUBLE };
static const struct num_opt {
	const char *name;
	size_t off;
	int kind;
	double floor, max;
} nums[] = {
	{ "timeout", offsetof(cli, timeout_ms), N_MS, 0, INT_MAX / 1000 },
	{ "refresh", offsetof(cli, refresh_ms), N_MS, 0.2, INT_MAX / 1000 },
	{ "watch", offsetof(cli, watch), N_INT, 1, 86400 * 365 },
	{ "latest", offsetof(cli, latest), N_INT, 0, 86400 * 365 },
	{ "rate", offsetof(cli, rate), N_INT, 0, 86400 * 365 },
	{ "max-rate", offsetof(cli, max_rate), N_DOUBLE, 0, 86400 * 365 },
};

static int o_num(cli *o, const char *name, const char *arg, lc_err *e)
{
	const struct num_opt *n = nums;
	while (n < nums + sizeof nums / sizeof *nums - 1 && strcmp(n->name, name) != 0)
		n++;
	char *end;
	double v = strtod(arg, &end);
	/* NaN fails both tests; a value past max would not fit an int (UB). */
	if (*end || end == arg || !(v >= 0 && v <= n->max))
		return lc_err_set(e, LC_EUSAGE, "--%s needs a number from 0 to %.0f, not \"%s\"", name, n->max, arg);
	if (v < n->floor)
		v = n->floor;
	void *slot = (char *)o + n->off;
	if (n->kind == N_MS)
		*(int *)slot = (int)(v * 1000);
	else if (n->kind == N_INT)
		*(int *)slot = (int)v;
	else
		*(double *)slot = v;
	return 0;
}

static int o_ssh(cli *o, const char *name, const char *arg, lc_err *e)
{
	char *end;
	if (!strcmp(name, "p")) {
		long p = strtol(arg, &end, 10);
		if (*end || p < 1 || p > 65535)
			return lc_err_set(e, LC_EUSAGE, "-p needs a port number, not \"%s\"", arg);
		o->ssh.port = (int)p;
	} else if (!strcmp(name, "l")) {
		o->ssh.user = arg;
	} else if (!strcmp(name, "i")) {
		o->ssh.identity = arg;
	} else if (!strcmp(name, "F")) {
		o->ssh.config = arg;
	} else {
		if (!strchr(arg, '=') && !strchr(arg, ' '))
			return lc_err_set(e, LC_EUSAGE, "-o needs Key=Value, not \"%s\"", arg);
		if (o->ssh.nopts == SSHC_MAX_LIST)
			return lc_err_set(e, LC_EUSAGE, "at most %d -o options; put the rest in an ssh_config (-F)", SSHC_MAX_LIST);
		o->ssh.opts[o->ssh.nopts++] = arg;
	}
	return 0;
}

static const struct opt opts[] = {
	{ "box", NULL, "output as a table drawn with box characters (default on a terminal)", o_mode },
	{ "table", NULL, "output as an ASCII table", o_mode },
	{ "markdown", NULL, "output as a Markdown table", o_mode },
	{ "csv", NULL, "output as CSV (RFC 4180, as sqlite3 -csv)", o_mode },
	{ "tsv", NULL, "output as tab-separated values", o_mode },
	{ "tabs", NULL, NULL, o_mode },
	{ "json", NULL, "output as a JSON array of objects (as sqlite3 -json); stats/check: JSON", o_mode },
	{ "jsonl", NULL, "output one JSON object per line", o_mode },
	{ "line", NULL, "output one 'column = value' per line", o_mode },
	{ "list", NULL, "output values separated by '|' (default otherwise)", o_mode },
	{ "mode", "MODE", "output mode by name (one of the above)", o_mode },
	{ "header", NULL, "show column names", o_header },
	{ "headers", NULL, NULL, o_header },
	{ "noheader", NULL, "hide column names", o_header },
	{ "separator", "SEP", "column separator for list and csv", o_str },
	{ "newline", "SEP", "row separator", o_str },
	{ "nullvalue", "TEXT", "text shown for NULL (default empty)", o_str },
	{ "bail", NULL, "stop a script at the first error", o_flag },
	{ "f", "FILE", "run the SQL and dot-commands in FILE ('-' = stdin)", o_str },
	{ "file", "FILE", NULL, o_str },
	{ "timeout", "SECONDS", "time limit for each statement (default 30; 0 = none)", o_num },
	{ "readonly", NULL, "accepted for sqlite3 habits; litecon is always read-only", o_flag },
	{ "prometheus", NULL, "stats: Prometheus text format (for node_exporter's textfile collector)", o_flag },
	{ "watch", "SECONDS", "stats: print again every SECONDS", o_num },
	{ "full", NULL, "check: run integrity_check instead of quick_check", o_flag },
	{ "keep", "TABLES", "check: tables that must never lose rows (default orders)", o_str },
	{ "orders", "TABLE", "stats/check: the orders table (default orders)", o_str },
	{ "latest", "N", "stats: how many of the latest orders to list (default 10)", o_num },
	{ "quiet", NULL, "backup, .backup: no progress bar (the summary line stays)", o_flag },
	{ "verify", "MODE", "backup, :backup, .backup: quick (quick_check, default) or full (integrity_check)", o_str },
	{ "max-rate", "MB", "backup, :backup, .backup: at most MB megabytes per second", o_num },
	{ "compress", "WHEN", "backup, :backup, .backup: pages travel zstd-compressed: auto (over SSH, default), always, never", o_str },
	{ "theme", "NAME", "dashboard: colours (default, light, solarized-dark, high-contrast, mono, or a file)", o_str },
	{ "refresh", "SECONDS", "dashboard: how often it reads the store (default 2)", o_num },
	{ "no-tui", NULL, "demo: build the store and exit", o_flag },
	{ "rate", "N", "demo: orders per second the load writer adds (default 20)", o_num },
	{ "p", "PORT", "SSH port of the host", o_ssh },
	{ "l", "USER", "SSH user", o_ssh },
	{ "i", "IDENTITY", "SSH private key file", o_ssh },
	{ "F", "SSH_CONFIG", "ssh_config file to use instead of ~/.ssh/config", o_ssh },
	{ "o", "KEY=VALUE", "an ssh_config option (StrictHostKeyChecking, UserKnownHostsFile, ConnectTimeout, ...)", o_ssh },
	{ "sudo", NULL, "run the helper on the host with sudo -n", o_flag },
	{ "agent", "MODE", "helper: auto (reuse or upload), upload, or a PATH; on a local target, run PATH over a pipe", o_str },
	{ "help", NULL, "show this help", o_flag },
	{ "h", NULL, NULL, o_flag },
	{ "version", NULL, "show the version", o_flag },
	{ "V", NULL, NULL, o_flag },
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *const commands[] = { "demo", "shell", "stats", "check", "backup" };

static const struct opt *find_opt(const char *name)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

/* Handle argv[*i], an option; may consume the next word. */
static int take_opt(int argc, char **argv, int *i, cli *o, lc_err *e)
{
	const char *w = argv[*i] + 1 + (argv[*i][1] == '-');
	char name[64];
	const char *eq = strchr(w, '='), *arg = NULL;
	size_t n = eq ? (size_t)(eq - w) : strlen(w);
	snprintf(name, sizeof name, "%.*s", (int)n, w);
	const struct opt *op = find_opt(name);
	if (!op)
		return lc_err_set(e, LC_EUSAGE, "unknown option: %s", argv[*i]);
	if (op->arg) {
		if (eq)
			arg = eq + 1;
		else if (*i + 1 < argc)
			arg = argv[++*i];
		else
			return lc_err_set(e, LC_EUSAGE, "option %s needs %s", argv[*i], op->arg);
	} else if (eq) {
		return lc_err_set(e, LC_EUSAGE, "option -%s takes no value", name);
	}
	return op->fn(o, op->name, arg, e);
}

static void positional(cli *o, char *w, int first)
{
	for (size_t k = 0; first && k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(w, commands[k]) == 0) {
			o->cmd = commands[k];
			return;
		}
	if (!o->target)
		o->target = w;
	else
		o->sql[o->nsql++] = w;
}

int cli_parse(int argc, char **argv, cli *o, lc_err *e)
{
	int dashdash = 0, npos = 0;
	*o = (cli){ .cmd = "query", .header = -1, .timeout_ms = -1 };
	o->sql = calloc((size_t)argc + 1, sizeof *o->sql);
	if (!o->sql)
		return lc_err_set(e, LC_EUSAGE, "out of memory");
	for (int i = 1; i < argc; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && argv[i][0] == '-' && argv[i][1]) {
			if (take_opt(argc, argv, &i, o, e) < 0)
				return -1;
			continue;
		}
		positional(o, argv[i], npos++ == 0);
	}
	return 0;
}

void cli_usage(FILE *out)
{
	fputs("usage: litecon [OPTIONS] TARGET                (the dashboard, on a terminal)\n"
	      "       litecon [OPTIONS] TARGET [SQL...]\n"
	      "       litecon [OPTIONS] TARGET < script.sql\n"
	      "       litecon shell [OPTIONS] TARGET\n"
	      "       litecon stats [--json|--prometheus] [--watch SECONDS] TARGET\n"
	      "       litecon check [--json] [--full] [--keep TABLES] TARGET\n"
	      "       litecon backup [--quiet] [--verify quick|full] [--max-rate MB] [--compress WHEN]\n"
	      "              TARGET DEST\n"
	      "       litecon demo [DIR] [--no-tui] [--rate N]\n"
	      "Try 'litecon --help' for more.\n", out);
}

void cli_help(FILE *out)
{
	fputs("litecon: a read-only admin console for SQLite stores, local or over SSH.\n\n", out);
	cli_usage(out);
	fputs("\nTARGET is a database file or a store directory of *.sqlite3 files (the main\n"
	      "file plus the others attached by short name: queue, cache, cable), local or\n"
	      "on another host: [user@]host:/path, ssh://[user@]host[:port]/path, or @name\n"
	      "from $XDG_CONFIG_HOME/litecon/config.\n"
	      "SQL arguments run in order; one starting with '.' is a dot-command (.help).\n"
	      "With no SQL, statements are read from -f FILE or standard input.\n\n"
	      "Options:\n", out);
	for (size_t i = 0; i < NOPTS; i++) {
		char left[40];
		if (!opts[i].help)
			continue;
		snprintf(left, sizeof left, "%s%s%s%s", strlen(opts[i].name) > 1 ? "--" : "-",
			 opts[i].name, opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(out, "  %-20s %s\n", left, opts[i].help);
	}
	fputs("\nModes are also accepted with one dash (-csv), as sqlite3 spells them.\n"
	      "Exit status: 0 ok, 1 an SQL statement failed, 2 usage, 3 refused because it\n"
	      "would write, 4 cannot open or connect, 5 host key verification failed, 6 the\n"
	      "backup failed or failed verification, 130 cancelled (Ctrl-C); check: 1 when\n"
	      "it found a problem.\n", out);
}
