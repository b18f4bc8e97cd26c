/*
 * bfile.c: the .partial file of a backup, from first page to rename, and
 * the hash sidecar that lets the next backup to the same DEST start from
 * the page hashes instead of reading DEST again.
 *
 * What is verified is the file itself: once the last page is written, a
 * thread reads the .partial back (from the page cache), hashes every page
 * and compares the digest with the snapshot's, then fsyncs; meanwhile the
 * main thread runs quick_check (through mmap) and the page count. The
 * rename waits for all of them. Pages are not hashed as they arrive, so
 * the receiving end of a pull does less, and an incremental backup does
 * not depend on the sidecar being right: a DEST that does not match it
 * fails the digest, and the sidecar is dropped.
 *
 * Consecutive pages are gathered into one write, and writeback starts
 * every few MB (sync_file_range), so the final fsync has little left.
 */
#define _GNU_SOURCE
#include "bfile.h"
#include "sha256.h"
#include "snapshot.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_MAX (1u << 20)     /* consecutive pages gathered into one write */
#define KICK_EVERY (8u << 20)  /* start writeback after this many bytes written */
#define HOLD_MAX (32u << 20)   /* pages kept in memory while the earlier backup is copied */

struct bfile {
	char *dest, *partial;   /* owned */
	int fd;
	uint32_t page_size, pages;
	uint8_t *run;           /* owned: RUN_MAX bytes of consecutive pages not written yet */
	size_t run_len;
	off_t run_off;          /* where run[0] goes */
	size_t unkicked;        /* bytes written since writeback was last started */
	pthread_t copier;       /* copies the earlier backup while the host hashes */
	int copying;            /* copier to be joined */
	buf held;               /* owned: pages (u32 pgno, page) that came while it copies */
	int copy_errno;         /* its result (0 = copied) */
	atomic_int copy_done, check_done;  /* the copier, the check thread finished */
	int sync_errno;         /* the check thread's fsync (0 = synced) */
	const uint8_t *want;    /* the snapshot's digest, for the check thread */
	char *sha;              /* where the file's SHA-256 goes, or NULL */
	uint8_t *hash;          /* owned: the file's page hashes (check thread) */
	uint32_t nhash;
	int match;              /* 1: the file's digest is the snapshot's */
	int (*tick)(void *ctx); /* called often during the check; nonzero stops it */
	void *tick_ctx;
	int ticked_stop;        /* the tick stopped the check */
};

static void save_hashes(const char *dest, uint32_t page_size, const uint8_t *hashes, uint32_t n);
static void unlink_sidecar(const char *dest);
static char *side_path(const char *dest);

static int fail(bfile *f, lc_err *e, const char *what)
{
	return lc_err_set(e, LC_EVERIFY, "cannot %s %s: %s; %s was left as it was", what, f->partial, strerror(errno),
			  f->dest);
}

/* Let the kernel start writing what is dirty (it does not wait): the disk
 * works while the network does, and the final fsync finds little to do. */
static void kick(bfile *f)
{
#ifdef SYNC_FILE_RANGE_WRITE
	sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
	f->unkicked = 0;
}

/* Copy the earlier backup into the .partial: a reflink where the
 * filesystem has them (btrfs, XFS: no data copied, nothing to sync), else
 * in the kernel, else by hand. */
static int copy_file(bfile *f)
{
	char chunk[1 << 16];
	ssize_t n = 0;
	int in = open(f->dest, O_RDONLY | O_CLOEXEC), to = f->fd;
	if (in < 0)
		return errno == ENOENT ? 0 : -1;
	if (ioctl(to, FICLONE, in) == 0) {
		close(in);
		return 0;
	}
	while ((n = copy_file_range(in, NULL, to, NULL, 1 << 30, 0)) > 0)
		;
	if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP))
		while ((n = read(in, chunk, sizeof chunk)) > 0)
			if (write(to, chunk, (size_t)n) != n) {
				n = -1;
				break;
			}
	close(in);
	if (n == 0)
		kick(f);
	return n < 0 ? -1 : 0;
}

static void *copy_main(void *arg)
{
	bfile *f = arg;
	f->copy_errno = copy_file(f) == 0 ? 0 : errno ? errno : EIO;
	atomic_store(&f->copy_done, 1);
	return NULL;
}

/* Call tick (if any) every 50 ms until *done: while a helper waits for a
 * thread (the copy of DEST, the read-back, the hashes of DEST), its client
 * still hears from it. */
