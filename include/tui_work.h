/*
 * tui_work.h: the TUI's connection workers. One thread owns a conn and
 * runs jobs (a refresh: ping + inspection; a query into a result table;
 * a backup) one at a time, in the order given; the TUI runs two, so a
 * backup (on a connection of its own, twork_start_lazy) does not hold up
 * the refreshes. Each has its own interrupt flag: cancelling one's job
 * leaves the other's running; the event loop hands jobs
 * over and takes finished ones back, woken by a pipe it polls with the
 * terminal, so a key is answered while the network is slow. A job that
 * loses the connection marks it down; the worker then reopens it with
 * backoff (1, 2, 4 ... 30 s) while the screen stays up.
 */
#ifndef TUI_WORK_H
#define TUI_WORK_H

#include <stddef.h>
#include "backup.h"
#include "conn.h"
#include "inspect.h"

/* A result table: column names and rows of values, all owned. */
typedef struct tres {
	int ncol;
	char **names;        /* owned, ncol */
	size_t nrows, cap;
	lc_value *cells;     /* owned: nrows * ncol; TEXT/BLOB bytes owned */
	int more;            /* rows were left out past the job's max_rows */
	int statements;      /* statements that returned columns */
} tres;

void tres_free(tres *r);
const lc_value *tres_cell(const tres *r, size_t row, int col);
/* Keep only rows [from, to) (filtering / windows). */
void tres_keep(tres *r, const size_t *rows, size_t n);
/* Reverse the order of the rows (a page read backwards). */
void tres_reverse(tres *r);

enum job_kind { JOB_REFRESH, JOB_QUERY, JOB_BACKUP };

typedef struct tjob {
	int kind;
	int id;                 /* set by twork_submit */
	int tag;                /* the caller's: which view/purpose */
	char *sql;              /* owned: JOB_QUERY */
	size_t max_rows;        /* JOB_QUERY: keep at most this many (0 = 10000) */
	inspect_opts io;        /* JOB_REFRESH */
	char *dest;             /* owned: JOB_BACKUP destination */
	backup_opts bo;         /* JOB_BACKUP: verification, rate, compression */
	/* filled by the worker */
	int rc;                 /* 0 or -1 (err) */
	lc_err err;
	inspect_report *rep;    /* owned: JOB_REFRESH */
	tres *res;              /* owned: JOB_QUERY */
	long long ms;           /* how long the job ran */
	long long rtt_ms;       /* JOB_REFRESH: a one-row round trip */
	struct tjob *next;
} tjob;

void tjob_free(tjob *j);

enum tconn_state { TC_UP, TC_DOWN, TC_RECONNECTING, TC_CLOSED };

typedef struct tstate {
	int state;              /* enum tconn_state */
	int busy;               /* a job is running */
	int busy_kind;
	long long busy_since;   /* now_ms() when it started */
	int attempts;           /* reconnect attempts so far */
	long long next_try;     /* now_ms() of the next attempt */
	char why[256];          /* the last connection error */
	/* backup progress (JOB_BACKUP) */
	long long b_done, b_total;
	long long b_t0;         /* now_ms() when the database being copied started */
	char b_schema[64];      /* the database being copied */
	char b_line[400];       /* backup's last summary line */
	int b_count;            /* databases backed up and verified so far */
} tstate;

typedef struct twork twork;

/* Start the worker on c (owned from now on; the worker frees it). o and
 * target are copied; they are used to reconnect. */
twork *twork_start(conn *c, const char *target, const conn_opts *o);
/* A worker with no connection until a job comes: it opens one for each job
 * and closes it after (a failed open fails the job; no reconnect loop).
 * The TUI runs backups on one, so the dashboard's worker keeps
 * refreshing meanwhile. twork_peer is "" and twork_ndb 0. */
twork *twork_start_lazy(const char *target, const conn_opts *o);
/* Stop: cancel what runs, join the thread, free everything queued. */
void twork_stop(twork *w);
/* The descriptor to poll for readability: a finished job or a change. */
int twork_fd(const twork *w);
/* Queue j (owned from now on); returns its id, unique across workers. */
int twork_submit(twork *w, tjob *j);
/* A finished job (owned by the caller), or NULL; drains the wake pipe. */
tjob *twork_take(twork *w);
/* Cancel job id if it runs (the worker's interrupt flag), or drop it if it waits (it
 * comes back failed with "cancelled"). */
void twork_cancel(twork *w, int id);
void twork_state(twork *w, tstate *out);
/* What the connection is: "local" or the helper's hello, and the
 * target's database names (copied at start; index 0 = main). */
const char *twork_peer(const twork *w);
int twork_ndb(const twork *w);
const char *twork_schema(const twork *w, int i);
const char *twork_path(const twork *w, int i);
/* A local file about to be written (:export): -1 with e when it would
 * overwrite one of a local target's databases (store_check_output). */
int twork_check_output(const twork *w, const char *path, lc_err *e);

#endif
