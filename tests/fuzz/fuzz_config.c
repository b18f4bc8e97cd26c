/*
 * fuzz_config.c: libFuzzer target for the config file parser
 * (src/conn/config.c, config_parse: the text of a config file). Oracles
 * besides ASan/UBSan and leaks: a refusal is a usage error naming
 * FILE:LINE; an accepted file gives targets with one-word, unique names
 * that config_target finds, and ports and refresh times in range.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

static void check(const lc_config *c)
{
	for (int i = 0; i < c->n; i++) {
		const lc_target_cfg *t = &c->t[i];
		if (!t->name || !*t->name || strpbrk(t->name, " \t\"'") || config_target(c, t->name) != t)
			abort();
		if (t->port < 0 || t->port > 65535 || t->refresh < 0 || t->refresh > 3600 || (t->sudo & ~1))
			abort();
		const char *const strs[] = { t->host, t->user, t->path, t->identity, t->theme };
		for (size_t k = 0; k < sizeof strs / sizeof *strs; k++)
			if (strs[k] && !*strs[k])
				abort();  /* a key given an empty value is refused */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lc_config c;
	lc_err e = { 0 };
	if (config_parse((const char *)data, size, "fuzz.conf", &c, &e) == 0)
		check(&c);
	else if (e.code != LC_EUSAGE || strncmp(e.msg, "fuzz.conf:", 10) != 0)
		abort();
	config_free(&c);
	return 0;
}
