/*
 * snapshot.c: the streaming backup. SQLite's backup API copies the pinned
 * source into a destination database whose file is a little VFS
 * ("litecon_stream"): every page written to it is hashed and, unless it
 * matches the known hash for that page, handed to the sink. The VFS keeps
 * only the first 64 KiB (SQLite reads page 1 back) and the file size.
 * Checked on Debian 12's SQLite 3.40 (reference/backup.md §5): one write
 * per page, no restarts while the source is pinned.
 *
 * Hashing every page is half the work, and for an incremental backup most
 * of it: a second thread hashes pages while SQLite reads the next ones (a
 * ring of about 1 MB). Only the main thread touches SQLite and the sink,
 * so the sink sees the pages in the order SQLite wrote them, as before.
 */
#define _GNU_SOURCE
#include "snapshot.h"
#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEAD_KEEP 65536
#define RING_SLOTS 256       /* pages between the copy and the hashing thread ... */
#define RING_BYTES (1u << 20)  /* ... at most this many bytes of them */

/* Pages on their way from SQLite (the main thread) to the sink: the
 * hashing thread computes each page's SHA-256 while SQLite reads the next
 * ones; the main thread hands hashed pages on in order. Slots in
 * [tail, hashed) are hashed, [hashed, head) wait for the hasher. */
typedef struct ring {
	pthread_t t;
	int running;                 /* the hashing thread exists */
	pthread_mutex_t mu;
	pthread_cond_t more, hashed_cv;
	uint8_t *data;               /* owned: nslots pages */
	uint32_t nslots;
	uint32_t pgno[RING_SLOTS];
	uint8_t sha[RING_SLOTS][32];
	uint64_t head, hashed, tail;
	uint32_t batch;              /* pages worth waking the hasher for */
	int hasher_idle, main_waits; /* who sleeps on which condition */
	int quit;
} ring;

typedef struct copy {
	const snap_sink *sink;
	void *ctx;
	const uint8_t *known;
	uint32_t nknown;
	uint32_t page_size;
	uint8_t (*sha)[32];         /* full SHA-256 of each page written */
	uint32_t nsha;
	uint8_t head[HEAD_KEEP];    /* the first bytes, for read-backs */
	sqlite3_int64 size;
	uint32_t sent;
	double max_rate;
	long long t0;
	int failed;                 /* the sink said stop */
	ring r;
} copy;

/* The copy in progress (the VFS has no other way to reach it; one
 * snapshot at a time per process). */
static copy *cur;

typedef struct sfile {
	sqlite3_file base;
	copy *c;
} sfile;

static void pace(copy *c)
{
	if (c->max_rate <= 0)
		return;
	double due_ms = (double)c->sent * c->page_size / c->max_rate * 1000.0;
	long long ahead = (long long)due_ms - (now_ms() - c->t0);
	if (ahead > 0 && !engine_cancel_pending()) {  /* cancelled: finish the step at once */
		struct timespec ts = { ahead / 1000, (ahead % 1000) * 1000000 };
		nanosleep(&ts, NULL);
	}
}

/* A hashed page: remember its hash; pass it on unless the earlier backup
 * has it already. Main thread. */
static void hand_on(copy *c, uint32_t pgno, const uint8_t *data, const uint8_t sha[32])
{
	if (pgno > c->nsha) {
		uint32_t n = pgno + 1024;
		c->sha = xrealloc(c->sha, sizeof *c->sha * n);
		memset(c->sha + c->nsha, 0, sizeof *c->sha * (n - c->nsha));
		c->nsha = n;
	}
	memcpy(c->sha[pgno - 1], sha, 32);
	if (c->failed || (pgno <= c->nknown && !memcmp(c->known + (size_t)(pgno - 1) * SNAP_HASH, sha, SNAP_HASH)))
		return;  /* the earlier backup has this page already */
	c->sent++;
	pace(c);
	if (c->sink->page(c->ctx, pgno, data))
		c->failed = 1;
}

