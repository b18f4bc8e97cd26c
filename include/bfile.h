/*
 * bfile.h: writing a backup file safely: pages go to DEST.partial (a copy
 * of DEST first, for an incremental backup), then it is truncated, synced,
 * checked (the digest of its pages, PRAGMA quick_check or integrity_check,
 * the page count) and renamed over DEST, and the directory is synced. On
 * any failure DEST stays as it was and no .partial remains. Used by the
 * client for local backups and pulls, and by the agent for backups kept
 * on the host.
 *
 * After a commit, the page hashes of DEST are kept beside it in a hidden
 * sidecar, DIR/.NAME.litecon-hashes, with DEST's device, inode, size,
 * mtime and ctime: the next backup to DEST reads them instead of hashing
 * DEST again, as long as DEST was not touched since (else it hashes DEST).
 * The sidecar is a cache: deleting it costs one read of DEST.
 */
#ifndef BFILE_H
#define BFILE_H

#include <stdint.h>
#include "lc.h"

typedef struct bfile bfile;

/* Start writing dest. With known hashes (bfile_known of dest): begin from
 * a copy of the current dest, whose pages they describe (a reflink where
 * the filesystem can; else copied by a thread while the pages are on
 * their way). -1 with e (LC_EVERIFY: cannot write there). */
int bfile_open(const char *dest, const uint8_t *known, uint32_t nknown, uint32_t known_ps, bfile **out, lc_err *e);
int bfile_begin(bfile *f, uint32_t page_size, uint32_t pages, lc_err *e);
/* data: page_size bytes, copied. Consecutive pages are written in runs,
 * so a write error may show at a later page or at bfile_commit. */
int bfile_page(bfile *f, uint32_t pgno, const uint8_t *data, lc_err *e);
/* Finish and verify against digest (snapshot_run's). full: integrity_check.
 * sha, when not NULL, gets the file's SHA-256 (hex; costs a read of the
 * file). The fsync runs beside the check; the rename waits for both.
 * Frees f. -1 with e (LC_EVERIFY). */
int bfile_commit(bfile *f, const uint8_t digest[32], int full, char sha[65], lc_err *e);
/* Give up: remove the .partial, free f. NULL is fine. */
void bfile_abort(bfile *f);

/* Page size and known page hashes of an existing backup at path, for an
 * incremental backup (SNAP_HASH bytes each, malloc'd); 0 pages if none.
 * From the sidecar when it still describes path, else by reading path. */
void bfile_known(const char *path, uint32_t *page_size, uint8_t **hashes, uint32_t *n);

#endif
