/*
 * bcheck.h: verifying a backup file while it is being written. Two
 * threads follow the writer: one runs PRAGMA quick_check (or
 * integrity_check) on the file through a small VFS whose reads wait until
 * the bytes they ask for are final; the other hashes every page in order
 * (the digest the snapshot computed, and the file's SHA-256 when asked)
 * and then fsyncs. The writer says how much of the file is final as pages
 * land; when the last page is written, little of either check is left,
 * so verification costs the backup almost no time of its own.
 *
 * Both threads read the file itself (through one read-only mapping), never
 * the writer's buffers: what is verified is what is on disk. Page 1 is the
 * exception to "final": SQLite's backup writes it last; the check starts
 * from the early copy the snapshot sends first (pages.h) and runs again at
 * the end if the final page 1 differs from it in more than its counters;
 * the digest hashes the final one.
 */
#ifndef BCHECK_H
#define BCHECK_H

#include <stdint.h>
#include "lc.h"

typedef struct bcheck bcheck;

#define BC_FULL 1  /* integrity_check instead of quick_check */
#define BC_SHA 2   /* also the SHA-256 of the whole file */

/* Start following the file at path, open for writing as fd (borrowed: it
 * must stay open until bcheck_finish or bcheck_abort), which will hold
 * pages pages of page_size bytes. NULL if the threads cannot start (the
 * caller checks afterwards, as before). Owned by the caller. */
bcheck *bcheck_start(const char *path, int fd, uint32_t page_size, uint32_t pages, int flags);

/* The first bytes of the file are final (whole pages: the writer has
 * written them and will not write them again). Never goes back. */
void bcheck_settle(bcheck *c, uint64_t bytes);

/* Everything is written: wait for both checks. 0 when the file's pages
 * match want (the snapshot's digest), the check says ok, the page count is
 * right and the fsync worked; -2 when the pages do not match; -1 otherwise,
 * with e (LC_EVERIFY; dest names the file the operator knows). *hashes gets
 * the file's short page hashes (malloc'd, pages of them), sha the file's
 * SHA-256 (hex) with BC_SHA. Frees c. */
int bcheck_finish(bcheck *c, const uint8_t want[32], const char *dest, uint8_t **hashes, char sha[65], lc_err *e);

/* Give up: the threads stop at once. Frees c; NULL is fine. */
void bcheck_abort(bcheck *c);

#endif