static void hash_page(const copy *c, const uint8_t *data, uint8_t out[32])
{
	sha256 h;
	sha256_init(&h);
	sha256_add(&h, data, c->page_size);
	sha256_done(&h, out);
}

/* Wake the hasher if it sleeps and a batch is waiting (or now: force).
 * Waking it for every page would cost a futex call per page. Under mu. */
static void ring_wake(ring *r, int force)
{
	if (r->hasher_idle && (force || r->head - r->hashed >= r->batch))
		pthread_cond_signal(&r->more);
}

static void *hasher(void *arg)
{
	copy *c = arg;
	ring *r = &c->r;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->hashed == r->head && !r->quit) {
			r->hasher_idle = 1;
			pthread_cond_wait(&r->more, &r->mu);
			r->hasher_idle = 0;
		}
		if (r->hashed == r->head)
			break;
		uint64_t i = r->hashed, upto = r->head;
		pthread_mutex_unlock(&r->mu);
		for (; i < upto; i++) {
			uint32_t s = (uint32_t)(i % r->nslots);
			hash_page(c, r->data + (size_t)s * c->page_size, r->sha[s]);
		}
		pthread_mutex_lock(&r->mu);
		r->hashed = upto;
		if (r->main_waits)
			pthread_cond_signal(&r->hashed_cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

static void ring_start(copy *c)
{
	ring *r = &c->r;
	r->nslots = RING_BYTES / c->page_size;
	r->nslots = r->nslots < 16 ? 16 : r->nslots > RING_SLOTS ? RING_SLOTS : r->nslots;
	r->batch = r->nslots / 4;
	r->data = xmalloc((size_t)r->nslots * c->page_size);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->more, NULL);
	pthread_cond_init(&r->hashed_cv, NULL);
	r->running = pthread_create(&r->t, NULL, hasher, c) == 0;  /* else: hashed inline */
}

/* Hand on the hashed pages: with wait, every page pushed so far; else
 * the ones hashed already, and at least one when the ring is full. */
static void ring_drain(copy *c, int wait)
{
	ring *r = &c->r;
	if (!r->running)
		return;
	int full = r->head - r->tail == r->nslots;
	pthread_mutex_lock(&r->mu);
	ring_wake(r, wait || full);
	while (wait ? r->hashed < r->head : full && r->hashed == r->tail) {
		r->main_waits = 1;
		pthread_cond_wait(&r->hashed_cv, &r->mu);
		r->main_waits = 0;
	}
	uint64_t upto = r->hashed;
	pthread_mutex_unlock(&r->mu);
	for (; r->tail < upto; r->tail++) {
		uint32_t s = (uint32_t)(r->tail % r->nslots);
		hand_on(c, r->pgno[s], r->data + (size_t)s * c->page_size, r->sha[s]);
	}
}

static void page_written(copy *c, uint32_t pgno, const uint8_t *data)
{
	ring *r = &c->r;
	if (!r->running) {
		uint8_t sha[32];
		hash_page(c, data, sha);
		hand_on(c, pgno, data, sha);
		return;
	}
	if (r->head - r->tail >= r->nslots / 2)
		ring_drain(c, 0);  /* every so often; and it makes room when the ring is full */
	uint32_t s = (uint32_t)(r->head % r->nslots);
	r->pgno[s] = pgno;
	memcpy(r->data + (size_t)s * c->page_size, data, c->page_size);
	pthread_mutex_lock(&r->mu);
	r->head++;
	ring_wake(r, 0);
	pthread_mutex_unlock(&r->mu);
}

static void ring_stop(copy *c)
{
	ring *r = &c->r;
	if (r->running) {
		pthread_mutex_lock(&r->mu);
		r->quit = 1;
		pthread_cond_signal(&r->more);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->t, NULL);
		r->running = 0;
	}
	if (r->data) {
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->more);
		pthread_cond_destroy(&r->hashed_cv);
		free(r->data);
		r->data = NULL;
	}
}

