/*
 * demo.c: `litecon demo [DIR]`. Builds the demo store with litecon-load
 * (the project's load writer, the only program of ours that writes), starts
 * the writer, and shows the store's headline figures every 2 s until Ctrl-C;
 * the writer is stopped on the way out (and stops by itself if we die).
 */
#define _GNU_SOURCE
#include "demo.h"
#include "tui.h"
#include "textesc.h"
#include "conn.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Path of litecon-load: $LITECON_LOAD, beside this binary, else PATH. */
static char *loader_path(void)
{
	char *p = companion_path("LITECON_LOAD", "litecon-load");
	if (p && (getenv("LITECON_LOAD") || access(p, X_OK) == 0))
		return p;
	free(p);
	return xstrdup("litecon-load");
}

static char *default_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (x && *x)
		return xasprintf("%s/litecon/demo", x);
	return xasprintf("%s/.local/share/litecon/demo", home && *home ? home : ".");
}

/* fork+exec argv; returns the pid, or -1. */
static pid_t spawn(const char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_IGN);  /* the writer stops when we tell it */
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "litecon: cannot run %s: %s (build it with make)\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int wait_ok(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int build_store(const char *load, const char *dir)
{
	char *main_db = xasprintf("%s/production.sqlite3", dir);
	int exists = access(main_db, F_OK) == 0;
	free(main_db);
	if (exists)
		return 0;
	fprintf(stderr, "litecon: building the demo store in %s ...\n", dir);
	const char *argv[] = { load, "init", dir, NULL };
	pid_t pid = spawn(argv);
	return pid > 0 ? wait_ok(pid) : -1;
}

/* Headline figures: one query, one line. */
static int headline(void *ctx, int ncol, const lc_value *v)
{
	const char *wal = ctx;
	struct stat st;
	time_t now = time(NULL);
	char clock[16];
	strftime(clock, sizeof clock, "%H:%M:%S", localtime(&now));
	double mb = stat(wal, &st) == 0 ? st.st_size / 1e6 : 0;
	(void)ncol;
	printf("%s  orders %lld (last minute %lld)  ready jobs %lld  failed jobs %lld  wal %.1f MB\n",
	       clock, (long long)v[0].i, (long long)v[1].i, (long long)v[2].i, (long long)v[3].i, mb);
	fflush(stdout);
	return 0;
}

static const char headline_sql[] =
	"SELECT (SELECT max(id) FROM orders),"
	" (SELECT count(*) FROM orders WHERE created_at >= strftime('%Y-%m-%d %H:%M:%f','now','-60 seconds')),"
	" (SELECT count(*) FROM queue.solid_queue_ready_executions),"
	" (SELECT count(*) FROM queue.solid_queue_failed_executions)";

static void on_stop(int sig)
{
	(void)sig;
	conn_interrupt();
}

static int watch(const char *dir)
{
	conn *c;
	lc_err e = { 0 };
	if (conn_open(dir, &(conn_opts){ .timeout_ms = 5000 }, &c, &e) < 0) {
		esc_message(stderr, e.msg);
		return e.code;
	}
	const char *schema, *path;
	conn_db(c, 0, &schema, &path);
	char *wal = xasprintf("%s-wal", path);
	lc_sink sink = { NULL, headline, NULL };
	fprintf(stderr, "litecon: the load writer is running; not on a terminal, so here are the store's "
			"figures every 2 s instead of the dashboard (Ctrl-C stops)\n");
	while (!conn_interrupted()) {
		if (conn_exec(c, headline_sql, &sink, wal, &e) < 0 && e.code != LC_ECANCEL)
			esc_message(stderr, e.msg);
		struct timespec ts = { 2, 0 };
		nanosleep(&ts, NULL);
	}
	free(wal);
	conn_free(c);
	return 0;
}

/* On a terminal: the TUI on the store while the writer runs. */
static int dashboard(const cli *o, const char *dir)
{
	conn *c;
	lc_err e = { 0 };
	conn_opts co = { .timeout_ms = 30000 };
	if (conn_open(dir, &co, &c, &e) < 0) {
		esc_message(stderr, e.msg);
		return e.code;
	}
	cli t = *o;
	t.target = dir;
	backup_opts bo = { 0 };  /* the defaults: quick_check, compression over SSH only */
	return tui_main(&t, c, &co, &bo);
}

int demo_main(const cli *o)
{
	char *dir = o->target ? xstrdup(o->target) : default_dir();
	char *load = loader_path();
	char rate[32], parent[32];
	int rc = LC_ECONNECT;
	if (build_store(load, dir) < 0) {
		fprintf(stderr, "litecon: could not build the demo store in %s\n", dir);
		goto out;
	}
	rc = 0;
	if (o->no_tui)
		goto out;
	snprintf(rate, sizeof rate, "%d", o->rate > 0 ? o->rate : 20);
	snprintf(parent, sizeof parent, "%d", (int)getpid());
	const char *argv[] = { load, "run", dir, "--rate", rate, "--parent", parent, "--quiet", NULL };
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	pid_t pid = spawn(argv);
	rc = isatty(0) && isatty(1) ? dashboard(o, dir) : watch(dir);
	if (pid > 0) {
		kill(pid, SIGTERM);
		wait_ok(pid);
	}
out:
	free(dir);
	free(load);
	return rc;
}