static void tick_until(int (*tick)(void *), void *ctx, atomic_int *done)
{
	while (tick && !atomic_load(done)) {
		struct timespec ts = { 0, 50 * 1000000 };
		nanosleep(&ts, NULL);
		tick(ctx);
	}
}

/* The copy must be complete before any page is written over it. */
static int copied(bfile *f, lc_err *e)
{
	if (f->copying) {
		tick_until(f->tick, f->tick_ctx, &f->copy_done);
		pthread_join(f->copier, NULL);
		f->copying = 0;
	}
	if (!f->copy_errno)
		return 0;
	errno = f->copy_errno;
	f->copy_errno = 0;
	return fail(f, e, "write");
}

/* Take f->partial for this backup alone, under flock until it is renamed
 * or removed: created afresh, or the leftover of a backup that died
 * (nobody holds it) emptied and reused. Never unlinked to be replaced, so
 * the flock is on the one file every backup to dest opens. 1: another
 * backup holds it; -1 with errno. */
static int take_partial(bfile *f)
{
	for (int tries = 0; tries < 8; tries++) {
		int fd = open(f->partial, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600), fresh = fd >= 0;
		if (fd < 0 && errno != EEXIST)
			return -1;
		if (fd < 0 && (fd = open(f->partial, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0 && errno == ENOENT)
			continue;  /* renamed or removed since */
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int busy = errno == EWOULDBLOCK;
			close(fd);
			return busy ? 1 : -1;
		}
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(f->partial, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
		    S_ISREG(a.st_mode) && (fresh || ftruncate(fd, 0) == 0)) {
			f->fd = fd;
			return 0;
		}
		close(fd);  /* renamed into place by the backup that held it: look again */
	}
	errno = EEXIST;
	return -1;
}

int bfile_check(const char *dest, const char *const *dbs, int n, lc_err *e)
{
	char *side = side_path(dest);
	char *paths[] = { xstrdup(dest), xasprintf("%s.partial", dest), xstrdup(side), xasprintf("%s.partial", side) };
	int rc = 0;
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		if (rc == 0)
			rc = store_check_output(paths[i], dbs, n, e);
		free(paths[i]);
	}
	free(side);
	return rc;
}

int bfile_open(const char *dest, int incremental, bfile **out, lc_err *e)
{
	bfile *f = xcalloc(1, sizeof *f);
	f->dest = xstrdup(dest);
	f->partial = xasprintf("%s.partial", dest);
	*out = NULL;
	int got = take_partial(f);
	if (got != 0) {
		if (got > 0)
			lc_err_set(e, LC_EVERIFY, "another backup is writing %s; %s was left as it was (let that one finish)",
				   f->partial, dest);
		else
			fail(f, e, "create");
		free(f->dest), free(f->partial), free(f);
		return -1;
	}
	if (incremental) {  /* in a thread: the host takes a while to hash its pages */
		f->copying = pthread_create(&f->copier, NULL, copy_main, f) == 0;
		if (!f->copying && (copy_main(f), copied(f, e) < 0)) {
			bfile_abort(f);
			return -1;
		}
	}
	*out = f;
	return 0;
}

int bfile_begin(bfile *f, uint32_t page_size, uint32_t pages, lc_err *e)
{
	(void)e;
	f->page_size = page_size;
	f->pages = pages;
	if (!f->run)
		f->run = xmalloc(RUN_MAX);
	return 0;
}

/* Write the gathered pages. */
static int flush_run(bfile *f, lc_err *e)
{
	if (copied(f, e) < 0)
		return -1;
	for (size_t done = 0; done < f->run_len;) {
		ssize_t n = pwrite(f->fd, f->run + done, f->run_len - done, f->run_off + (off_t)done);
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return fail(f, e, "write");
		}
		done += (size_t)n;
	}
	f->unkicked += f->run_len;
	f->run_len = 0;
	if (f->unkicked >= KICK_EVERY)
		kick(f);
	return 0;
}

static int write_page(bfile *f, uint32_t pgno, const uint8_t *data, lc_err *e)
{
	off_t off = (off_t)(pgno - 1) * f->page_size;
	if (f->run_len && (off != f->run_off + (off_t)f->run_len || f->run_len + f->page_size > RUN_MAX) &&
	    flush_run(f, e) < 0)
		return -1;
	if (!f->run_len)
		f->run_off = off;
	memcpy(f->run + f->run_len, data, f->page_size);
	f->run_len += f->page_size;
	return 0;
}