static int s_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	copy *c = ((sfile *)f)->c;
	if (off < HEAD_KEEP)
		memcpy(c->head + off, p, (size_t)(off + n <= HEAD_KEEP ? n : HEAD_KEEP - off));
	if (off + n > c->size)
		c->size = off + n;
	if (!c->page_size || n % (int)c->page_size || off % c->page_size)
		return SQLITE_OK;  /* not a page: nothing to pass on */
	for (int k = 0; k < n; k += (int)c->page_size)
		page_written(c, (uint32_t)((off + k) / c->page_size) + 1, (const uint8_t *)p + k);
	return c->failed ? SQLITE_IOERR_WRITE : SQLITE_OK;
}

static int s_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	copy *c = ((sfile *)f)->c;
	memset(p, 0, (size_t)n);
	if (off + n <= HEAD_KEEP && off + n <= c->size) {
		memcpy(p, c->head + off, (size_t)n);
		return SQLITE_OK;
	}
	return SQLITE_IOERR_SHORT_READ;
}

static int s_truncate(sqlite3_file *f, sqlite3_int64 size) { ((sfile *)f)->c->size = size; return SQLITE_OK; }
static int s_size(sqlite3_file *f, sqlite3_int64 *size) { *size = ((sfile *)f)->c->size; return SQLITE_OK; }
static int s_close(sqlite3_file *f) { (void)f; return SQLITE_OK; }
static int s_sync(sqlite3_file *f, int flags) { (void)f, (void)flags; return SQLITE_OK; }
static int s_lock(sqlite3_file *f, int l) { (void)f, (void)l; return SQLITE_OK; }
static int s_reserved(sqlite3_file *f, int *r) { (void)f; *r = 0; return SQLITE_OK; }
static int s_control(sqlite3_file *f, int op, void *a) { (void)f, (void)op, (void)a; return SQLITE_NOTFOUND; }
static int s_sector(sqlite3_file *f) { (void)f; return 4096; }
static int s_chars(sqlite3_file *f) { (void)f; return 0; }

static const sqlite3_io_methods s_io = {
	1, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock, s_lock, s_reserved,
	s_control, s_sector, s_chars, 0, 0, 0, 0, 0, 0,
};

static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)v, (void)name;
	if (!(flags & SQLITE_OPEN_MAIN_DB) || !cur)
		return SQLITE_CANTOPEN;  /* journal_mode=OFF: nothing else is opened */
	((sfile *)f)->c = cur;
	f->pMethods = &s_io;
	if (out)
		*out = flags;
	return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *v, const char *n, int d) { (void)v, (void)n, (void)d; return SQLITE_OK; }
static int v_access(sqlite3_vfs *v, const char *n, int fl, int *r) { (void)v, (void)n, (void)fl; *r = 0; return SQLITE_OK; }

static int v_full(sqlite3_vfs *v, const char *n, int len, char *out)
{
	(void)v;
	sqlite3_snprintf(len, out, "%s", n);
	return SQLITE_OK;
}

static sqlite3_vfs *stream_vfs(void)
{
	static sqlite3_vfs v;
	if (!v.zName) {
		sqlite3_vfs *d = sqlite3_vfs_find(NULL);
		v = *d;
		v.szOsFile = sizeof(sfile);
		v.zName = "litecon_stream";
		v.pNext = NULL;
		v.xOpen = v_open, v.xDelete = v_delete, v.xAccess = v_access, v.xFullPathname = v_full;
		v.xDlOpen = NULL, v.xDlError = NULL, v.xDlSym = NULL, v.xDlClose = NULL;
		sqlite3_vfs_register(&v, 0);
	}
	return &v;
}

static int int_pragma(sqlite3 *db, const char *schema, const char *name, uint32_t *out)
{
	sqlite3_stmt *st;
	char *sql = sqlite3_mprintf("PRAGMA \"%w\".%s", schema, name);
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
	*out = rc == 0 ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc;
}

