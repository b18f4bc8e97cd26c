/*
 * cli.h: the command line (DESIGN.md "Command line"). One table of options
 * drives parsing and --help; options may come before or after the target,
 * with one or two dashes (-csv, --csv), and `--` ends them.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>
#include "lc.h"
#include "sshc.h"

typedef struct cli {
	const char *cmd;        /* "query" (default), "demo", "shell", ... */
	const char *target;     /* TARGET, or demo's DIR */
	const char **sql;       /* SQL arguments after TARGET (argv pointers) */
	int nsql;
	const char *file;       /* -f FILE ("-" = stdin) */
	const char *mode;       /* output mode, NULL = box on a terminal, else list */
	int header;             /* -1 = the mode's default */
	const char *colsep, *rowsep, *nullvalue;
	int bail;
	int timeout_ms;         /* -1 = the command's default */
	int no_tui;             /* demo: build the store and exit */
	int rate;               /* demo: orders per second, 0 = default */
	int json, prometheus;   /* stats/check output */
	int watch;              /* stats: refresh every N seconds, 0 = once */
	int full;               /* check: integrity_check instead of quick_check */
	const char *keep;       /* check: tables that must never lose rows (comma list) */
	const char *orders;     /* orders table name */
	int latest;             /* latest orders to show */
	const char *agent;      /* --agent auto|upload|PATH */
	int quiet;              /* backup: no progress bar */
	const char *verify;     /* backup: quick (default) or full */
	const char *compress;   /* backup: auto (over SSH; default), always or never */
	double max_rate;        /* backup: MB/s, 0 = unlimited */
	ssh_args ssh;           /* -p -l -i -F -o */
	int sudo;               /* --sudo */
	const char *theme;      /* --theme NAME (dashboard) */
	int refresh_ms;         /* --refresh SECONDS (dashboard), 0 = default */
	int help, version;
} cli;

/* Parse argv into o (argv must outlive o). Returns -1 with e (LC_EUSAGE). */
int cli_parse(int argc, char **argv, cli *o, lc_err *e);

/* Print --help (generated from the option table). */
void cli_help(FILE *out);

/* The short usage lines printed after a usage error. */
void cli_usage(FILE *out);

#endif
