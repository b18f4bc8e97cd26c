/*
 * bfile.h: writing a backup file safely: pages go to DEST.partial (a copy
 * of DEST first, for an incremental backup), then it is truncated, synced,
 * checked (the digest of its pages as read back from it, PRAGMA quick_check
 * or integrity_check, the page count) and renamed over DEST, and the
 * directory is synced. On
 * any failure DEST stays as it was and no .partial remains. Used by the
 * client for local backups and pulls, and by the agent for backups kept
 * on the host.
 *
 * After a commit, the page hashes of DEST are kept beside it in a hidden
 * sidecar, DIR/.NAME.litecon-hashes, with DEST's device, inode, size,
 * mtime and ctime: the next backup to DEST reads them instead of hashing
 * DEST again, as long as DEST was not touched since (else it hashes DEST).
 * The sidecar is a cache: deleting it costs one read of DEST, and a wrong
 * one cannot make a wrong backup (the file's own pages are checked).
 */
#ifndef BFILE_H
#define BFILE_H

#include <stdint.h>
#include "lc.h"

typedef struct bfile bfile;

/* Start writing dest. incremental: begin from a copy of the current dest
 * (a reflink where the filesystem can; else copied by a thread while the
 * pages are on their way, which wait in memory, up to 32 MB, so the
 * snapshot never waits for the disk). DEST.partial is held under flock
 * until the commit or abort: a second backup to the same dest meanwhile is
 * refused, and one left by a backup that died is reused. -1 with e
 * (LC_EVERIFY: cannot write there, or another backup is writing it). */
int bfile_open(const char *dest, int incremental, bfile **out, lc_err *e);
/* -1 with e (LC_EUSAGE) when a file a backup to dest writes (dest, its
 * .partial, its sidecar and the sidecar's .partial) is one of dbs[0..n)
 * or their -wal, -shm or -journal (store_check_output). */
int bfile_check(const char *dest, const char *const *dbs, int n, lc_err *e);
int bfile_begin(bfile *f, uint32_t page_size, uint32_t pages, lc_err *e);
/* tick(ctx) is called many times a second while quick_check or
 * integrity_check runs (a helper keeps its client informed, a client
 * notices Ctrl-C); a nonzero return stops the check, and the commit fails
 * with LC_ECANCEL. */
void bfile_set_tick(bfile *f, int (*tick)(void *ctx), void *ctx);
/* data: page_size bytes, copied. Consecutive pages are written in runs,
 * so a write error may show at a later page or at bfile_commit. */
int bfile_page(bfile *f, uint32_t pgno, const uint8_t *data, lc_err *e);
/* Finish and verify: the file's own pages against digest (snapshot_run's),
 * quick_check (full: integrity_check) and the page count, fsync; then
 * rename, sync the directory, keep the page hashes in the sidecar. sha,
 * when not NULL, gets the file's SHA-256 (hex). Frees f. -1 with e
 * (LC_EVERIFY); -2 with e when the pages do not match the digest (the
 * sidecar is dropped: an incremental backup may retry from a fresh read). */
int bfile_commit(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e);
/* bfile_commit in two halves, for a set of files renamed together (a
 * store): bfile_verify does all but the rename (on failure f is freed, the
 * .partial removed); bfile_finish renames, syncs and frees f, and
 * bfile_abort gives a verified one up. */
int bfile_verify(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e);
int bfile_finish(bfile *f, lc_err *e);
/* A small file written the same way (path.partial, fsync, rename, the
 * directory synced), e.g. manifest.json; data NULL removes path. -1 with e
 * (LC_EVERIFY). */
int bfile_put(const char *path, const char *data, size_t n, lc_err *e);
/* Give up: remove the .partial, free f. NULL is fine. */
void bfile_abort(bfile *f);

/* Page size and page hashes of an existing backup at path, for an
 * incremental backup (SNAP_HASH bytes each, malloc'd); 0 pages if none.
 * Returns 1 when they come from the sidecar (not read from path now).
 * tick (NULL: none) is called every 50 ms while path is read and hashed. */
int bfile_known(const char *path, uint32_t *page_size, uint8_t **hashes, uint32_t *n, int (*tick)(void *ctx),
		void *ctx);

#endif