/* The copy is done (wait for it): write the pages held meanwhile. */
static int unhold(bfile *f, lc_err *e)
{
	int rc = copied(f, e);
	for (size_t at = 0; rc == 0 && at < f->held.len; at += 4 + f->page_size) {
		const uint8_t *p = (const uint8_t *)f->held.p + at;
		rc = write_page(f, (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3], p + 4, e);
	}
	buf_free(&f->held);
	return rc;
}

int bfile_page(bfile *f, uint32_t pgno, const uint8_t *data, lc_err *e)
{
	if (f->copying && f->held.len < HOLD_MAX) {  /* the snapshot must not wait for the disk */
		const uint8_t be[4] = { (uint8_t)(pgno >> 24), (uint8_t)(pgno >> 16), (uint8_t)(pgno >> 8), (uint8_t)pgno };
		buf_add(&f->held, be, 4);
		buf_add(&f->held, data, f->page_size);
		return 0;
	}
	if (f->copying && unhold(f, e) < 0)
		return -1;
	return write_page(f, pgno, data, e);
}

void bfile_set_tick(bfile *f, int (*tick)(void *ctx), void *ctx)
{
	f->tick = tick, f->tick_ctx = ctx;
}

static int check_tick(void *arg)
{
	bfile *f = arg;
	return f->ticked_stop = f->tick(f->tick_ctx) != 0;
}

/* PRAGMA quick_check/integrity_check and page_count of the .partial. It
 * reads through mmap: every page is read once or twice, and on a VM a
 * read() per page costs more than the check itself. */
static int check_db(bfile *f, int full, lc_err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *uri = sqlite3_mprintf("file:%s?mode=ro&immutable=1", f->partial);
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	sqlite3_free(uri);
	char *mm = sqlite3_mprintf("PRAGMA mmap_size=%lld", (long long)f->pages * f->page_size);
	if (rc == SQLITE_OK)
		sqlite3_exec(db, mm, NULL, NULL, NULL);  /* a plain read() per page if it is refused */
	sqlite3_free(mm);
	const char *sql = full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)";
	if (rc == SQLITE_OK && f->tick)
		sqlite3_progress_handler(db, 10000, check_tick, f);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	const char *res = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (f->ticked_stop)
		rc = lc_err_set(e, LC_ECANCEL, "the backup was cancelled during its check; %s was left as it was", f->dest);
	else if (!res || strcmp(res, "ok") != 0)
		rc = lc_err_set(e, LC_EVERIFY, "the backup fails %s (%s); %s was left as it was",
				full ? "integrity_check" : "quick_check", res ? res : sqlite3_errmsg(db), f->dest);
	else
		rc = 0;
	sqlite3_finalize(st);
	st = NULL;  /* the page count below may not run */
	if (rc == 0 && sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && (uint32_t)sqlite3_column_int64(st, 0) != f->pages)
		rc = lc_err_set(e, LC_EVERIFY, "the backup has %lld pages, the snapshot %u; %s was left as it was",
				(long long)sqlite3_column_int64(st, 0), f->pages, f->dest);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

static void sync_dir(const char *path)
{
	char *d = xstrdup(path);
	int fd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(d);
}

/* The check thread: read the file back and hash it, then fsync. */
static void *check_main(void *arg)
{
	bfile *f = arg;
	uint8_t got[32];
	f->match = snapshot_digest_file(f->partial, f->page_size, got, f->sha, &f->hash, &f->nhash) == 0 &&
		   f->nhash == f->pages && !memcmp(got, f->want, 32);
	f->sync_errno = fsync(f->fd) == 0 ? 0 : errno ? errno : EIO;
	atomic_store(&f->check_done, 1);
	return NULL;
}

/* The file's digest and fsync in a thread, quick_check here; all must pass.
 * -2 when the pages do not match the digest. */
static int verify(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e)
{
	pthread_t t;
	f->want = digest, f->sha = sha;
	int threaded = pthread_create(&t, NULL, check_main, f) == 0;
	if (!threaded)
		check_main(f);
	int rc = check_db(f, full, e);
	if (threaded) {
		tick_until(f->tick, f->tick_ctx, &f->check_done);
		pthread_join(t, NULL);
	}
	if (!f->match) {
		unlink_sidecar(f->dest);  /* it may be what is wrong: the next backup reads DEST afresh */
		lc_err_set(e, LC_EVERIFY, "the backup's pages do not match the SHA-256 digest of the snapshot; %s was "
			   "left as it was", f->dest);
		return -2;
	}
	if (rc == 0 && f->sync_errno) {
		errno = f->sync_errno;
		rc = fail(f, e, "sync");
	}
	return rc;
}

