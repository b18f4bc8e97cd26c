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
#include "textesc.h"
#include "proto.h"
#include "util.h"

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
	return companion_path("LITECON_AGENT", "litecon-agent");
}

/* The one command a connection normally needs: run the cached helper if
 * it is there, else answer the probe (arch, home). fast 0 skips the cache
 * (--agent upload). */
static char *start_cmd(const char *rel, int sudo, int fast)
{
	char *q = shq(rel);
	/* Under sudo, HOME becomes root's: pass the login's, so ~/ in a target
	 * still means the login's home. */
	char *cmd = xasprintf("H=\"$HOME\"/%s; if %s [ -x \"$H\" ]; then exec %s\"$H\"%s; fi; "
			      "printf '%%s\\n' " MARK "; uname -m; printf '%%s\\n' \"$HOME\"",
			      q, fast ? "" : "false &&", sudo ? "sudo -n -- " : "", sudo ? " --home \"$HOME\"" : "");
	free(q);
	return cmd;
}

/* Parse the probe's answer; -1 with e when it is not one. */
static int parse_probe(const buf *out, probe *p, lc_err *e)
{
	char *m = out->p ? strstr(out->p, MARK "\n") : NULL;
	if (m && sscanf(m + strlen(MARK) + 1, "%63[^\n]\n%1023[^\n]", p->arch, p->home) == 2)
		return 0;
	buf b = { 0 };
	esc_display(&b, out->p ? out->p : "", out->len < 300 ? out->len : 300, 0);
	lc_err_set(e, LC_ECONNECT, "the host did not start the helper nor answer litecon's probe%s%s",
		   b.len ? ": " : "", b.len ? b.p : "");
	buf_free(&b);
	return -1;
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

/* What the host printed, as one line fit for a message (escaped, newlines
 * as "; ", at most 300 bytes). Caller frees. */
static char *one_line(const buf *out)
{
	buf b = { 0 };
	size_t n = out->len;
	while (n && (out->p[n - 1] == '\n' || out->p[n - 1] == '\r' || out->p[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < n && b.len < 300; i++) {
		if (out->p[i] == '\n')
			buf_adds(&b, "; ");
		else
			esc_display(&b, out->p + i, 1, 0);
	}
	return b.p ? b.p : xstrdup("no output");
}

/* Reword a failed start: sudo that wants a password, a missing program. */
static void start_hint(const conn_opts *o, const char *host, lc_err *e)
{
	if (o->sudo && strstr(e->msg, "password is required"))
		lc_err_set(e, LC_ECONNECT, "sudo on %s wants a password; litecon runs the helper with sudo -n, so allow "
			   "it without one (NOPASSWD) or leave out --sudo", host);
}

/* Start the helper: the cached one, else upload and start it; --agent
 * PATH starts that one. The stream takes h. */
static lc_stream *start_agent(sshc *h, const conn_opts *o, const char *host, lc_err *e)
{
	const char *mode = o->agent ? o->agent : "auto";
	char sha[65], *local = local_agent(), *rel = NULL, *cmd = NULL, *path = NULL;
	buf out = { 0 };
	probe p = { .arch = "" };
	struct utsname u;
	lc_stream *st = NULL;
	if (strcmp(mode, "auto") && strcmp(mode, "upload")) {
		char *q = shq(mode);
		cmd = xasprintf("exec %s%s", o->sudo ? "sudo -n -- " : "", q);
		free(q);
		if (!(st = sshc_exec_agent(h, cmd, &out, e)) && !e->code) {
			char *said = one_line(&out);
			lc_err_set(e, LC_ECONNECT, "cannot start the helper %s on %s: %s", mode, host, said);
			free(said);
		}
		goto out;
	}
	if (!local || sha256_file(local, sha) < 0) {
		lc_err_set(e, LC_ECONNECT, "cannot read the helper to upload (%s); reinstall litecon or set LITECON_AGENT",
			   local ? local : "litecon-agent");
		goto out;
	}
	rel = xasprintf(".cache/litecon/%s-%.16s/litecon-agent", LC_VERSION, sha);
	cmd = start_cmd(rel, o->sudo, strcmp(mode, "upload") != 0);
	if ((st = sshc_exec_agent(h, cmd, &out, e)) || e->code || parse_probe(&out, &p, e) < 0)
		goto out;
	uname(&u);
	if (strcmp(u.machine, p.arch) != 0) {
		lc_err_set(e, LC_ECONNECT, "the host runs %s and this litecon carries a helper for %s; build litecon-agent "
			   "for %s and pass --agent PATH", p.arch, u.machine, p.arch);
		goto out;
	}
	path = xasprintf("%s/%s", p.home, rel);
	if (upload(h, local, path, sha, e) < 0)
		goto out;
	free(cmd);
	cmd = start_cmd(rel, o->sudo, 1);
	buf_reset(&out);
	if (!(st = sshc_exec_agent(h, cmd, &out, e)) && !e->code) {
		char *said = one_line(&out);
		lc_err_set(e, LC_ECONNECT, "the helper was uploaded to %s but does not start: %s", path, said);
		free(said);
	}
out:
	if (!st && e->code)
		start_hint(o, host, e);
	buf_free(&out);
	free(local), free(rel), free(cmd), free(path);
	return st;
}

int conn_ssh_open(const struct target *t, const conn_opts *o, conn **out, lc_err *e)
{
	static const ssh_args none;
	ssh_cfg c;
	sshc *h = NULL;
	int rc = -1;
	if (ssh_cfg_resolve(t->host, t->user, t->port, o->ssh ? o->ssh : &none, &c, e) < 0)
		goto out;
	if (sshc_connect(&c, &h, e) < 0)
		goto out;
	lc_stream *st = start_agent(h, o, c.hostname, e);
	if (st) {
		h = NULL;  /* the stream has it now */
		rc = conn_agent_open(st, t->path, o, out, e);
	}
out:
	if (h)
		sshc_free(h, !sshc_dead(h));
	ssh_cfg_clear(&c);
	return rc;
}
