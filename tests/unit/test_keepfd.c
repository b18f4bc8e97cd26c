/*
 * test_keepfd.c: litecon's own reads of a database's header and of its
 * wal-index header (store_scan, probe_shm) leave the process's SQLite
 * locks in place. A read transaction pins a snapshot here; another
 * process (the sqlite3 shell) writes and asks for a TRUNCATE checkpoint,
 * which must stay busy while the pin holds. With a plain open/close of
 * those files the pin's lock is dropped and the checkpoint runs over the
 * snapshot. Also: a file replaced at the same path gets a new descriptor.
 */
#define _GNU_SOURCE
#include "keepfd.h"
#include "probe.h"
#include "store.h"
#include "unit.h"
#include "util.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Write from another process, then TRUNCATE-checkpoint: its "busy" column. */
static int other_process_checkpoint(const char *db)
{
	char *cmd = xasprintf("sqlite3 '%s' 'insert into t select x + 1000 from t limit 50;' "
			      "'pragma wal_checkpoint(truncate);' 2>/dev/null", db);
	FILE *p = popen(cmd, "r");
	char line[64] = "";
	if (p && !fgets(line, sizeof line, p))
		line[0] = 0;
	if (p)
		pclose(p);
	free(cmd);
	return line[0] ? atoi(line) : -1;
}

static void locks_kept(const char *dir)
{
	char *db = xasprintf("%s/pin.sqlite3", dir);
	sqlite3 *w = NULL, *r = NULL;
	sqlite3_open(db, &w);
	sqlite3_exec(w, "pragma journal_mode=wal; create table t(x); with c(x) as (select 1 union all select x + 1 "
		     "from c limit 1000) insert into t select x from c;", 0, 0, 0);
	sqlite3_close(w);
	sqlite3_open_v2(db, &r, SQLITE_OPEN_READONLY, NULL);
	sqlite3_exec(r, "begin; select count(*) from t;", 0, 0, 0);  /* the pin */
	int before = other_process_checkpoint(db);
	unsigned mx = 0, nb = 0;
	store_file *files = NULL;
	int n = 0;
	lc_err e = { 0 };
	for (int i = 0; i < 3; i++) {  /* what every dashboard refresh and every connection does */
		probe_shm(db, &mx, &nb);
		if (store_scan(db, &files, &n, &e) == 0)
			store_files_free(files, n);
	}
	int after = other_process_checkpoint(db);
	CHECK(before == 1, "a pinned read snapshot holds another process's TRUNCATE checkpoint back");
	CHECK(after == 1, "reading the -shm and database headers keeps that pin's locks (the checkpoint stays busy)");
	sqlite3_exec(r, "commit;", 0, 0, 0);
	sqlite3_close(r);
	free(db);
}

static void replaced_file(const char *dir)
{
	char *path = xasprintf("%s/f", dir), *tmp = xasprintf("%s/g", dir);
	char got[2] = "";
	FILE *f = fopen(path, "w");
	fputs("A", f), fclose(f);
	int a = keepfd(path, 0);
	CHECK(a >= 0 && keepfd(path, 0) == a, "the same file gets the same kept descriptor");
	f = fopen(tmp, "w");
	fputs("B", f), fclose(f);
	rename(tmp, path);
	int b = keepfd(path, 0);
	CHECK(b >= 0 && b != a && pread(b, got, 1, 0) == 1 && got[0] == 'B',
	      "a file replaced at the same path gets a new descriptor (the new file's bytes)");
	CHECK(keepfd(tmp, 0) < 0, "a path that is not there: -1");
	free(path), free(tmp);
}

void test_keepfd(void)
{
	char dir[] = "/tmp/litecon-unit-keepfd.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	locks_kept(dir);
	replaced_file(dir);
	char *rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		CHECK(0, "clean up");
	free(rm);
}
