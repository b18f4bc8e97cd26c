/*
 * remote.c: open a remote target: resolve the SSH configuration, connect,
 * make sure a matching litecon-agent is on the host (probe once; reuse
 * ~/.cache/litecon/<version>-<hash>/litecon-agent or upload it over SFTP,
 * verify its SHA-256 by running it, move it into place), run it on an exec
 * channel, and hand the channel to the agent conn. Every word sent to the
 * remote shell goes through shq().
 */
#define _GNU_SOURCE
#include "conn.h"
#include "sha256.h"
#include "sshc.h"
#include "stream.h"
#include "target.h"
#include "util.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MARK "litecon-probe"

typedef struct probe {
	char arch[64];
	char home[1024];
	int present;
} probe;

/* The litecon-agent shipped with this litecon: $LITECON_AGENT, or beside
 * the litecon binary. */
static char *local_agent(void)
{
	const char *env = getenv("LITECON_AGENT");
	char self[4096];
	if (env && *env)
		return xstrdup(env);
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return NULL;
	self[n] = 0;
	return xasprintf("%s/litecon-agent", dirname(self));
}

static int do_probe(sshc *h, const char *cache_rel, probe *p, lc_err *e)
{
	char *q = shq(cache_rel);
	char *cmd = xasprintf("printf '%%s\\n' " MARK "; uname -m; printf '%%s\\n' \"$HOME\"; "
			      "if [ -x \"$HOME\"/%s ]; then echo present; else echo absent; fi", q);
	buf out = { 0 }, err = { 0 };
	int status = 0, rc = sshc_run(h, cmd, &out, &err, &status, e);
	free(q), free(cmd);
	if (rc == 0) {
		char *m = out.p ? strstr(out.p, MARK "\n") : NULL;
		if (!m || sscanf(m + strlen(MARK) + 1, "%63[^\n]\n%1023[^\n]\n", p->arch, p->home) != 2)
			rc = lc_err_set(e, LC_ECONNECT, "the shell on the host did not answer litecon's probe as expected%s%.200s",
					err.len ? ": " : "", err.len ? err.p : "");
		else
			p->present = strstr(m, "\npresent") != NULL;
	}
	buf_free(&out), buf_free(&err);
	return rc;
}

/* Run `PATH --version` on the host; compare the SHA-256 it reports. */
static int verify(sshc *h, const char *path, const char *sha, lc_err *e)
{
	char *q = shq(path), *cmd = xasprintf("%s --version", q);
	buf out = { 0 }, err = { 0 };
	int status = 0, rc = sshc_run(h, cmd, &out, &err, &status, e);
	free(q), free(cmd);
	if (rc == 0 && status == 126)
		rc = lc_err_set(e, LC_ECONNECT, "the host will not run the helper at %s (is its home mounted noexec?); "
				"pass --agent PATH with a directory that allows programs", path);
	else if (rc == 0 && (status != 0 || !out.p || !strstr(out.p, sha)))
		rc = lc_err_set(e, LC_ECONNECT, "the helper uploaded to %s does not check out (SHA-256 differs or it "
				"does not run: %.200s)", path, err.len ? err.p : out.len ? out.p : "no output");
	buf_free(&out), buf_free(&err);
	return rc;
}

static int upload(sshc *h, const char *local, const char *final, const char *sha, lc_err *e)
{
	char *tmp = xasprintf("%s.tmp-%d", final, (int)getpid());
	int rc = sshc_upload(h, local, tmp, 0700, e);
	if (rc == 0 && (rc = verify(h, tmp, sha, e)) == 0) {
		char *qt = shq(tmp), *qf = shq(final), *cmd = xasprintf("mv -f -- %s %s", qt, qf);
		int status = 0;
		rc = sshc_run(h, cmd, NULL, NULL, &status, e);
		if (rc == 0 && status != 0)
			rc = lc_err_set(e, LC_ECONNECT, "cannot move the helper into place at %s", final);
		free(qt), free(qf), free(cmd);
	}
	if (rc < 0)
		sshc_unlink(h, tmp);
	free(tmp);
	return rc;
}

/* The helper's path on the host, uploading it when needed. Returns a
 * malloc'd absolute path. */
static char *deploy(sshc *h, const conn_opts *o, probe *p, lc_err *e)
{
	const char *mode = o->agent ? o->agent : "auto";
	char sha[65], *local = local_agent(), *rel = NULL, *path = NULL;
	struct utsname u;
	if (!local || sha256_file(local, sha) < 0) {
		lc_err_set(e, LC_ECONNECT, "cannot read the helper to upload (%s); reinstall litecon or set LITECON_AGENT",
			   local ? local : "litecon-agent");
		goto out;
	}
	rel = xasprintf(".cache/litecon/%s-%.16s/litecon-agent", LC_VERSION, sha);
	if (do_probe(h, rel, p, e) < 0)
		goto out;
	if (strcmp(mode, "auto") && strcmp(mode, "upload")) {
		path = xstrdup(mode);  /* --agent PATH on the host */
		goto out;
	}
	uname(&u);
	if (strcmp(u.machine, p->arch) != 0) {
		lc_err_set(e, LC_ECONNECT, "the host runs %s and this litecon carries a helper for %s; build litecon-agent "
			   "for %s and pass --agent PATH", p->arch, u.machine, p->arch);
		goto out;
	}
	path = xasprintf("%s/%s", p->home, rel);
	if ((!p->present || !strcmp(mode, "upload")) && upload(h, local, path, sha, e) < 0) {
		free(path);
		path = NULL;
	}
out:
	free(local);
	free(rel);
	return path;
}

/* A remote path: "~/x" is relative to the login's home. */
static char *remote_path(const char *path, const probe *p)
{
	if (path[0] == '~' && (path[1] == '/' || !path[1]))
		return xasprintf("%s%s", p->home, path + 1);
	if (path[0] != '/')
		return xasprintf("%s/%s", p->home, path);
	return xstrdup(path);
}

/* Reword what the helper's stderr says about sudo. */
static void sudo_hint(const conn_opts *o, const char *host, lc_err *e)
{
	if (o->sudo && e->code == LC_ECONNECT && strstr(e->msg, "password is required"))
		lc_err_set(e, LC_ECONNECT, "sudo on %s wants a password; litecon runs the helper with sudo -n, so allow "
			   "it without one (NOPASSWD) or leave out --sudo", host);
}

int conn_ssh_open(const struct target *t, const conn_opts *o, conn **out, lc_err *e)
{
	static const ssh_args none;
	ssh_cfg c;
	sshc *h = NULL;
	probe p = { .arch = "" };
	char *agent = NULL, *cmd = NULL, *path = NULL;
	int rc = -1;
	if (ssh_cfg_resolve(t->host, t->user, t->port, o->ssh ? o->ssh : &none, &c, e) < 0)
		goto out;
	if (sshc_connect(&c, &h, e) < 0)
		goto out;
	if (!(agent = deploy(h, o, &p, e)))
		goto out;
	char *q = shq(agent);
	cmd = o->sudo ? xasprintf("exec sudo -n -- %s", q) : xasprintf("exec %s", q);
	free(q);
	path = remote_path(t->path, &p);
	lc_stream *st = sshc_stream(h, cmd, e);  /* takes h */
	h = NULL;
	if (st && (rc = conn_agent_open(st, path, o, out, e)) < 0)
		sudo_hint(o, c.hostname, e);
out:
	if (h)
		sshc_free(h, !sshc_dead(h));
	free(agent), free(cmd), free(path);
	ssh_cfg_clear(&c);
	return rc;
}
