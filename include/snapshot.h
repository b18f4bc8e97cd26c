/*
 * snapshot.h: a consistent copy of one database of an open engine, as a
 * stream of pages. The source's read transaction is pinned for the whole
 * copy (so SQLite's backup API never restarts under concurrent writers,
 * and the copy is the database as of one instant); the destination is a
 * small VFS whose writes become calls to a sink, so nothing is staged on
 * disk. Pages whose hash matches the caller's list of known hashes (an
 * earlier backup) are not passed on: that is the incremental backup.
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include "engine.h"
#include "pages.h"

/* Copy database schema of en. known: nknown hashes (SNAP_HASH bytes each,
 * page 1 first) of an earlier copy, or NULL; ignored unless its
 * known_page_size is the database's.
 * max_rate: bytes/s of pages passed on, 0 = unlimited. Returns 0, or -1
 * with e (a sink that returns nonzero stops the copy: LC_ESQL unless it
 * filled e). */
int snapshot_run(engine *en, const char *schema, const uint8_t *known, uint32_t nknown, uint32_t known_page_size,
		 double max_rate, const snap_sink *sink, void *ctx, snap_result *res, lc_err *e);

/* The short hash of one page, and the digest of a list of them (pages
 * past n, or all-zero entries, count as zero pages). */
void snap_page_hash(const uint8_t *page, uint32_t page_size, uint8_t out[SNAP_HASH]);
void snap_digest(const uint8_t *hashes, uint32_t n, uint32_t pages, uint32_t page_size, uint8_t out[32]);

/* The digest of a file as snapshot_run computes it (SHA-256 over the
 * SHA-256 of each page_size page) and, if file_sha is not NULL, the plain
 * SHA-256 of the whole file (hex). The short per-page hashes go to *hashes
 * (malloc'd, *n of them) when hashes is not NULL. -1 if unreadable. */
int snapshot_digest_file(const char *path, uint32_t page_size, uint8_t digest[32], char file_sha[65],
			 uint8_t **hashes, uint32_t *n);

#endif
