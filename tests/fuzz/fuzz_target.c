/*
 * fuzz_target.c: libFuzzer target for the TARGET parser
 * (src/conn/target.c) and the remote shell quoting every path goes
 * through (shq, src/ssh/config.c). The input, cut at its first NUL, is a
 * TARGET as typed. Oracles besides ASan/UBSan: a parse either fails with a
 * usage error that says why, or gives a target whose parts hold no control
 * character, whose host and user cannot be read as an option, and whose
 * path, quoted by shq and unquoted as sh does, is the path again.
 */
#include "sshc.h"
#include "target.h"

#include <stdlib.h>
#include <string.h>

static int has_ctl(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Undo POSIX sh quoting of a word made of '...' and \x parts; NULL when
 * the word holds anything else (an unquoted character sh would act on). */
static char *sh_unquote(const char *q)
{
	buf b = { 0 };
	int in = 0;
	for (; *q; q++) {
		if (in && *q == '\'')
			in = 0;
		else if (in)
			buf_addc(&b, *q);
		else if (*q == '\'')
			in = 1;
		else if (*q == '\\' && q[1])
			buf_addc(&b, *++q);
		else {
			buf_free(&b);
			return NULL;
		}
	}
	if (in) {
		buf_free(&b);
		return NULL;
	}
	return b.p ? b.p : xstrdup("");
}

static void check_quoting(const char *s)
{
	char *q = shq(s), *back = sh_unquote(q);
	if (!back || strcmp(back, s) != 0)
		abort();  /* shq(s) is not the word s to a shell */
	free(q);
	free(back);
}

static void check_target(const char *s, const target *t)
{
	if (has_ctl(t->user) || has_ctl(t->host) || has_ctl(t->path) || has_ctl(t->name))
		abort();
	if (t->port < 0 || t->port > 65535)
		abort();
	switch (t->kind) {
	case TARGET_LOCAL:
		if (!t->path || strcmp(t->path, s) != 0 || t->host)
			abort();
		break;
	case TARGET_NAMED:
		if (!t->name || !*t->name || strcmp(t->name, s + 1) != 0)
			abort();
		break;
	case TARGET_SSH:
		if (!t->host || !*t->host || t->host[0] == '-' || !t->path || !*t->path)
			abort();
		if (t->user && (!*t->user || t->user[0] == '-'))
			abort();
		check_quoting(t->path);
		check_quoting(t->host);
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	target t;
	lc_err e = { 0 };
	if (target_parse(s, &t, &e) == 0)
		check_target(s, &t);
	else if (e.code != LC_EUSAGE || !e.msg[0] || t.host || t.path || t.user || t.name)
		abort();
	target_clear(&t);
	check_quoting(s);
	free(s);
	return 0;
}
