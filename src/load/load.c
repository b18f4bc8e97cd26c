/* load.c (litecon-load): the command line. litecon-load builds a Rails-8-like demo store (init) and keeps
 * writing to it like a busy shop (run); it is litecon's load generator for tests and demos, and the only
 * litecon program that writes to a database. Options are a table; each command is a function. */
#include "load_schema.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD_INIT 1u
#define CMD_RUN 2u

enum opt_kind { O_LONG, O_I64, O_U64, O_DOUBLE, O_FLAG };
static const struct optdef {
	const char *name;
	enum opt_kind kind;
	size_t off;
	unsigned cmds;
	double min;
} optdefs[] = {
	{ "--orders", O_LONG, offsetof(struct load_opts, orders), CMD_INIT, 0 },
	{ "--seed", O_U64, offsetof(struct load_opts, seed), CMD_INIT | CMD_RUN, 0 },
	{ "--force", O_FLAG, offsetof(struct load_opts, force), CMD_INIT, 0 },
	{ "--now", O_I64, offsetof(struct load_opts, now_s), CMD_INIT, 1 },
	{ "--rate", O_DOUBLE, offsetof(struct load_opts, rate), CMD_RUN, 0.001 },
	{ "--duration", O_DOUBLE, offsetof(struct load_opts, duration), CMD_RUN, 0 },
	{ "--parent", O_LONG, offsetof(struct load_opts, parent), CMD_RUN, 1 },
	{ "--quiet", O_FLAG, offsetof(struct load_opts, quiet), CMD_INIT | CMD_RUN, 0 },
};
#define N_OPTS (sizeof optdefs / sizeof optdefs[0])

static const struct command {
	const char *name;
	unsigned bit;
	int (*fn)(const struct load_opts *);
} commands[] = {
	{ "init", CMD_INIT, load_init },
	{ "run", CMD_RUN, load_run },
};

static const char synopsis[] =
	"usage: litecon-load init DIR [--orders N] [--seed S] [--now UNIXTIME] [--force] [--quiet]\n"
	"       litecon-load run DIR [--rate N] [--duration SECONDS] [--parent PID] [--seed S] [--quiet]\n";
static const char details[] =
	"\n"
	"init  create DIR and a Rails 8 style store in it: production.sqlite3 (users, products, orders,\n"
	"      order_items), production_queue.sqlite3 (Solid Queue), production_cache.sqlite3 (Solid Cache)\n"
	"      and production_cable.sqlite3 (Solid Cable), all in WAL mode. --orders defaults to 100000;\n"
	"      the same --seed (default 1) gives the same rows (timestamps are relative to --now or the clock).\n"
	"      An existing store is refused unless --force.\n"
	"run   write to that store like a busy shop: --rate orders per second (default 20) with their items,\n"
	"      jobs enqueued, claimed, finished and failed, heartbeats, cache and cable traffic. Stops on\n"
	"      SIGINT/SIGTERM, after --duration seconds, or when process --parent has gone. Prints a summary;\n"
	"      exits 0 when no SQLite error happened, 1 otherwise.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("litecon-load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	fputs(synopsis, stderr);
	return 2;
}

/* Parse one option value into its field. 0 or -1. */
static int set_opt(struct load_opts *o, const struct optdef *d, const char *v)
{
	char *end = NULL, *field = (char *)o + d->off;
	double x;

	errno = 0;
	switch (d->kind) {
	case O_LONG:
		*(long *)(void *)field = strtol(v, &end, 10);
		x = (double)*(long *)(void *)field;
		break;
	case O_I64:
		*(int64_t *)(void *)field = strtoll(v, &end, 10);
		x = (double)*(int64_t *)(void *)field;
		break;
	case O_U64:
		*(uint64_t *)(void *)field = strtoull(v, &end, 10);
		x = 0;
		break;
	case O_DOUBLE:
		*(double *)(void *)field = x = strtod(v, &end);
		break;
	default:
		return -1;
	}
	if (errno || end == v || *end || x < d->min || (d->kind == O_U64 && v[0] == '-'))
		return -1;
	return 0;
}

static const struct optdef *find_opt(const char *arg, size_t len)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (strlen(optdefs[i].name) == len && strncmp(optdefs[i].name, arg, len) == 0)
			return &optdefs[i];
	return NULL;
}

/* argv[i..] after "CMD DIR": options as --name VALUE or --name=VALUE. Exit status or -1 to go on. */
static int parse_opts(struct load_opts *o, unsigned cmd, int argc, char **argv, int i)
{
	for (; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *val;
		const struct optdef *d = find_opt(arg, eq ? (size_t)(eq - arg) : strlen(arg));

		if (!d || !(d->cmds & cmd))
			return usage_error("unknown option %s", arg);
		if (d->kind == O_FLAG) {
			if (eq)
				return usage_error("%s takes no value", d->name);
			*(int *)(void *)((char *)o + d->off) = 1;
			continue;
		}
		val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val)
			return usage_error("%s needs a value", d->name);
		if (set_opt(o, d, val) != 0)
			return usage_error("bad value for %s", d->name);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct load_opts o = { .orders = 100000, .seed = 1, .rate = 20 };
	const struct command *c = NULL;
	size_t k;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(synopsis, stdout);
		fputs(details, stdout);
		return 0;
	}
	for (k = 0; argc >= 2 && k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(argv[1], commands[k].name) == 0)
			c = &commands[k];
	if (!c)
		return usage_error("%s", argc >= 2 ? "unknown command" : "missing command");
	if (argc < 3 || argv[2][0] == '-')
		return usage_error("%s needs a store directory", c->name);
	o.dir = argv[2];
	rc = parse_opts(&o, c->bit, argc, argv, 3);
	if (rc >= 0)
		return rc;
	return c->fn(&o);
}
