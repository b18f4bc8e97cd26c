/*
 * conn.h: the client's view of a target. One vtable, several
 * implementations: local (the engine in this process) now, agent (frames
 * over a byte stream to litecon-agent) with the SSH work. Everything above
 * this layer (render, session, shell, TUI) works the same on any target.
 */
#ifndef CONN_H
#define CONN_H

#include "inspect.h"
#include "pages.h"
#include "lc.h"

#include <stdatomic.h>

typedef struct conn conn;

struct ssh_args;
typedef struct conn_opts {
	int timeout_ms;     /* per-statement time limit; 0 = none */
	const char *agent;  /* local target: run this litecon-agent over a pipe
	                       instead of the engine in process; remote: auto |
	                       upload | PATH on the host */
	const struct ssh_args *ssh;  /* -p -l -i -F -o, or NULL */
	int sudo;           /* remote: run the helper with sudo -n */
} conn_opts;

/* The operations an implementation provides. */
typedef struct conn_ops {
	const char *kind;  /* "local", "agent" */
	int (*exec)(conn *c, const char *sql, const lc_sink *sink, void *ctx, lc_err *e);
	void (*set_timeout)(conn *c, int ms);
	int (*ndb)(conn *c);
	/* schema name and path of database i (0 = main), owned by c */
	int (*db)(conn *c, int i, const char **schema, const char **path);
	int (*inspect)(conn *c, const inspect_opts *o, inspect_report **out, lc_err *e);
	int (*backup)(conn *c, const backup_req *r, const snap_sink *sink, void *ctx, snap_result *res,
		      char sha[65], lc_err *e);
	/* backups kept on the host (NULL: none, a local target) */
	int (*keep)(conn *c, int commit, const char *path, const char *data, size_t n, lc_err *e);
	void (*free)(conn *c);
} conn_ops;

/* Every implementation's handle starts with this header. */
struct conn {
	const conn_ops *ops;
	char *label;       /* owned: short name for prompts, e.g. "store" */
	char *target;      /* owned: the target as given */
	char *peer;        /* owned: what answers (the helper's hello), or NULL */
	int local;         /* the databases are files on this machine */
	char *host;        /* owned: the SSH host the target names (also through
	                      a [target] of the config), or NULL: local */
};

/* Open the target string (see target.h). On success *out is owned by the
 * caller (conn_free). On failure -1 with e filled: LC_EUSAGE for a bad
 * target, LC_ECONNECT when it cannot be opened. */
int conn_open(const char *target, const conn_opts *o, conn **out, lc_err *e);

/* A local file litecon is about to write (a backup, .output): -1 with e
 * (LC_EUSAGE) when it is one of a local target's databases or their -wal,
 * -shm or -journal (store_check_output), else 0. */
int conn_check_output(conn *c, const char *path, lc_err *e);
/* The paths of a local target's databases (malloc'd array, NULL-terminated,
 * *n of them; the names are c's), for such checks; none for a remote one. */
const char **conn_local_dbs(conn *c, int *n);
/* A local file litecon is about to read as a script (.read): -1 with e
 * (LC_EUSAGE) when it is one of those same files. Opening and closing one
 * would drop the locks this process holds on it (POSIX; see keepfd.h). */
int conn_check_input(conn *c, const char *path, lc_err *e);

/* Run sql (one or more statements); see engine_exec for the contract. */
int conn_exec(conn *c, const char *sql, const lc_sink *sink, void *ctx, lc_err *e);
void conn_set_timeout(conn *c, int ms);
int conn_ndb(conn *c);
int conn_db(conn *c, int i, const char **schema, const char **path);
void conn_free(conn *c);
/* Take a consistent snapshot of one database of the target. The pages go
 * to sink (a pull), or, with r->host_dest, the host writes and verifies the
 * file itself and sha gets its SHA-256. */
int conn_backup(conn *c, const backup_req *r, const snap_sink *sink, void *ctx, snap_result *res, char sha[65],
		lc_err *e);
/* A store's backups kept on the host (backup_req.store): commit renames
 * them all into place and writes data to path there (its manifest.json);
 * else they are given up. -1 with e. */
int conn_keep(conn *c, int commit, const char *path, const char *data, size_t n, lc_err *e);
/* Gather the store's facts (see inspect.h) on the target's host. *out is
 * owned by the caller (inspect_free). */
int conn_inspect(conn *c, const inspect_opts *o, inspect_report **out, lc_err *e);

/* Stop the statement running on any connection of this process.
 * Async-signal-safe (a SIGINT handler calls it). */
void conn_interrupt(void);
/* Forget an interrupt once it has been reported. */
void conn_interrupt_reset(void);
int conn_interrupted(void);
/* The calling thread's own interrupt flag (engine_cancel_scope): setting
 * *flag stops only what this thread runs. NULL: none. */
void conn_interrupt_scope(atomic_int *flag);

/* Implementation constructors (conn_open picks one). */
int conn_local_open(const char *path, const conn_opts *o, conn **out, lc_err *e);
/* Speak frames over st (owned from now on, also on failure) to an agent
 * and open path there. */
struct lc_stream;
struct target;
/* A remote target over SSH (src/ssh/remote.c). */
int conn_ssh_open(const struct target *t, const conn_opts *o, conn **out, lc_err *e);
int conn_agent_open(struct lc_stream *st, const char *path, const conn_opts *o, conn **out, lc_err *e);

#endif
