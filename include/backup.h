/*
 * backup.h: consistent online backups (`litecon backup`, the shell's
 * .backup, the TUI's backup action all call backup_run). Never `cp`: a
 * pinned read snapshot and SQLite's backup API, streamed as pages,
 * written to DEST.partial, verified, renamed into place.
 */
#ifndef BACKUP_H
#define BACKUP_H

#include "conn.h"

typedef struct backup_opts {
	int quiet;          /* no progress bar (the summary line stays) */
	int verify_full;    /* integrity_check instead of quick_check */
	double max_rate;    /* MB/s, 0 = unlimited */
	int compress;       /* Z_AUTO, Z_ALWAYS or Z_NEVER (pages.h) */
	/* A caller that draws its own (the TUI): progress of each database and
	 * the summary and notes as lines; with say set nothing goes to stderr. */
	void (*progress)(void *ctx, const char *schema, unsigned done, unsigned total);
	void (*say)(void *ctx, const char *line);
	void *ctx;
} backup_opts;

/* The options of --verify (quick, full), --compress (auto, always, never;
 * NULL = the defaults) and --max-rate into *bo (its other fields kept).
 * -1 with e (LC_EUSAGE) for a value it does not know. */
int backup_opts_from(const char *verify, const char *compress, double max_rate, backup_opts *bo, lc_err *e);

/* The words after .backup or :backup: [--verify M] [--compress W]
 * [--max-rate MB] [--quiet] DEST, in any order, also as --flag=value. They
 * change *bo (which holds the defaults: the command line's); *dest points
 * into argv, or is NULL when no DEST was given. -1 with e (LC_EUSAGE) for
 * an unknown flag, a bad value or two DESTs. */
int backup_args(int argc, char **argv, backup_opts *bo, const char **dest, lc_err *e);

/* Back up the target behind c to dest: a local path (a file for one
 * database; for a store, a directory with one file per database and
 * manifest.json), or host:/path for a backup kept on the target's host.
 * Progress goes to stderr on a terminal; one summary line always.
 * Returns 0, or -1 with e: LC_EVERIFY (verification failed), LC_ECONNECT
 * (connection lost), LC_EUSAGE (bad DEST). DEST is never left half-written. */
int backup_run(conn *c, const char *dest, const backup_opts *o, lc_err *e);

#endif
