/*
 * config.c: the effective SSH configuration for a host. OpenSSH's client
 * knows ~/.ssh/config best, so we ask it (`ssh -G`, which connects to
 * nothing) and read the keys we use; -p -l -i -F -o on litecon's command
 * line are passed along and applied again on top. Without an ssh binary:
 * the flags and OpenSSH's defaults.
 */
#define _GNU_SOURCE
#include "sshc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

static char *expand_home(const char *p)
{
	const char *home = getenv("HOME");
	if (p[0] == '~' && (p[1] == '/' || !p[1]) && home)
		return xasprintf("%s%s", home, p + 1);
	return xstrdup(p);
}

static void add_list(char **list, int *n, const char *v)
{
	if (*n < SSHC_MAX_LIST)
		list[(*n)++] = expand_home(v);
}

static void clear_list(char **list, int *n)
{
	for (int i = 0; i < *n; i++)
		free(list[i]);
	*n = 0;
}

static int yesno(const char *v)
{
	return !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1");
}

static int set_strict(ssh_cfg *c, const char *v, lc_err *e)
{
	static const struct { const char *w; int v; } words[] = {
		{ "ask", STRICT_ASK }, { "yes", STRICT_YES }, { "true", STRICT_YES },
		{ "accept-new", STRICT_ACCEPT_NEW }, { "no", STRICT_NO }, { "off", STRICT_NO }, { "false", STRICT_NO },
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!strcasecmp(v, words[i].w)) {
			c->strict = words[i].v;
			return 0;
		}
	return lc_err_set(e, LC_EUSAGE, "StrictHostKeyChecking must be yes, accept-new, no or ask, not \"%s\"", v);
}

static int set_int(int *dst, const char *key, const char *v, lc_err *e)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!strcasecmp(v, "none")) {
		*dst = 0;
		return 0;
	}
	if (*end || n < 0 || n > 65535)
		return lc_err_set(e, LC_EUSAGE, "%s needs a number, not \"%s\"", key, v);
	*dst = (int)n;
	return 0;
}

