/*
 * main.c: argv -> mode. Parses the command line, then hands over to the
 * command: a one-liner or script (query), shell, stats, check, backup or
 * demo.
 */
#include "backup.h"
#include "cli.h"
#include "conn.h"
#include "demo.h"
#include "engine.h"
#include "render.h"
#include "session.h"
#include "shell.h"
#include "tui.h"
#include "stats.h"
#include "textesc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_MS 30000

static void on_sigint(int sig)
{
	(void)sig;
	conn_interrupt();
}

static void catch_sigint(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);   /* no SA_RESTART: a blocked read returns */
	sigaction(SIGTERM, &sa, NULL);
}

static int fail(int code, const char *msg)
{
	esc_message(stderr, msg);  /* it may quote a hostile schema or host */
	return code;
}

/* A command-line mistake: the sentence, then a short usage line. */
static int usage(const char *msg)
{
	fail(LC_EUSAGE, msg);
	fputs("usage: litecon [OPTIONS] TARGET [SQL...]   (litecon --help lists every option)\n", stderr);
	return LC_EUSAGE;
}

static void configure(render *r, const cli *o, int tty)
{
	render_set_mode(r, o->mode ? o->mode : tty ? "box" : "list");
	if (o->header >= 0)
		render_set_header(r, o->header);
	if (o->colsep)
		render_set_colsep(r, o->colsep);
	if (o->rowsep)
		render_set_rowsep(r, o->rowsep);
	if (o->nullvalue)
		render_set_null(r, o->nullvalue);
}

/* SQL arguments, a -f file, or a script on stdin. */
static void run_input(session *s, const cli *o)
{
	if (o->nsql) {
		for (int i = 0; i < o->nsql && !s->stop && !s->status; i++) {
			if (o->sql[i][0] == '.')
				session_dot(s, o->sql[i]);
			else
				session_sql(s, o->sql[i]);
		}
		return;
	}
	if (o->file && strcmp(o->file, "-") != 0) {
		lc_err e = { 0 };
		FILE *f = conn_check_input(s->c, o->file, &e) < 0 ? NULL : fopen(o->file, "r");
		if (!f) {
			if (!e.code)
				lc_err_set(&e, LC_EUSAGE, "cannot read script %s: %s", o->file, strerror(errno));
			session_fail(s, &e);
			return;
		}
		session_script(s, f, o->file);
		fclose(f);
		return;
	}
	session_script(s, stdin, "stdin");
}

static int cmd_query(const cli *o)
{
	lc_err e = { 0 };
	conn *c;
	int tty = isatty(1);
	if (!o->target)
		return usage("no TARGET given");
	if (o->nsql && o->file)
		return usage("give SQL arguments or -f FILE, not both");
	backup_opts bo = { 0 };  /* the dashboard's backups take --verify, --compress, --max-rate */
	if (backup_opts_from(o->verify, o->compress, o->max_rate, &bo, &e) < 0)
		return usage(e.msg);
	conn_opts co = { o->timeout_ms >= 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS, o->agent, &o->ssh, o->sudo };
	if (conn_open(o->target, &co, &c, &e) < 0)
		return fail(e.code, e.msg);
	if (!o->nsql && !o->file && isatty(0) && tty)
		return tui_main(o, c, &co, &bo);  /* the dashboard */
	if (!tty)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	render *r = render_new(stdout, tty);
	configure(r, o, tty);
	session s = { .c = c, .r = r, .err = stderr, .bail = o->bail, .timeout_ms = co.timeout_ms, .opts = o };
	catch_sigint();
	run_input(&s, o);
	if (fflush(stdout) != 0 && !s.status)
		s.status = fail(LC_ESQL, "cannot write the output");
	render_free(r);
	conn_free(c);
	return s.status;
}

/* Commands that inspect a target: open it, run, close. */
static int with_conn(const cli *o, int (*fn)(const cli *, conn *))
{
	lc_err e = { 0 };
	conn *c;
	if (!o->target)
		return usage("no TARGET given");
	if (o->nsql)
		return usage("too many arguments: this command takes only a TARGET");
	conn_opts co = { o->timeout_ms >= 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS, o->agent, &o->ssh, o->sudo };
	if (conn_open(o->target, &co, &c, &e) < 0)
		return fail(e.code, e.msg);
	catch_sigint();
	int rc = fn(o, c);
	conn_free(c);
	return rc;
}

static int cmd_stats(const cli *o)
{
	return with_conn(o, stats_main);
}

static int cmd_check(const cli *o)
{
	return with_conn(o, check_main);
}

static int cmd_shell(const cli *o)
{
	return with_conn(o, shell_main);
}

static int cmd_backup(const cli *o)
{
	lc_err e = { 0 };
	backup_opts bo = { .quiet = o->quiet };
	if (o->nsql != 1)
		return usage("backup takes a TARGET and a DEST");
	if (backup_opts_from(o->verify, o->compress, o->max_rate, &bo, &e) < 0)
		return usage(e.msg);  /* flags first: nothing is opened for a bad one */
	conn *c;
	conn_opts co = { o->timeout_ms >= 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS, o->agent, &o->ssh, o->sudo };
	if (!o->target)
		return usage("no TARGET given");
	if (conn_open(o->target, &co, &c, &e) < 0)
		return fail(e.code, e.msg);
	catch_sigint();
	signal(SIGXFSZ, SIG_IGN);  /* a file size limit is a write error, not death */
	int rc = backup_run(c, o->sql[0], &bo, &e) < 0 ? fail(e.code, e.msg) : 0;
	conn_free(c);
	return rc;
}

static const struct command {
	const char *name;
	int (*run)(const cli *o);
} commands[] = {
	{ "query", cmd_query },
	{ "demo", demo_main },
	{ "shell", cmd_shell },
	{ "stats", cmd_stats },
	{ "check", cmd_check },
	{ "backup", cmd_backup },
};

int main(int argc, char **argv)
{
	cli o;
	lc_err e = { 0 };
	int rc = LC_EUSAGE;
	if (cli_parse(argc, argv, &o, &e) < 0) {
		rc = usage(e.msg);
		goto out;
	}
	if (o.help) {
		cli_help(stdout);
		rc = 0;
	} else if (o.version) {
		printf("litecon %s (SQLite %s)\n", LC_VERSION, engine_sqlite_version());
		rc = 0;
	} else {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(o.cmd, commands[i].name) == 0)
				rc = commands[i].run(&o);
	}
out:
	free(o.sql);
	return rc;
}