void snap_page_hash(const uint8_t *page, uint32_t page_size, uint8_t out[SNAP_HASH])
{
	uint8_t d[32];
	sha256 h;
	sha256_init(&h);
	sha256_add(&h, page, page_size);
	sha256_done(&h, d);
	memcpy(out, d, SNAP_HASH);
}

void snap_digest(const uint8_t *hashes, uint32_t n, uint32_t pages, uint32_t page_size, uint8_t out[32])
{
	static const uint8_t none[SNAP_HASH];
	uint8_t *zero = xcalloc(1, page_size), zh[SNAP_HASH];
	sha256 h;
	snap_page_hash(zero, page_size, zh);
	free(zero);
	sha256_init(&h);
	for (uint32_t i = 0; i < pages; i++) {
		const uint8_t *p = i < n ? hashes + (size_t)i * SNAP_HASH : none;
		sha256_add(&h, memcmp(p, none, SNAP_HASH) ? p : zh, SNAP_HASH);  /* never written: a zero page */
	}
	sha256_done(&h, out);
}

static void finish_digest(copy *c, uint32_t pages, uint8_t out[32])
{
	uint8_t *flat = xcalloc((size_t)c->nsha + 1, SNAP_HASH);
	for (uint32_t i = 0; i < c->nsha; i++)
		memcpy(flat + (size_t)i * SNAP_HASH, c->sha[i], SNAP_HASH);
	snap_digest(flat, c->nsha, pages, c->page_size, out);
	free(flat);
}

/* Pages per step: 256, or under --max-rate about 0.1 s worth, so that
 * progress and a cancel are seen that often at any rate. */
static int step_pages(const copy *c)
{
	if (c->max_rate <= 0)
		return 256;
	double n = c->max_rate * 0.1 / (c->page_size ? c->page_size : 4096);
	return n >= 256 ? 256 : n >= 1 ? (int)n : 1;
}

/* Step the backup in chunks: progress, cancel, rate. */
static int copy_pages(copy *c, sqlite3_backup *b, uint32_t pages, lc_err *e)
{
	int rc;
	while ((rc = sqlite3_backup_step(b, step_pages(c))) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		ring_drain(c, 1);  /* progress counts pages handed on */
		if (c->sink->progress && !c->failed)
			c->sink->progress(c->ctx, pages - (uint32_t)sqlite3_backup_remaining(b), pages);
		if (engine_cancel_pending())
			return lc_err_set(e, LC_ECANCEL, "cancelled");
	}
	ring_drain(c, 1);
	if (rc != SQLITE_DONE || c->failed) {
		if (c->failed && e->code)
			return -1;
		return lc_err_set(e, LC_ESQL, "the backup stopped: %s",
				  c->failed ? "the destination could not take a page" : sqlite3_errstr(rc));
	}
	if (c->sink->progress)
		c->sink->progress(c->ctx, pages, pages);
	return 0;
}