int bfile_verify(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e)
{
	int rc = -1;
	if (unhold(f, e) == 0 && flush_run(f, e) == 0) {
		if (ftruncate(f->fd, (off_t)f->pages * f->page_size) < 0)
			fail(f, e, "finish");
		else
			rc = verify(f, digest, full, sha, e);
	}
	if (rc < 0)
		bfile_abort(f);
	return rc;
}

int bfile_finish(bfile *f, lc_err *e)
{
	if (rename(f->partial, f->dest) < 0) {
		fail(f, e, "rename");
		bfile_abort(f);
		return -1;
	}
	sync_dir(f->dest);
	save_hashes(f->dest, f->page_size, f->hash, f->pages);
	close(f->fd);  /* the flock goes with it */
	free(f->dest), free(f->partial), free(f->hash), free(f->run), free(f);
	return 0;
}

int bfile_commit(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e)
{
	int rc = bfile_verify(f, digest, full, sha, e);
	return rc < 0 ? rc : bfile_finish(f, e);
}

int bfile_put(const char *path, const char *data, size_t n, lc_err *e)
{
	char *tmp = xasprintf("%s.partial", path);
	int fd = data ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600) : -1, rc = 0;
	if (!data) {
		if (unlink(path) < 0 && errno != ENOENT)
			rc = lc_err_set(e, LC_EVERIFY, "cannot remove %s: %s", path, strerror(errno));
	} else if (fd < 0) {
		rc = lc_err_set(e, LC_EVERIFY, "cannot write %s: %s", tmp, strerror(errno));
	} else {
		size_t done = 0;
		errno = 0;
		for (ssize_t w = 1; done < n && w > 0; done += w > 0 ? (size_t)w : 0)
			w = write(fd, data + done, n - done);
		int bad = done < n || fsync(fd) < 0;
		bad = close(fd) < 0 || bad;
		fd = -1;
		if (bad || rename(tmp, path) < 0)
			rc = lc_err_set(e, LC_EVERIFY, "cannot write %s: %s", path, errno ? strerror(errno) : "short write");
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0 && data)
		unlink(tmp);
	if (rc == 0)
		sync_dir(path);
	free(tmp);
	return rc;
}

void bfile_abort(bfile *f)
{
	if (!f)
		return;
	if (f->copying)
		pthread_join(f->copier, NULL);
	buf_free(&f->held);
	unlink(f->partial);  /* while the flock is ours: after close it may be another backup's */
	close(f->fd);
	free(f->dest), free(f->partial), free(f->hash), free(f->run), free(f);
}

/* ---- the hash sidecar: DIR/.NAME.litecon-hashes beside DIR/NAME ----
 * magic, then u64 dev, ino, size, mtime s/ns, ctime s/ns of the backup as
 * renamed into place, u32 page_size, u32 n, n hashes, and a SHA-256 of
 * all that. Trusted only while the backup's stat still matches (any write,
 * truncate, touch or replacement changes the ctime or the inode); else the
 * backup is read and hashed again. A cache: never synced, never needed. */

#define SIDE_MAGIC "litecon-hashes-1"  /* 16 bytes */
#define SIDE_HEAD (16 + 7 * 8 + 2 * 4)

static char *side_path(const char *dest)
{
	char *d = xstrdup(dest), *b = xstrdup(dest);
	char *p = xasprintf("%s/.%s.litecon-hashes", dirname(d), basename(b));
	free(d), free(b);
	return p;
}

