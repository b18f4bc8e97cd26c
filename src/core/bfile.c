/*
 * bfile.c: the .partial file of a backup, from first page to rename.
 */
#define _GNU_SOURCE
#include "bfile.h"
#include "snapshot.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bfile {
	char *dest, *partial;   /* owned */
	int fd;
	uint32_t page_size, pages;
	uint8_t *hash;          /* owned: SNAP_HASH per page, as the file will hold them */
	uint32_t nhash;
	uint32_t known_ps;      /* page size the initial hashes are for */
};

static int fail(bfile *f, lc_err *e, const char *what)
{
	return lc_err_set(e, LC_EVERIFY, "cannot %s %s: %s; %s was left as it was", what, f->partial, strerror(errno),
			  f->dest);
}

/* Copy the earlier backup into the .partial (in the kernel when it can). */
static int copy_file(const char *from, int to)
{
	char chunk[1 << 16];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? 0 : -1;
	while ((n = copy_file_range(in, NULL, to, NULL, 1 << 30, 0)) > 0)
		;
	if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL))
		while ((n = read(in, chunk, sizeof chunk)) > 0)
			if (write(to, chunk, (size_t)n) != n) {
				n = -1;
				break;
			}
	close(in);
	return n < 0 ? -1 : 0;
}

int bfile_open(const char *dest, const uint8_t *known, uint32_t nknown, uint32_t known_ps, bfile **out, lc_err *e)
{
	bfile *f = xcalloc(1, sizeof *f);
	int incremental = known && nknown;
	f->dest = xstrdup(dest);
	f->partial = xasprintf("%s.partial", dest);
	*out = NULL;
	f->fd = open(f->partial, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (f->fd < 0) {
		fail(f, e, "create");
		free(f->dest), free(f->partial), free(f);
		return -1;
	}
	if (incremental && copy_file(dest, f->fd) < 0) {
		fail(f, e, "write");
		bfile_abort(f);
		return -1;
	}
	if (incremental) {
		f->hash = xmalloc((size_t)nknown * SNAP_HASH);
		memcpy(f->hash, known, (size_t)nknown * SNAP_HASH);
		f->nhash = nknown;
		f->known_ps = known_ps;
	}
	*out = f;
	return 0;
}

int bfile_begin(bfile *f, uint32_t page_size, uint32_t pages, lc_err *e)
{
	(void)e;
	f->page_size = page_size;
	f->pages = pages;
	if (f->known_ps != page_size)
		f->nhash = 0;  /* the earlier backup's hashes are for another page size */
	size_t n = (size_t)(pages > f->nhash ? pages : f->nhash) + 1;
	f->hash = xrealloc(f->hash, n * SNAP_HASH);
	memset(f->hash + (size_t)f->nhash * SNAP_HASH, 0, (n - f->nhash) * SNAP_HASH);
	f->nhash = (uint32_t)n;
	return 0;
}

int bfile_page(bfile *f, uint32_t pgno, const uint8_t *data, lc_err *e)
{
	off_t off = (off_t)(pgno - 1) * f->page_size;
	if (pgno > f->nhash) {
		f->hash = xrealloc(f->hash, (size_t)(pgno + 1024) * SNAP_HASH);
		memset(f->hash + (size_t)f->nhash * SNAP_HASH, 0, (size_t)(pgno + 1024 - f->nhash) * SNAP_HASH);
		f->nhash = pgno + 1024;
	}
	snap_page_hash(data, f->page_size, f->hash + (size_t)(pgno - 1) * SNAP_HASH);
	for (size_t done = 0; done < f->page_size;) {
		ssize_t n = pwrite(f->fd, data + done, f->page_size - done, off + (off_t)done);
		if (n <= 0)
			return fail(f, e, "write");
		done += (size_t)n;
	}
	return 0;
}

/* PRAGMA quick_check/integrity_check and page_count of the .partial. */
static int check_db(bfile *f, int full, lc_err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *uri = sqlite3_mprintf("file:%s?mode=ro&immutable=1", f->partial);
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	sqlite3_free(uri);
	const char *sql = full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)";
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	const char *res = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (!res || strcmp(res, "ok") != 0)
		rc = lc_err_set(e, LC_EVERIFY, "the backup fails %s (%s); %s was left as it was",
				full ? "integrity_check" : "quick_check", res ? res : sqlite3_errmsg(db), f->dest);
	else
		rc = 0;
	sqlite3_finalize(st);
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

int bfile_commit(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e)
{
	uint8_t got[32];
	int rc = -1;
	if (ftruncate(f->fd, (off_t)f->pages * f->page_size) < 0 || fsync(f->fd) < 0) {
		fail(f, e, "finish");
		goto out;
	}
	/* The pages written, and the earlier backup's for the rest: no re-read.
	 * A file SHA-256 (manifests) does need one. */
	snap_digest(f->hash, f->nhash, f->pages, f->page_size, got);
	uint8_t whole[32];
	if (sha && snapshot_digest_file(f->partial, f->page_size, whole, sha, NULL, NULL) < 0)
		memset(got, 0, sizeof got);
	if (memcmp(got, digest, 32) != 0) {
		lc_err_set(e, LC_EVERIFY, "the backup's pages do not match the SHA-256 digest of the snapshot; %s was left "
			   "as it was", f->dest);
		goto out;
	}
	if (check_db(f, full, e) < 0)
		goto out;
	if (rename(f->partial, f->dest) < 0) {
		fail(f, e, "rename");
		goto out;
	}
	sync_dir(f->dest);
	rc = 0;
out:
	if (rc < 0) {
		bfile_abort(f);
		return -1;
	}
	close(f->fd);
	free(f->dest), free(f->partial), free(f->hash), free(f);
	return 0;
}

void bfile_abort(bfile *f)
{
	if (!f)
		return;
	close(f->fd);
	unlink(f->partial);
	free(f->dest), free(f->partial), free(f->hash), free(f);
}

void bfile_known(const char *path, uint32_t *page_size, uint8_t **hashes, uint32_t *n)
{
	unsigned char h[100];
	uint8_t d[32];
	FILE *fp = fopen(path, "rbe");
	*page_size = 0, *hashes = NULL, *n = 0;
	if (!fp)
		return;
	size_t got = fread(h, 1, sizeof h, fp);
	fclose(fp);
	if (got < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return;
	uint32_t ps = (uint32_t)h[16] << 8 | h[17];
	*page_size = ps == 1 ? 65536 : ps;
	if (snapshot_digest_file(path, *page_size, d, NULL, hashes, n) < 0)
		*page_size = 0;
}
