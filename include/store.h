/*
 * store.h: what a local target is made of. A path names one database file,
 * or a store directory whose *.sqlite3 files become one main database plus
 * ATTACHed ones named by their short names (production_queue.sqlite3 ->
 * "queue"). Checks each file before SQLite sees it, so a missing path, a
 * directory without databases, an unreadable file or a file that is not a
 * database each get their own sentence, and nothing is ever created.
 */
#ifndef STORE_H
#define STORE_H

#include "lc.h"

typedef struct store_file {
	char *path;     /* absolute path, owned */
	char *schema;   /* "main", "queue", ..., owned */
} store_file;

/* Resolve path into files (main first). On success *files is an owned array
 * of *n entries; free it with store_files_free. On failure returns -1 and
 * fills e (LC_ECONNECT). */
int store_scan(const char *path, store_file **files, int *n, lc_err *e);
void store_files_free(store_file *files, int n);

/* The short schema name for a file name given the store's common stem
 * (e.g. ("production_queue.sqlite3", "production") -> "queue"). Returns a
 * malloc'd string; "main" when the name is the stem itself. Bytes other
 * than printable ASCII become '_' (a name is shown as it is). */
char *store_short_name(const char *file, const char *stem);

/* Which of dbs[0..n) or their -wal, -shm or -journal path is (the same
 * inode when both exist, or the same name in the same directory): a
 * malloc'd name, *whole = 1 for a database itself; NULL for none. */
char *store_target_part(const char *path, const char *const *dbs, int n, int *whole);

/* -1 with e (LC_EUSAGE) when writing path would overwrite one of
 * dbs[0..n) or its -wal, -shm or -journal (the same inode when both exist,
 * or the same name in the same directory), else 0. Every file litecon
 * writes beside a local target (a backup, .output, :export) is checked. */
int store_check_output(const char *path, const char *const *dbs, int n, lc_err *e);

#endif
