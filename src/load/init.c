/* init.c (litecon-load): `litecon-load init DIR`: make the directory, refuse to overwrite a store unless
 * --force, create the four files and fill them fast (synchronous=OFF and a large page cache during the
 * load only, big transactions, indexes after the bulk rows), then leave each file in WAL mode with its WAL
 * checkpointed and truncated. A failed init removes what it created. */
#include "load_schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
#define N_SUFFIXES (sizeof suffixes / sizeof suffixes[0])
#define PATH_BUF 4200		/* a store path, or a message naming one */

static int mkdir_p(const char *dir, char *err, size_t len)
{
	char path[4096];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof path) {
		snprintf(err, len, "bad directory name");
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			snprintf(err, len, "cannot create %s: %s", path, strerror(errno));
			return -1;
		}
		path[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* Visit every store path (the four files and their -wal, -shm, -journal). Stops at the first nonzero. */
static int each_path(const char *dir, int (*fn)(const char *path, void *arg), void *arg)
{
	char path[PATH_BUF];
	size_t f, s;
	int rc;

	for (f = 0; f < DB_COUNT; f++)
		for (s = 0; s < N_SUFFIXES; s++) {
			snprintf(path, sizeof path, "%s/%s%s", dir, load_db_file[f], suffixes[s]);
			if ((rc = fn(path, arg)) != 0)
				return rc;
		}
	return 0;
}

static int path_exists(const char *path, void *arg)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return 0;
	snprintf(arg, PATH_BUF, "%s", path);
	return 1;
}

static int path_remove(const char *path, void *arg)
{
	if (unlink(path) != 0 && errno != ENOENT) {
		snprintf(arg, PATH_BUF, "cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Pragmas for the bulk load; run's settings are restored by finish_file. */
static const char load_pragmas[] =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536; "
	"PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;";

static int finish_file(struct store *st, int which)
{
	int64_t busy = 0;

	if (db_exec(st, which, "PRAGMA synchronous=NORMAL; PRAGMA journal_mode=WAL;") != 0)
		return -1;
	if (db_int(st, which, "PRAGMA wal_checkpoint(TRUNCATE)", &busy) != 0)
		return -1;
	if (busy) {
		snprintf(st->err, sizeof st->err, "%s: the final checkpoint was blocked by another connection",
			 load_db_name[which]);
		return -1;
	}
	return 0;
}

static int build_store(struct store *st, const struct load_opts *o, int64_t now)
{
	int i;

	for (i = 0; i < DB_COUNT; i++) {
		if (db_open(st, o->dir, i, 1) != 0 || db_exec(st, i, load_pragmas) != 0 ||
		    schema_create_tables(st, i) != 0 || seed_meta(st, i, now) != 0)
			return -1;
		if (i != DB_MAIN && schema_create_indexes(st, i) != 0)
			return -1;
	}
	if (seed_main(st, o->orders, now, o->quiet) != 0 || schema_create_indexes(st, DB_MAIN) != 0)
		return -1;
	if (seed_queue(st, now) != 0 || seed_cache(st, now) != 0 || seed_cable(st, now) != 0)
		return -1;
	for (i = 0; i < DB_COUNT; i++)
		if (finish_file(st, i) != 0)
			return -1;
	return 0;
}

/* Refuse an existing store (2) unless --force, which removes it first. Returns -1 to go on. */
static int prepare_dir(const struct load_opts *o)
{
	char msg[PATH_BUF] = "";

	if (mkdir_p(o->dir, msg, sizeof msg) != 0) {
		fprintf(stderr, "litecon-load: init: %s\n", msg);
		return 1;
	}
	if (!o->force && each_path(o->dir, path_exists, msg) != 0) {
		fprintf(stderr, "litecon-load: init: %s already exists; use --force to replace the store in %s\n",
			msg, o->dir);
		return 2;
	}
	if (o->force && each_path(o->dir, path_remove, msg) != 0) {
		fprintf(stderr, "litecon-load: init: %s\n", msg);
		return 1;
	}
	return -1;
}

int load_init(const struct load_opts *o)
{
	struct store st;
	char scratch[PATH_BUF];
	double t0 = mono_s();
	int64_t now = o->now_s ? o->now_s * US_PER_S : clock_us(), jobs = 0;
	int rc;

	if ((rc = prepare_dir(o)) >= 0)
		return rc;
	memset(&st, 0, sizeof st);
	rng_seed(&st.rng, o->seed);
	if (build_store(&st, o, now) != 0) {
		fprintf(stderr, "litecon-load: init failed: %s\n", st.err);
		db_close_all(&st);
		each_path(o->dir, path_remove, scratch);
		return 1;
	}
	db_int(&st, DB_QUEUE, "SELECT count(*) FROM solid_queue_jobs", &jobs);
	db_close_all(&st);
	if (!o->quiet)
		fprintf(stderr, "litecon-load: created %s: %ld orders, %ld users, %lld jobs in %.1f s\n", o->dir,
			o->orders, o->orders / 20 > 100 ? o->orders / 20 : 100, (long long)jobs, mono_s() - t0);
	return 0;
}
