/*
 * bcheck.c: verification that follows a backup file as it is written (see
 * bcheck.h). The writer publishes how many bytes of the file are final
 * (settled) under a mutex, and the two threads wait on a condition until
 * what they need is settled, then read it with pread on the writer's
 * descriptor. Not mmap: a page that is a hole on a full tmpfs, or a file
 * cut short by a failed write, would be SIGBUS instead of an error.
 *
 * The check thread opens the file through "litecon_follow", a VFS made
 * from the default one with its own files: reads wait for the bytes, then
 * read them from the file; the size is the final one;
 * nothing can be written or locked. The database is opened immutable, so
 * SQLite reads no journal or WAL beside it.
 *
 * Page 1 is special: SQLite's backup writes it last, and the check must
 * start from it. The snapshot sends the database file's page 1 first (see
 * pages.h); the check reads that one, with the page count and the
 * version-valid-for number set as the final page will have them. When the
 * final page 1 differs from it in anything else (a schema change or a
 * freelist change still in the WAL), the check runs again at the end.
 */
#define _GNU_SOURCE
#include "bcheck.h"
#include "pages.h"
#include "sha256.h"
#include "snapshot.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bcheck {
	char *path;                 /* owned */
	int fd;                     /* borrowed: the writer's */
	uint32_t page_size, pages;
	int flags;
	uint64_t size;              /* the file's final size */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t settled;           /* bytes final so far (mu) */
	int stop;                   /* abort: the threads give up (mu) */
	pthread_t checker, hasher;
	int checking, hashing;      /* threads to join */
	/* the check thread's result */
	int check_ok;               /* "ok" and the page count right */
	char *check_said;           /* owned: what it said instead */
	uint8_t *p1;                /* owned: page 1 as the check saw it, or NULL */
	int final;                  /* the check runs again: page 1 from the file */
	/* the hashing thread's result */
	uint8_t *hash;              /* owned: SNAP_HASH per page */
	uint8_t digest[32];
	char sha[65];
	int hashed;                 /* every page hashed */
	int sync_errno;             /* fsync: 0 = synced */
};

/* The bytes [0, need) are final (or the check was stopped: 0). Threads
 * remember what they saw, so most reads never take the lock. */
static uint64_t wait_for(bcheck *c, uint64_t need)
{
	pthread_mutex_lock(&c->mu);
	while (c->settled < need && !c->stop)
		pthread_cond_wait(&c->cv, &c->mu);
	uint64_t got = c->stop ? 0 : c->settled;
	pthread_mutex_unlock(&c->mu);
	return got;
}

