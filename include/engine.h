/*
 * engine.h: the read-only SQLite engine. The only module (with guard and
 * sqlval) that calls SQLite. It opens a database file or a store directory
 * with every read-only layer of DESIGN.md, runs statements and streams their
 * rows to a sink, enforces a per-statement time limit, and can be cancelled
 * from a signal handler.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include "lc.h"

#include <stdatomic.h>

typedef struct engine engine;

typedef struct engine_opts {
	int timeout_ms;     /* per-statement time limit; 0 = none */
} engine_opts;



/* One database of an open target (main first, then ATTACHed ones). */
typedef struct engine_db {
	const char *schema;  /* "main", "queue", ... */
	const char *path;    /* absolute path of the file */
} engine_db;

/* Open path (a database file, or a directory of *.sqlite3 files) read-only.
 * On success *out owns the connection; free it with engine_free. On failure
 * returns -1 with e filled (LC_ECONNECT) and nothing created on disk. */
int engine_open(const char *path, const engine_opts *o, engine **out, lc_err *e);

/* Close and free; NULL is fine. */
void engine_free(engine *en);

/* Run every statement in sql (UTF-8, NUL-terminated) in order, one short
 * read snapshot each, streaming rows to sink. Stops at the first failure and
 * returns -1 with e filled: LC_ESQL (error or time limit), LC_EREADONLY
 * (refused: it would write), LC_ECANCEL (engine_cancel). Returns 0 on success. */
int engine_exec(engine *en, const char *sql, const lc_sink *sink, void *ctx, lc_err *e);

/* Read through a read-only memory mapping of up to bytes per database (0 =
 * pread, the default). Cheaper for many small lookups (inspection); not for
 * full scans, where every page touched would count in the RSS. */
void engine_set_mmap(engine *en, long long bytes);

/* A function the engine calls while a statement runs (every ~1000 VM
 * steps); it may call engine_cancel() to stop the statement. The agent uses
 * it to read a CANCEL frame without threads. fn NULL removes it. */
void engine_set_hook(engine *en, void (*fn)(void *ctx), void *ctx);

/* For core modules only (snapshot.c): the sqlite3 handle, and a pinned
 * read transaction on schema (BEGIN + a read, past the guard, which
 * refuses BEGIN from users) that engine_unpin ends. */
struct sqlite3;
struct sqlite3 *engine_handle(engine *en);
int engine_pin(engine *en, const char *schema, lc_err *e);
void engine_unpin(engine *en);

/* Change the per-statement time limit (ms; 0 = none). */
void engine_set_timeout(engine *en, int timeout_ms);

/* Number of databases, and the i-th (0 = main). Pointers owned by en. */
int engine_ndb(const engine *en);
const engine_db *engine_db_at(const engine *en, int i);

/* Ask the running statement (of any engine in this process) to stop.
 * Async-signal-safe: call it from a SIGINT handler. engine_exec then fails
 * with LC_ECANCEL, and keeps failing so until engine_cancel_reset(). */
void engine_cancel(void);
void engine_cancel_reset(void);
int engine_cancel_pending(void);
/* Give the calling thread a cancel flag of its own (NULL: none): the
 * thread's statements then also stop when *flag is set, by any thread,
 * and engine_cancel_reset() on it clears *flag only. The TUI's workers
 * each have one, so cancelling one's job leaves the other's running. */
void engine_cancel_scope(atomic_int *flag);

/* Is sql one or more complete statements (sqlite3_complete)? */
int engine_complete(const char *sql);

/* SQLite library version string, e.g. "3.40.1". */
const char *engine_sqlite_version(void);

#endif
