/*
 * config.c: parse the INI config file of named targets. One table maps
 * keys to fields and their kinds; everything unknown is an error with
 * file:line, so a typo never silently changes which host litecon opens.
 */
#define _GNU_SOURCE
#include "config.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_STR, K_PORT, K_BOOL, K_SECONDS };

static const struct key {
	const char *name;
	int kind;
	size_t off;
} keys[] = {
	{ "host", K_STR, offsetof(lc_target_cfg, host) },
	{ "user", K_STR, offsetof(lc_target_cfg, user) },
	{ "path", K_STR, offsetof(lc_target_cfg, path) },
	{ "identity", K_STR, offsetof(lc_target_cfg, identity) },
	{ "theme", K_STR, offsetof(lc_target_cfg, theme) },
	{ "port", K_PORT, offsetof(lc_target_cfg, port) },
	{ "sudo", K_BOOL, offsetof(lc_target_cfg, sudo) },
	{ "refresh", K_SECONDS, offsetof(lc_target_cfg, refresh) },
};

char *config_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (x && *x)
		return xasprintf("%s/litecon/config", x);
	return xasprintf("%s/.config/litecon/config", home && *home ? home : ".");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static int bad(lc_err *e, const lc_config *c, int line, const char *fmt, const char *a)
{
	char what[300];
	snprintf(what, sizeof what, fmt, a);
	return lc_err_set(e, LC_EUSAGE, "%s:%d: %s", c->file, line, what);
}

static int set_value(lc_config *c, lc_target_cfg *t, const char *k, const char *v, int line, lc_err *e)
{
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		if (strcasecmp(k, keys[i].name) != 0)
			continue;
		void *slot = (char *)t + keys[i].off;
		char *end;
		long n = strtol(v, &end, 10);
		switch (keys[i].kind) {
		case K_STR:
			if (!*v)
				return bad(e, c, line, "%s needs a value", k);
			free(*(char **)slot);
			*(char **)slot = xstrdup(v);
			return 0;
		case K_PORT:
			if (*end || n < 1 || n > 65535)
				return bad(e, c, line, "port must be a number from 1 to 65535, not \"%s\"", v);
			*(int *)slot = (int)n;
			return 0;
		case K_SECONDS:
			if (*end || n < 1 || n > 3600)
				return bad(e, c, line, "refresh must be a number of seconds from 1 to 3600, not \"%s\"", v);
			*(int *)slot = (int)n;
			return 0;
		case K_BOOL:
			if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
				*(int *)slot = 1;
			else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
				*(int *)slot = 0;
			else
				return bad(e, c, line, "sudo must be yes or no, not \"%s\"", v);
			return 0;
		}
	}
	return bad(e, c, line, "unknown key \"%s\" (known: host user port path sudo identity theme refresh)", k);
}

/* "[target NAME]" starts a target. */
static int section(lc_config *c, char *s, int line, lc_err *e)
{
	char *end = strchr(s, ']');
	if (!end || end[1 + strspn(end + 1, " \t")] != 0)
		return bad(e, c, line, "%s", "a section header must end with ]");
	*end = 0;
	char *body = trim(s + 1);
	if (strncmp(body, "target", 6) != 0 || !isspace((unsigned char)body[6]))
		return bad(e, c, line, "unknown section [%s] (use [target NAME])", body);
	char *name = trim(body + 6);
	if (!*name || strpbrk(name, " \t\"'"))
		return bad(e, c, line, "%s", "a target name must be one word");
	if (config_target(c, name))
		return bad(e, c, line, "target %s is defined twice", name);
	c->t = xrealloc(c->t, sizeof *c->t * (size_t)(c->n + 1));
	c->t[c->n++] = (lc_target_cfg){ .name = xstrdup(name) };
	return 0;
}

static int parse_line(lc_config *c, char *raw, int line, lc_err *e)
{
	char *s = trim(raw);
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return section(c, s, line, e);
	char *eq = strchr(s, '=');
	if (!eq)
		return bad(e, c, line, "expected key = value, not \"%s\"", s);
	if (!c->n)
		return bad(e, c, line, "%s", "key outside a [target NAME] section");
	*eq = 0;
	char *v = eq + 1;
	for (char *p = v; *p; p++)  /* "value ; comment" or "value # comment" */
		if ((*p == ';' || *p == '#') && p > v && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = 0;
			break;
		}
	return set_value(c, &c->t[c->n - 1], trim(s), trim(v), line, e);
}

/* Parse every line of f into c; 0, or -1 with e at the first bad line. */
static int read_lines(FILE *f, lc_config *c, lc_err *e)
{
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	while (rc == 0 && getline(&line, &cap, f) >= 0)
		rc = parse_line(c, line, ++lineno, e);
	free(line);
	return rc;
}

int config_load(const char *path, lc_config *c, lc_err *e)
{
	*c = (lc_config){ .file = path ? xstrdup(path) : config_path() };
	FILE *f = fopen(c->file, "re");
	if (!f)
		return path || errno != ENOENT ? lc_err_set(e, LC_EUSAGE, "cannot read %s: %s", c->file, strerror(errno)) : 0;
	int rc = read_lines(f, c, e);
	fclose(f);
	return rc;
}

int config_parse(const char *text, size_t n, const char *name, lc_config *c, lc_err *e)
{
	*c = (lc_config){ .file = xstrdup(name) };
	if (n == 0)
		return 0;
	FILE *f = fmemopen((void *)text, n, "r");
	if (!f)
		return lc_err_set(e, LC_EUSAGE, "cannot read %s: %s", name, strerror(errno));
	int rc = read_lines(f, c, e);
	fclose(f);
	return rc;
}

const lc_target_cfg *config_target(const lc_config *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->t[i].name, name) == 0)
			return &c->t[i];
	return NULL;
}

void config_free(lc_config *c)
{
	for (int i = 0; i < c->n; i++) {
		lc_target_cfg *t = &c->t[i];
		free(t->name), free(t->host), free(t->user), free(t->path), free(t->identity), free(t->theme);
	}
	free(c->t);
	free(c->file);
	*c = (lc_config){ 0 };
}
