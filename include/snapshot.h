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

#define SNAP_HASH 16  /* bytes of SHA-256 kept per page for comparisons */

typedef struct snap_sink {
	/* The copy starts: page size and the page count of the snapshot. */
	int (*begin)(void *ctx, uint32_t page_size, uint32_t pages);
	/* A page that differs from the known one (or all pages when none are
	 * known). pgno counts from 1. data is page_size bytes. */
	int (*page)(void *ctx, uint32_t pgno, const uint8_t *data);
	/* Progress: pages copied so far of the total. May be NULL. */
	void (*progress)(void *ctx, uint32_t done, uint32_t total);
} snap_sink;

typedef struct snap_result {
	uint32_t page_size, pages;    /* of the snapshot */
	uint32_t sent;                /* pages passed to the sink */
	uint8_t digest[32];           /* SHA-256 over the pages' SHA-256s, pages 1..pages */
	double taken_at;              /* unix time the snapshot was pinned */
	long long pinned_ms;          /* how long the read snapshot was held */
} snap_result;

/* Copy database schema of en. known: nknown hashes (SNAP_HASH bytes each,
 * page 1 first) of an earlier copy with the same page size, or NULL.
 * max_rate: bytes/s of pages passed on, 0 = unlimited. Returns 0, or -1
 * with e (a sink that returns nonzero stops the copy: LC_ESQL unless it
 * filled e). */
int snapshot_run(engine *en, const char *schema, const uint8_t *known, uint32_t nknown,
		 double max_rate, const snap_sink *sink, void *ctx, snap_result *res, lc_err *e);

/* The digest of a file as snapshot_run computes it (SHA-256 over the
 * SHA-256 of each page_size page) and, if file_sha is not NULL, the plain
 * SHA-256 of the whole file (hex). The short per-page hashes go to *hashes
 * (malloc'd, *n of them) when hashes is not NULL. -1 if unreadable. */
int snapshot_digest_file(const char *path, uint32_t page_size, uint8_t digest[32], char file_sha[65],
			 uint8_t **hashes, uint32_t *n);

#endif