/* A list of paths separated by blanks replaces the list. */
static void set_files(char **list, int *n, const char *v)
{
	char *d = xstrdup(v), *save = NULL;
	clear_list(list, n);
	for (char *w = strtok_r(d, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		add_list(list, n, w);
	free(d);
}

/* Split "Key=Value" / "Key Value"; returns key length, *v the value. */
static size_t split_kv(const char *kv, const char **v)
{
	size_t k = strcspn(kv, "= \t");
	const char *p = kv + k;
	while (*p == '=' || *p == ' ' || *p == '\t')
		p++;
	*v = p;
	return k;
}

int ssh_cfg_set(ssh_cfg *c, const char *kv, lc_err *e)
{
	const char *v;
	size_t k = split_kv(kv, &v);
	char key[48];
	snprintf(key, sizeof key, "%.*s", (int)(k < 47 ? k : 47), kv);
	if (!*v)
		return lc_err_set(e, LC_EUSAGE, "option %s needs a value", key);
	if (!strcasecmp(key, "hostname")) { free(c->hostname); c->hostname = xstrdup(v); }
	else if (!strcasecmp(key, "user")) { free(c->user); c->user = xstrdup(v); }
	else if (!strcasecmp(key, "port")) return set_int(&c->port, key, v, e);
	else if (!strcasecmp(key, "identityfile")) add_list(c->identity, &c->nidentity, v);
	else if (!strcasecmp(key, "identitiesonly")) c->identities_only = yesno(v);
	else if (!strcasecmp(key, "userknownhostsfile")) set_files(c->known, &c->nknown, v);
	else if (!strcasecmp(key, "globalknownhostsfile")) set_files(c->global_known, &c->nglobal, v);
	else if (!strcasecmp(key, "stricthostkeychecking")) return set_strict(c, v, e);
	else if (!strcasecmp(key, "hashknownhosts")) c->hash_known = yesno(v);
	else if (!strcasecmp(key, "connecttimeout")) return set_int(&c->connect_timeout, key, v, e);
	else if (!strcasecmp(key, "serveraliveinterval")) return set_int(&c->alive_interval, key, v, e);
	else if (!strcasecmp(key, "serveralivecountmax")) return set_int(&c->alive_count, key, v, e);
	else if (!strcasecmp(key, "batchmode")) c->batch = yesno(v);
	else if (!strcasecmp(key, "proxyjump")) { free(c->proxyjump); c->proxyjump = strcasecmp(v, "none") ? xstrdup(v) : NULL; }
	/* other keys: ssh -G prints many we do not use */
	return 0;
}

static void defaults(ssh_cfg *c, const char *host)
{
	const char *home = getenv("HOME"), *user = getenv("USER");
	*c = (ssh_cfg){ .alias = xstrdup(host), .hostname = xstrdup(host), .port = 22, .strict = STRICT_ASK,
			.alive_count = 3 };
	c->user = xstrdup(user && *user ? user : "root");
	if (home) {
		static const char *const ids[] = { "~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa" };
		for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
			add_list(c->identity, &c->nidentity, ids[i]);
		add_list(c->known, &c->nknown, "~/.ssh/known_hosts");
	}
	add_list(c->global_known, &c->nglobal, "/etc/ssh/ssh_known_hosts");
}

/* argv for `ssh -G` with the operator's flags. */
static void g_argv(const char *host, const char *user, int port, const ssh_args *a, const char **v, char *portbuf)
{
	int n = 0;
	v[n++] = "ssh";
	v[n++] = "-G";
	if (a->config)
		v[n++] = "-F", v[n++] = a->config;
	if (a->port || port) {
		snprintf(portbuf, 16, "%d", a->port ? a->port : port);
		v[n++] = "-p", v[n++] = portbuf;
	}
	if (a->user || user)
		v[n++] = "-l", v[n++] = a->user ? a->user : user;
	if (a->identity)
		v[n++] = "-i", v[n++] = a->identity;
	for (int i = 0; i < a->nopts; i++)
		v[n++] = "-o", v[n++] = a->opts[i];
	v[n++] = "--";
	v[n++] = host;
	v[n] = NULL;
}

/* Run ssh -G and apply its output; 1 when ssh is not there. */
static int from_ssh_g(const char *host, const char *user, int port, const ssh_args *a, ssh_cfg *c, lc_err *e)
{
	const char *argv[2 * SSHC_MAX_LIST + 16];
	char portbuf[16];
	int p[2], st;
	g_argv(host, user, port, a, argv, portbuf);
	if (pipe(p) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 2);
		close(p[0]), close(p[1]);
		execvp("ssh", (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char *line = NULL;
	size_t cap = 0;
	int identities_reset = 0, rc = 0;
	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = 0;
		if (!strncasecmp(line, "identityfile ", 13) && !identities_reset++)
			clear_list(c->identity, &c->nidentity);
		if (rc == 0 && ssh_cfg_set(c, line, e) < 0)
			rc = -1;
	}
	free(line);
	if (f)
		fclose(f);
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return 1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return lc_err_set(e, LC_EUSAGE, "ssh -G rejected the options for %s (check -o and -F)", host);
	return rc;
}

int ssh_cfg_resolve(const char *host, const char *user, int port, const ssh_args *a, ssh_cfg *c, lc_err *e)
{
	defaults(c, host);
	int rc = from_ssh_g(host, user, port, a, c, e);
	if (rc < 0)
		return -1;
	/* Without ssh (rc 1) or on top of it: the explicit flags win. */
	if (user) {
		free(c->user);
		c->user = xstrdup(user);
	}
	if (port)
		c->port = port;
	if (a->user) {
		free(c->user);
		c->user = xstrdup(a->user);
	}
	if (a->port)
		c->port = a->port;
	if (a->identity && rc == 1) {
		clear_list(c->identity, &c->nidentity);
		add_list(c->identity, &c->nidentity, a->identity);
	}
	for (int i = 0; rc == 1 && i < a->nopts; i++)
		if (ssh_cfg_set(c, a->opts[i], e) < 0)
			return -1;
	if (a->config)
		c->config_file = xstrdup(a->config);
	if (c->connect_timeout <= 0)
		c->connect_timeout = 30;
	if (c->alive_interval <= 0)
		c->alive_interval = 15;  /* always a keepalive: a frozen peer must not hang us */
	if (c->alive_count <= 0)
		c->alive_count = 3;
	return 0;
}

void ssh_cfg_clear(ssh_cfg *c)
{
	free(c->alias), free(c->hostname), free(c->user), free(c->proxyjump), free(c->config_file);
	clear_list(c->identity, &c->nidentity);
	clear_list(c->known, &c->nknown);
	clear_list(c->global_known, &c->nglobal);
	*c = (ssh_cfg){ 0 };
}

char *shq(const char *s)
{
	buf b = { 0 };
	buf_addc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_adds(&b, "'\\''");
		else
			buf_addc(&b, *s);
	}
	buf_addc(&b, '\'');
	return b.p;
}
