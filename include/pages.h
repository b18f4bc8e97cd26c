/*
 * pages.h: the shapes a backup travels in, shared by the snapshot (core),
 * the conn layer (local or over the wire) and the backup command: a sink of
 * pages and the snapshot's result. No SQLite, no engine here.
 */
#ifndef PAGES_H
#define PAGES_H

#include <stdint.h>
#include "lc.h"

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
	uint8_t digest[32];           /* SHA-256 over the pages' short SHA-256s, pages 1..pages */
	double taken_at;              /* unix time the snapshot was pinned */
	long long pinned_ms;          /* how long the read snapshot was held */
	uint64_t wire;                /* bytes of pages that crossed the network (compressed), 0: none did */
} snap_result;

enum { Z_AUTO, Z_ALWAYS, Z_NEVER };  /* backup_req.compress: pages on the wire as zstd */

/* What to back up, for conn_backup. */
typedef struct backup_req {
	const char *schema;          /* which database of the target */
	const uint8_t *known;        /* page hashes of an earlier backup, or NULL */
	uint32_t nknown;
	uint32_t known_page_size;    /* their page size (ignored unless equal) */
	double max_rate;             /* bytes/s, 0 = unlimited */
	const char *host_dest;       /* a backup kept on the host: its path there, or NULL */
	int compress;                /* Z_AUTO (over a network), Z_ALWAYS, Z_NEVER */
	int full;                    /* host_dest: integrity_check instead of quick_check */
	int store;                   /* host_dest is one of a store's: make its directory,
	                                keep it verified but not renamed until conn_keep */
} backup_req;

#endif
