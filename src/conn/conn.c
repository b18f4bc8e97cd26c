/*
 * conn.c: pick the implementation for a target and dispatch through the
 * vtable. Named and SSH targets are parsed here; their transports arrive
 * with the SSH work.
 */
#define _GNU_SOURCE
#include "conn.h"
#include "engine.h"
#include "config.h"
#include "sshc.h"
#include "store.h"
#include "stream.h"
#include "target.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Short label of a path for prompts: the file or directory name without
 * .sqlite3. */
static char *label_of(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *b = path + n;
	while (b > path && b[-1] != '/')
		b--;
	size_t len = (size_t)(path + n - b);
	if (len > 8 && strncmp(b + len - 8, ".sqlite3", 8) == 0)
		len -= 8;
	return len ? xstrndup(b, len) : xstrdup(path);
}

/* --agent names a helper binary (not auto/upload, which are for remote
 * targets: a local target then runs in process). */
static int helper_path(const conn_opts *o)
{
	return o && o->agent && strcmp(o->agent, "auto") && strcmp(o->agent, "upload");
}

/* A local target through a litecon-agent over a pipe (tests, --agent PATH). */
static int local_agent(const char *path, const conn_opts *o, conn **out, lc_err *e)
{
	const char *argv[] = { o->agent, NULL };
	char *abs = realpath(path, NULL);
	if (!abs)
		return lc_err_set(e, LC_ECONNECT, "%s: %s (check the path; litecon never creates a database)",
				  path, strerror(errno));
	lc_stream *st = stream_spawn(argv, e);
	int rc = st ? conn_agent_open(st, abs, o, out, e) : -1;
	free(abs);
	return rc;
}

/* @name: the [target name] of the config file. */
static int named(target *t, const conn_opts *o, conn **out, lc_err *e)
{
	lc_config cfg;
	int rc = -1;
	if (config_load(getenv("LITECON_CONFIG"), &cfg, e) < 0)
		goto out;
	const lc_target_cfg *tc = config_target(&cfg, t->name);
	if (!tc) {
		lc_err_set(e, LC_EUSAGE, "no [target %s] in %s", t->name, cfg.file);
		goto out;
	}
	if (!tc->path) {
		lc_err_set(e, LC_EUSAGE, "[target %s] in %s has no path", t->name, cfg.file);
		goto out;
	}
	conn_opts co = *o;
	ssh_args sa = o->ssh ? *o->ssh : (ssh_args){ 0 };
	if (!sa.identity)
		sa.identity = tc->identity;
	co.ssh = &sa;
	co.sudo = o->sudo || tc->sudo;
	target r = { .kind = tc->host ? TARGET_SSH : TARGET_LOCAL, .host = tc->host, .user = tc->user,
		     .port = tc->port, .path = tc->path };
	if (r.kind == TARGET_SSH)
		rc = conn_ssh_open(&r, &co, out, e);
	else
		rc = helper_path(&co) ? local_agent(r.path, &co, out, e) : conn_local_open(r.path, &co, out, e);
	if (rc == 0) {
		(*out)->local = r.kind == TARGET_LOCAL;
		(*out)->host = tc->host ? xstrdup(tc->host) : NULL;
	}
out:
	config_free(&cfg);
	return rc;
}

int conn_open(const char *spec, const conn_opts *o, conn **out, lc_err *e)
{
	target t;
	int rc = -1;
	*out = NULL;
	if (target_parse(spec, &t, e) < 0)
		return -1;
	switch (t.kind) {
	case TARGET_LOCAL:
		rc = helper_path(o) ? local_agent(t.path, o, out, e) : conn_local_open(t.path, o, out, e);
		if (rc == 0)
			(*out)->local = 1;
		break;
	case TARGET_SSH:
		rc = conn_ssh_open(&t, o, out, e);
		if (rc == 0)
			(*out)->host = xstrdup(t.host);
		break;
	default:
		rc = named(&t, o, out, e);
	}
	if (rc == 0) {
		(*out)->label = t.kind == TARGET_NAMED ? xstrdup(t.name) : label_of(t.path);
		(*out)->target = xstrdup(spec);
	}
	target_clear(&t);
	return rc;
}

const char **conn_local_dbs(conn *c, int *n)
{
	*n = c->local ? conn_ndb(c) : 0;
	const char **dbs = xcalloc((size_t)*n + 1, sizeof *dbs), *schema;
	for (int i = 0; i < *n; i++)
		conn_db(c, i, &schema, &dbs[i]);
	return dbs;
}

int conn_check_output(conn *c, const char *path, lc_err *e)
{
	int n;
	const char **dbs = conn_local_dbs(c, &n);
	int rc = store_check_output(path, dbs, n, e);
	free(dbs);
	return rc;
}

int conn_check_input(conn *c, const char *path, lc_err *e)
{
	int n, whole;
	const char **dbs = conn_local_dbs(c, &n);
	char *f = store_target_part(path, dbs, n, &whole);
	free(dbs);
	if (!f)
		return 0;
	lc_err_set(e, LC_EUSAGE, "%s is %s%s, which litecon is reading, not a script; give a file of SQL and dot-commands",
		   path, whole ? "the database " : "", f);
	free(f);
	return -1;
}

int conn_exec(conn *c, const char *sql, const lc_sink *sink, void *ctx, lc_err *e)
{
	return c->ops->exec(c, sql, sink, ctx, e);
}

void conn_set_timeout(conn *c, int ms)
{
	c->ops->set_timeout(c, ms);
}

int conn_ndb(conn *c)
{
	return c->ops->ndb(c);
}

int conn_db(conn *c, int i, const char **schema, const char **path)
{
	return c->ops->db(c, i, schema, path);
}

int conn_backup(conn *c, const backup_req *r, const snap_sink *sink, void *ctx, snap_result *res, char sha[65],
		lc_err *e)
{
	return c->ops->backup(c, r, sink, ctx, res, sha, e);
}

int conn_keep(conn *c, int commit, const char *path, const char *data, size_t n, lc_err *e)
{
	if (!c->ops->keep)
		return lc_err_set(e, LC_EUSAGE, "a host:/path destination is for remote targets; give a local path");
	return c->ops->keep(c, commit, path, data, n, e);
}

int conn_inspect(conn *c, const inspect_opts *o, inspect_report **out, lc_err *e)
{
	return c->ops->inspect(c, o, out, e);
}

void conn_free(conn *c)
{
	if (!c)
		return;
	free(c->label);
	free(c->target);
	free(c->peer);
	free(c->host);
	c->peer = NULL, c->host = NULL;  /* an implementation's free may free it too */
	c->ops->free(c);
}

void conn_interrupt(void)
{
	engine_cancel();
}

void conn_interrupt_reset(void)
{
	engine_cancel_reset();
}

int conn_interrupted(void)
{
	return engine_cancel_pending();
}

void conn_interrupt_scope(atomic_int *flag)
{
	engine_cancel_scope(flag);
}