static void unlink_sidecar(const char *dest)
{
	char *p = side_path(dest);
	unlink(p);
	free(p);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The header that describes path as it is now; -1 if it cannot be stat'ed. */
static int side_head(const char *path, uint32_t page_size, uint32_t n, uint8_t out[SIDE_HEAD])
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	const uint64_t v[7] = { (uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
				(uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec,
				(uint64_t)st.st_ctim.tv_sec, (uint64_t)st.st_ctim.tv_nsec };
	memcpy(out, SIDE_MAGIC, 16);
	for (int i = 0; i < 7; i++)
		put64(out + 16 + 8 * i, v[i]);
	put64(out + 16 + 56, (uint64_t)page_size | (uint64_t)n << 32);
	return 0;
}

static void save_hashes(const char *dest, uint32_t page_size, const uint8_t *hashes, uint32_t n)
{
	uint8_t head[SIDE_HEAD], sum[32];
	char *path = side_path(dest), *tmp = xasprintf("%s.partial", path);
	size_t len = (size_t)n * SNAP_HASH;
	sha256 h;
	FILE *fp = NULL;
	int fd = side_head(dest, page_size, n, head) < 0 ? -1
			 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || !(fp = fdopen(fd, "wb"))) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	sha256_init(&h);
	sha256_add(&h, head, sizeof head);
	sha256_add(&h, hashes, len);
	sha256_done(&h, sum);
	int ok = fwrite(head, 1, sizeof head, fp) == sizeof head && fwrite(hashes, 1, len, fp) == len &&
		 fwrite(sum, 1, 32, fp) == 32;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
out:
	free(path), free(tmp);
}

/* The sidecar's hashes if it still describes dest; -1 otherwise. */
static int side_load(const char *dest, uint32_t page_size, uint8_t **hashes, uint32_t *n)
{
	struct stat st;
	uint8_t want[SIDE_HEAD], sum[32];
	char *path = side_path(dest);
	FILE *fp = fopen(path, "rbe");
	free(path);
	if (!fp || fstat(fileno(fp), &st) < 0) {
		if (fp)
			fclose(fp);
		return -1;
	}
	uint8_t *all = st.st_size >= SIDE_HEAD + 32 ? xmalloc((size_t)st.st_size) : NULL;
	size_t len = all ? fread(all, 1, (size_t)st.st_size, fp) : 0;
	fclose(fp);
	uint32_t count = (uint32_t)((len - SIDE_HEAD - 32) / SNAP_HASH);
	int rc = -1;
	if (all && len == (size_t)st.st_size && len == SIDE_HEAD + (size_t)count * SNAP_HASH + 32 &&
	    side_head(dest, page_size, count, want) == 0 && !memcmp(all, want, SIDE_HEAD) &&
	    get64(want + 32) == (uint64_t)count * page_size) {
		sha256 h;
		sha256_init(&h);
		sha256_add(&h, all, len - 32);
		sha256_done(&h, sum);
		rc = memcmp(sum, all + len - 32, 32) ? -1 : 0;
	}
	if (rc == 0) {
		*hashes = xmalloc((size_t)count * SNAP_HASH + 1);
		memcpy(*hashes, all + SIDE_HEAD, (size_t)count * SNAP_HASH);
		*n = count;
	}
	free(all);
	return rc;
}

/* snapshot_digest_file of an earlier backup, in a thread of its own. */
typedef struct known_job {
	const char *path;
	uint32_t page_size, n;
	uint8_t digest[32], *hashes;
	int rc;
	atomic_int done;
} known_job;

static void *known_main(void *arg)
{
	known_job *k = arg;
	k->rc = snapshot_digest_file(k->path, k->page_size, k->digest, NULL, &k->hashes, &k->n);
	atomic_store(&k->done, 1);
	return NULL;
}

static int digest_ticking(const char *path, uint32_t page_size, uint8_t **hashes, uint32_t *n, int (*tick)(void *),
			  void *ctx)
{
	known_job k = { .path = path, .page_size = page_size };
	pthread_t t;
	if (!tick || pthread_create(&t, NULL, known_main, &k) != 0) {
		known_main(&k);
	} else {
		tick_until(tick, ctx, &k.done);
		pthread_join(t, NULL);
	}
	*hashes = k.hashes, *n = k.n;
	return k.rc;
}

int bfile_known(const char *path, uint32_t *page_size, uint8_t **hashes, uint32_t *n, int (*tick)(void *), void *ctx)
{
	unsigned char h[100];
	FILE *fp = fopen(path, "rbe");
	*page_size = 0, *hashes = NULL, *n = 0;
	if (!fp)
		return 0;
	size_t got = fread(h, 1, sizeof h, fp);
	fclose(fp);
	if (got < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return 0;
	uint32_t ps = (uint32_t)h[16] << 8 | h[17];
	*page_size = ps == 1 ? 65536 : ps;
	if (side_load(path, *page_size, hashes, n) == 0)
		return 1;
	if (digest_ticking(path, *page_size, hashes, n, tick, ctx) < 0)
		*page_size = 0;
	return 0;
}