int snapshot_run(engine *en, const char *schema, const uint8_t *known, uint32_t nknown, uint32_t known_page_size,
		 double max_rate, const snap_sink *sink, void *ctx, snap_result *res, lc_err *e)
{
	copy *c = xcalloc(1, sizeof *c);
	sqlite3 *src = engine_handle(en), *dst = NULL;
	sqlite3_backup *b = NULL;
	uint32_t pages = 0;
	int rc = -1;
	struct timespec now;
	*res = (snap_result){ 0 };
	*c = (copy){ .sink = sink, .ctx = ctx, .known = known, .nknown = known ? nknown : 0, .max_rate = max_rate };
	stream_vfs();
	if (engine_pin(en, schema, e) < 0)
		goto out;
	long long pin0 = now_ms();
	clock_gettime(CLOCK_REALTIME, &now);
	res->taken_at = (double)now.tv_sec + now.tv_nsec / 1e9;
	if (int_pragma(src, schema, "page_size", &c->page_size) < 0 || int_pragma(src, schema, "page_count", &pages) < 0) {
		lc_err_set(e, LC_ESQL, "cannot read the size of %s: %s", schema, sqlite3_errmsg(src));
		goto unpin;
	}
	if (known_page_size != c->page_size)
		c->known = NULL, c->nknown = 0;  /* another page size: every page differs */
	cur = c;
	char *cfg = sqlite3_mprintf("PRAGMA page_size=%u; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
				    "PRAGMA cache_size=16", c->page_size);
	int orc = sqlite3_open_v2("litecon-snapshot", &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "litecon_stream");
	if (orc == SQLITE_OK)
		orc = sqlite3_exec(dst, cfg, 0, 0, 0);
	sqlite3_free(cfg);
	if (orc != SQLITE_OK || !(b = sqlite3_backup_init(dst, "main", src, schema))) {
		lc_err_set(e, LC_ESQL, "cannot start the backup of %s: %s", schema, dst ? sqlite3_errmsg(dst) : "no memory");
		goto unpin;
	}
	if (sink->begin(ctx, c->page_size, pages)) {
		if (!e->code)
			lc_err_set(e, LC_ESQL, "the destination refused the backup");
		goto unpin;
	}
	c->t0 = now_ms();
	ring_start(c);
	rc = copy_pages(c, b, pages, e);
unpin:
	if (b)
		sqlite3_backup_finish(b);
	if (rc < 0)
		c->failed = 1;  /* nothing more for the sink */
	ring_drain(c, 1);
	ring_stop(c);
	if (rc == 0 && c->failed)
		rc = e->code ? -1 : lc_err_set(e, LC_ESQL, "the backup stopped: the destination could not take a page");
	engine_unpin(en);
	res->pinned_ms = now_ms() - pin0;
	if (rc == 0) {
		res->page_size = c->page_size;
		res->pages = pages;
		res->sent = c->sent;
		finish_digest(c, pages, res->digest);
	}
out:
	cur = NULL;
	sqlite3_close(dst);
	free(c->sha);
	free(c);
	return rc;
}

/* Read up to n bytes, short only at the end of the file; -1 on error. */
static ssize_t read_full(int fd, uint8_t *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(fd, p + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

int snapshot_digest_file(const char *path, uint32_t page_size, uint8_t digest[32], char file_sha[65],
			 uint8_t **hashes, uint32_t *n)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || page_size < 512 || page_size > 65536 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	uint32_t total = (uint32_t)(((uint64_t)st.st_size + page_size - 1) / page_size), count = 0;
	size_t chunk = (1u << 20) / page_size * page_size;
	uint8_t *blk = xmalloc(chunk), *list = xmalloc((size_t)total * SNAP_HASH + 1), d[32];
	sha256 whole;
	ssize_t got = 0;
	sha256_init(&whole);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (count < total && (got = read_full(fd, blk, chunk)) > 0) {
		if (file_sha)
			sha256_add(&whole, blk, (size_t)got);
		size_t pad = (page_size - (size_t)got % page_size) % page_size;
		memset(blk + got, 0, pad);  /* a short last page counts as zero-filled */
		for (size_t at = 0; at < (size_t)got + pad && count < total; at += page_size, count++)
			snap_page_hash(blk + at, page_size, list + (size_t)count * SNAP_HASH);
	}
	close(fd);
	free(blk);
	if (got < 0) {
		free(list);
		return -1;
	}
	sha256 h;
	sha256_init(&h);
	sha256_add(&h, list, (size_t)count * SNAP_HASH);
	sha256_done(&h, digest);
	if (file_sha) {
		sha256_done(&whole, d);
		sha256_hex(d, file_sha);
	}
	if (hashes)
		*hashes = list;
	else
		free(list);
	if (n)
		*n = count;
	return 0;
}
