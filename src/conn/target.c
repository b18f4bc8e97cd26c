/*
 * target.c: TARGET argument parsing (local path, scp-style, ssh:// URL,
 * @name). Hostile strings are refused here so nothing later passes an
 * option-like host to ssh or a control character to a shell.
 */
#include "target.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int bad_chars(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Split "[user@]host" (host may be "[v6]") into t; port after ':' if allow_port. */
static int split_host(const char *s, size_t n, target *t, int allow_port, lc_err *e)
{
	const char *at = memchr(s, '@', n), *h = s;
	if (at) {
		t->user = xstrndup(s, (size_t)(at - s));
		h = at + 1;
	}
	size_t hn = n - (size_t)(h - s);
	if (allow_port) {
		const char *close = *h == '[' ? memchr(h, ']', hn) : NULL;
		const char *colon = memchr(close ? close : h, ':', hn - (size_t)((close ? close : h) - h));
		if (colon) {
			char *end;
			long p = strtol(colon + 1, &end, 10);
			if (end != h + hn || p < 1 || p > 65535)
				return lc_err_set(e, LC_EUSAGE, "bad port in target: %.*s", (int)n, s);
			t->port = (int)p;
			hn = (size_t)(colon - h);
		}
	}
	if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']')
		h++, hn -= 2;
	if (hn == 0 || h[0] == '-' || (t->user && (!t->user[0] || t->user[0] == '-')))
		return lc_err_set(e, LC_EUSAGE, "bad host in target: %.*s", (int)n, s);
	t->host = xstrndup(h, hn);
	return 0;
}

static int parse_url(const char *s, target *t, lc_err *e)
{
	const char *rest = s + strlen("ssh://");
	const char *slash = strchr(rest, '/');
	if (!slash || !slash[1])
		return lc_err_set(e, LC_EUSAGE, "ssh:// target needs a path: ssh://[user@]host[:port]/path");
	t->kind = TARGET_SSH;
	t->path = xstrdup(slash);
	return split_host(rest, (size_t)(slash - rest), t, 1, e);
}

/* Where the host part of an scp-style target ends (its ':'), or NULL. */
static const char *scp_colon(const char *s)
{
	const char *p = s;
	if (*p == '[' || (strchr(s, '@') && strchr(s, '@')[1] == '[')) {
		const char *close = strchr(s, ']');
		if (!close)
			return NULL;
		p = close;
	}
	const char *colon = strchr(p, ':'), *slash = strchr(s, '/');
	if (!colon || colon == s || (slash && slash < colon))
		return NULL;
	return colon;
}

static int parse(const char *s, target *t, lc_err *e)
{
	const char *colon;
	if (!s || !*s)
		return lc_err_set(e, LC_EUSAGE, "empty target");
	if (bad_chars(s))
		return lc_err_set(e, LC_EUSAGE, "the target holds control characters");
	if (s[0] == '@') {
		if (!s[1])
			return lc_err_set(e, LC_EUSAGE, "'@' needs a target name from the config file, as in @store");
		t->kind = TARGET_NAMED;
		t->name = xstrdup(s + 1);
		return 0;
	}
	if (strncmp(s, "ssh://", 6) == 0)
		return parse_url(s, t, e);
	if ((colon = scp_colon(s)) != NULL) {
		t->kind = TARGET_SSH;
		t->path = xstrdup(colon[1] ? colon + 1 : ".");
		return split_host(s, (size_t)(colon - s), t, 0, e);
	}
	t->kind = TARGET_LOCAL;
	t->path = xstrdup(s);
	return 0;
}

int target_parse(const char *s, target *t, lc_err *e)
{
	*t = (target){ 0 };
	if (parse(s, t, e) == 0)
		return 0;
	target_clear(t);
	return -1;
}

void target_clear(target *t)
{
	free(t->user);
	free(t->host);
	free(t->path);
	free(t->name);
	*t = (target){ 0 };
}
