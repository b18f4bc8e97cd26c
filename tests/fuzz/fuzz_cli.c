/*
 * fuzz_cli.c: libFuzzer target for the command-line parser (src/cli.c)
 * and the -o Key=Value options it collects, applied as ssh_cfg_resolve
 * applies them without an ssh binary (ssh_cfg_set, src/ssh/config.c).
 * The input is argv after argv[0], words separated by NUL bytes.
 * Oracles besides ASan/UBSan (a number that does not fit an int is UB): a
 * refusal is a usage error that says why; on success every pointer the
 * parse kept is one of the words, and the numbers are in their ranges.
 */
#include "cli.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64

static int is_word(char **argv, int argc, const char *p)
{
	for (int i = 0; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return 1;
	return 0;
}

static void check(const cli *o, char **argv, int argc)
{
	const char *const strs[] = { o->target, o->file, o->colsep, o->rowsep, o->nullvalue,
				     o->keep, o->orders, o->agent, o->verify, o->ssh.user, o->ssh.identity,
				     o->ssh.config, o->theme };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		if (strs[i] && !is_word(argv, argc, strs[i]))
			abort();
	if (o->nsql < 0 || o->nsql >= argc || (o->nsql && !o->target))
		abort();
	for (int i = 0; i < o->nsql; i++)
		if (!is_word(argv, argc, o->sql[i]))
			abort();
	if (o->mode && render_mode_find(o->mode) < 0)
		abort();
	if (o->timeout_ms < -1 || o->refresh_ms < 0 || o->watch < 0 || o->latest < 0 || o->rate < 0 || !(o->max_rate >= 0))
		abort();
	if (o->ssh.port < 0 || o->ssh.port > 65535 || o->ssh.nopts < 0 || o->ssh.nopts > SSHC_MAX_LIST)
		abort();
}

/* Apply the -o options to a configuration, as without ssh -G. */
static void apply_opts(const cli *o)
{
	ssh_cfg c = { .alias = xstrdup("h"), .hostname = xstrdup("h"), .user = xstrdup("u"), .port = 22 };
	for (int i = 0; i < o->ssh.nopts; i++) {
		lc_err e = { 0 };
		if (ssh_cfg_set(&c, o->ssh.opts[i], &e) < 0 && (e.code != LC_EUSAGE || !e.msg[0]))
			abort();
	}
	if (c.port < 0 || c.port > 65535 || c.nknown > SSHC_MAX_LIST || c.nidentity > SSHC_MAX_LIST)
		abort();
	ssh_cfg_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char argv0[] = "litecon";
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	int argc = 0;
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = 0;
	argv[argc++] = argv0;
	for (char *p = copy; p <= copy + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	cli o;
	lc_err e = { 0 };
	if (cli_parse(argc, argv, &o, &e) == 0) {
		check(&o, argv, argc);
		apply_opts(&o);
	} else if (e.code != LC_EUSAGE || !e.msg[0]) {
		abort();
	}
	free(o.sql);
	free(copy);
	return 0;
}
