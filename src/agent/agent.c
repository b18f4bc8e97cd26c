/*
 * agent.c: litecon-agent, the helper that runs on a store host. It is
 * linked statically (core + SQLite, no other libraries) so one file runs on
 * any Linux host of the same architecture. This build answers --version
 * (the client's probe) and `--check PATH` (open a target read-only with the
 * engine's layers and report its databases); the frame protocol of
 * docs/protocol.md comes with the SSH work.
 */
#include "engine.h"
#include "lc.h"

#include <stdio.h>
#include <string.h>

static int check(const char *path)
{
	engine *en;
	lc_err e = { 0 };
	if (engine_open(path, &(engine_opts){ 5000 }, &en, &e) < 0) {
		fprintf(stderr, "litecon-agent: %s\n", e.msg);
		return e.code;
	}
	for (int i = 0; i < engine_ndb(en); i++) {
		const engine_db *d = engine_db_at(en, i);
		printf("%s\t%s\n", d->schema, d->path);
	}
	engine_free(en);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("litecon-agent %s (SQLite %s)\n", LC_VERSION, engine_sqlite_version());
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--check") == 0)
		return check(argv[2]);
	fputs("usage: litecon-agent --version | --check PATH\n", stderr);
	return LC_EUSAGE;
}