/* n bytes at off, all of them (0), or -1 (an error, or the file ends). */
static int read_at(const bcheck *c, void *p, size_t n, uint64_t off)
{
	for (size_t got = 0; got < n;) {
		ssize_t k = pread(c->fd, (char *)p + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/* ---- the VFS the check thread reads through ---- */

typedef struct ffile {
	sqlite3_file base;
	bcheck *c;
	uint64_t seen;  /* settled bytes this file last saw */
} ffile;

static int ready(ffile *f, uint64_t end)
{
	if (end <= f->seen)
		return 1;
	f->seen = wait_for(f->c, end);
	return f->seen >= end;
}

/* Page 1 for the check: the early one, with bytes 28..31 (the page count)
 * and 92..95 (version-valid-for = the change counter) as the backup's
 * final commit will write them. NULL if it never came. */
static const uint8_t *page1(ffile *f)
{
	bcheck *c = f->c;
	uint32_t ps = c->page_size;
	if (c->p1)
		return c->p1;
	if (!ready(f, ps))
		return NULL;
	c->p1 = xmalloc(ps);
	if (read_at(c, c->p1, ps, 0) < 0) {
		free(c->p1);
		return c->p1 = NULL;
	}
	uint8_t *h = c->p1;
	h[28] = (uint8_t)(c->pages >> 24), h[29] = (uint8_t)(c->pages >> 16);
	h[30] = (uint8_t)(c->pages >> 8), h[31] = (uint8_t)c->pages;
	memcpy(h + 92, h + 24, 4);
	return c->p1;
}

static int fo_read(sqlite3_file *p, void *out, int amt, sqlite3_int64 off)
{
	ffile *f = (ffile *)p;
	uint64_t size = f->c->size, at = (uint64_t)off, n = (uint64_t)amt;
	if (!f->c->final && at + n <= f->c->page_size) {
		const uint8_t *p1 = page1(f);
		if (!p1)
			return SQLITE_IOERR_READ;
		memcpy(out, p1 + at, n);
		return SQLITE_OK;
	}
	if (at >= size) {
		memset(out, 0, n);
		return SQLITE_IOERR_SHORT_READ;
	}
	uint64_t have = at + n <= size ? n : size - at;
	if (!ready(f, at + have) || read_at(f->c, out, have, at) < 0)
		return SQLITE_IOERR_READ;
	if (have < n) {
		memset((char *)out + have, 0, n - have);
		return SQLITE_IOERR_SHORT_READ;
	}
	return SQLITE_OK;
}

static int fo_size(sqlite3_file *p, sqlite3_int64 *size)
{
	*size = (sqlite3_int64)((ffile *)p)->c->size;
	return SQLITE_OK;
}

static int fo_write(sqlite3_file *p, const void *d, int n, sqlite3_int64 off)
{
	(void)p, (void)d, (void)n, (void)off;
	return SQLITE_READONLY;
}

static int fo_truncate(sqlite3_file *p, sqlite3_int64 size)
{
	(void)p, (void)size;
	return SQLITE_READONLY;
}

static int fo_sync(sqlite3_file *p, int flags)
{
	(void)p, (void)flags;
	return SQLITE_OK;
}

static int fo_lock(sqlite3_file *p, int level)
{
	(void)p, (void)level;
	return SQLITE_OK;
}

static int fo_reserved(sqlite3_file *p, int *out)
{
	(void)p;
	*out = 0;
	return SQLITE_OK;
}

static int fo_control(sqlite3_file *p, int op, void *arg)
{
	(void)p, (void)op, (void)arg;
	return SQLITE_NOTFOUND;
}

static int fo_sector(sqlite3_file *p)
{
	(void)p;
	return 4096;
}

static int fo_caps(sqlite3_file *p)
{
	(void)p;
	return SQLITE_IOCAP_IMMUTABLE;
}

static int fo_close(sqlite3_file *p)
{
	(void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods follow_io = {
	1, fo_close, fo_read, fo_write, fo_truncate, fo_sync, fo_size, fo_lock, fo_lock, fo_reserved,
	fo_control, fo_sector, fo_caps, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* The bcheck travels in the URI (lcfollow=<pointer>): no global state. */
static int fo_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *p, int flags, int *out_flags)
{
	(void)vfs;
	void *c = NULL;
	const char *who = name ? sqlite3_uri_parameter(name, "lcfollow") : NULL;
	p->pMethods = NULL;
	if (!(flags & SQLITE_OPEN_MAIN_DB) || !who || sscanf(who, "%p", &c) != 1 || !c)
		return SQLITE_CANTOPEN;
	ffile *f = (ffile *)p;
	f->c = c, f->seen = 0;
	p->pMethods = &follow_io;
	if (out_flags)
		*out_flags = SQLITE_OPEN_READONLY;
	return SQLITE_OK;
}

static int fo_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs, (void)name, (void)flags;
	*out = 0;  /* no journal, no WAL, nothing else */
	return SQLITE_OK;
}

static sqlite3_vfs follow_vfs;

static void follow_register(void)
{
	follow_vfs = *sqlite3_vfs_find(NULL);
	follow_vfs.iVersion = 1;  /* no xSetSystemCall and friends */
	follow_vfs.szOsFile = (int)sizeof(ffile);
	follow_vfs.zName = "litecon_follow";
	follow_vfs.pNext = NULL;
	follow_vfs.xOpen = fo_open;
	follow_vfs.xAccess = fo_access;
	sqlite3_vfs_register(&follow_vfs, 0);
}

/* ---- the check thread ---- */

static char *check_run(bcheck *c, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	char *said = NULL;
	const char *sql = c->flags & BC_FULL ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *res = (const char *)sqlite3_column_text(st, 0);
		if (!res || strcmp(res, "ok"))
			said = xstrdup(res ? res : "no answer");
	} else {
		said = xstrdup(sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!said && sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && (uint32_t)sqlite3_column_int64(st, 0) != c->pages)
		said = xasprintf("it has %lld pages, the snapshot %u", (long long)sqlite3_column_int64(st, 0), c->pages);
	sqlite3_finalize(st);
	return said;
}

static void *check_main(void *arg)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	bcheck *c = arg;
	sqlite3 *db = NULL;
	pthread_once(&once, follow_register);
	char *uri = sqlite3_mprintf("file:%s?immutable=1&lcfollow=%p", c->path, (void *)c);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, "litecon_follow") == SQLITE_OK)
		c->check_said = check_run(c, db);
	else
		c->check_said = xstrdup(db ? sqlite3_errmsg(db) : "cannot open it");
	c->check_ok = !c->check_said;
	sqlite3_free(uri);
	sqlite3_close(db);
	return NULL;
}

/* Did the check see page 1 as it ended up? Aside from what SQLite's
 * backup sets on the copy at its end and the check does not read: the
 * change counter (24..27), the schema cookie (40..43: the copy's own, plus
 * one), version-valid-for and the SQLite version (92..99). */
static int page1_held(const bcheck *c)
{
	const uint8_t *a = c->p1;
	uint8_t *b = a ? xmalloc(c->page_size) : NULL;
	int same = b && read_at(c, b, c->page_size, 0) == 0 && !memcmp(a, b, 24) && !memcmp(a + 28, b + 28, 40 - 28) &&
		   !memcmp(a + 44, b + 44, 92 - 44) && !memcmp(a + 100, b + 100, c->page_size - 100);
	free(b);
	return same;
}

/* After everything is written: when the check did not see page 1 as it
 * ended up, or failed (perhaps because of that), run it again on the
 * final file. */
static void check_settle(bcheck *c)
{
	if (c->check_ok && page1_held(c))
		return;
	free(c->check_said);
	c->check_said = NULL;
	c->final = 1;
	check_main(c);
}

/* ---- the hashing thread: every page, then fsync ----
 * Page 1 is final only at the end (SQLite's backup writes it at its last
 * commit; an early one came first): it is hashed last, and the file's
 * SHA-256 (BC_SHA) is a second pass once everything is final. */

#define CHUNK (1u << 20)  /* read this much at a time */

/* Hash pages [from, to) of the file (0-based); -1 if it cannot be read. */
static int hash_pages(bcheck *c, uint8_t *blk, uint32_t from, uint32_t to)
{
	uint32_t ps = c->page_size, per = CHUNK / ps ? CHUNK / ps : 1;
	for (uint32_t i = from; i < to;) {
		uint32_t n = to - i < per ? to - i : per;
		if (read_at(c, blk, (size_t)n * ps, (uint64_t)i * ps) < 0)
			return -1;
		for (uint32_t k = 0; k < n; k++, i++)
			snap_page_hash(blk + (size_t)k * ps, ps, c->hash + (size_t)i * SNAP_HASH);
	}
	return 0;
}

/* The SHA-256 of the whole file, hex; -1 if it cannot be read. */
static int hash_file(bcheck *c, uint8_t *blk)
{
	sha256 h;
	uint8_t d[32];
	sha256_init(&h);
	for (uint64_t at = 0; at < c->size; at += CHUNK) {
		size_t n = c->size - at < CHUNK ? (size_t)(c->size - at) : CHUNK;
		if (read_at(c, blk, n, at) < 0)
			return -1;
		sha256_add(&h, blk, n);
	}
	sha256_done(&h, d);
	sha256_hex(d, c->sha);
	return 0;
}

static int hash_all(bcheck *c, uint8_t *blk)
{
	uint32_t i = 1, ps = c->page_size;
	while (i < c->pages) {
		uint64_t have = wait_for(c, (uint64_t)(i + 1) * ps);
		uint32_t upto = (uint32_t)(have / ps < c->pages ? have / ps : c->pages);
		if (!have || hash_pages(c, blk, i, upto) < 0)
			return -1;  /* stopped, or unreadable */
		i = upto;
	}
	if (!wait_for(c, c->size) || hash_pages(c, blk, 0, 1) < 0)
		return -1;
	sha256 h;
	sha256_init(&h);
	sha256_add(&h, c->hash, (size_t)c->pages * SNAP_HASH);
	sha256_done(&h, c->digest);
	return c->flags & BC_SHA ? hash_file(c, blk) : 0;
}

static void *hash_main(void *arg)
{
	bcheck *c = arg;
	uint8_t *blk = xmalloc(CHUNK > c->page_size ? CHUNK : c->page_size);
	c->hashed = hash_all(c, blk) == 0;
	free(blk);
	if (c->hashed)
		c->sync_errno = fsync(c->fd) == 0 ? 0 : errno ? errno : EIO;
	return NULL;
}

bcheck *bcheck_start(const char *path, int fd, uint32_t page_size, uint32_t pages, int flags)
{
	uint64_t size = (uint64_t)page_size * pages;
	if (!size)
		return NULL;
	bcheck *c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	c->fd = fd, c->page_size = page_size, c->pages = pages, c->flags = flags;
	c->size = size;
	c->hash = xmalloc((size_t)pages * SNAP_HASH + 1);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->checking = pthread_create(&c->checker, NULL, check_main, c) == 0;
	c->hashing = c->checking && pthread_create(&c->hasher, NULL, hash_main, c) == 0;
	if (!c->hashing) {
		bcheck_abort(c);
		return NULL;
	}
	return c;
}

void bcheck_settle(bcheck *c, uint64_t bytes)
{
	bytes -= bytes % c->page_size;
	pthread_mutex_lock(&c->mu);
	if (bytes > c->settled) {
		c->settled = bytes < c->size ? bytes : c->size;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
}

static void join(bcheck *c)
{
	if (c->checking)
		pthread_join(c->checker, NULL);
	if (c->hashing)
		pthread_join(c->hasher, NULL);
	c->checking = c->hashing = 0;
}

static void destroy(bcheck *c)
{
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c->path), free(c->hash), free(c->check_said), free(c->p1), free(c);
}

int bcheck_finish(bcheck *c, const uint8_t want[32], const char *dest, uint8_t **hashes, char sha[65], lc_err *e)
{
	bcheck_settle(c, c->size);
	join(c);
	int rc = 0;
	if (c->hashed && !memcmp(c->digest, want, 32))
		check_settle(c);
	if (!c->hashed || memcmp(c->digest, want, 32)) {
		rc = -2;
		lc_err_set(e, LC_EVERIFY, "the backup's pages do not match the SHA-256 digest of the snapshot; %s was "
			   "left as it was", dest);
	} else if (!c->check_ok) {
		rc = lc_err_set(e, LC_EVERIFY, "the backup fails %s (%s); %s was left as it was",
				c->flags & BC_FULL ? "integrity_check" : "quick_check", c->check_said, dest);
	} else if (c->sync_errno) {
		rc = lc_err_set(e, LC_EVERIFY, "cannot sync %s: %s; %s was left as it was", c->path,
				strerror(c->sync_errno), dest);
	}
	if (rc == 0 && hashes)
		*hashes = c->hash, c->hash = NULL;
	if (rc == 0 && sha && (c->flags & BC_SHA))
		memcpy(sha, c->sha, 65);
	destroy(c);
	return rc;
}

void bcheck_abort(bcheck *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	join(c);
	destroy(c);
}
