/*
 * session.h: what one-liners, scripts and the shell share: a connection, a
 * render, and the settings dot-commands change. Runs SQL and dot-commands,
 * reports errors on stderr as one sentence each, and keeps the exit status
 * (that of the first failure). Output goes to the render's stream, which
 * .output / .once redirect and the shell points at its pager.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdio.h>
#include "conn.h"
#include "render.h"

struct cli;

typedef struct session {
	conn *c;            /* not owned */
	render *r;          /* not owned */
	FILE *err;          /* where errors go (stderr) */
	int bail;           /* stop at the first error */
	int timer;          /* print run time after each statement */
	int timeout_ms;     /* per-statement limit, as .timeout shows it */
	int status;         /* exit status so far: first failure's code */
	int stop;           /* nonzero: stop reading input (bail, .quit, cancel) */
	const char *src;    /* input name for messages ("-" stdin), or NULL */
	int line;           /* input line of the current statement, 0 = none */
	/* Zero is the right start for every field below. */
	const struct cli *opts;  /* command line (orders table, --keep, --full) for
	                            .stats and .check; NULL = defaults */
	FILE *base;         /* not owned: output when no .output/.once is active;
	                       NULL = the render's stream when first needed */
	int base_tty;       /* base shows on a terminal (escape machine modes) */
	FILE *out;          /* owned: .output / .once destination, or NULL */
	int out_pipe;       /* out came from popen ("|command") */
	int once;           /* commands left before out is closed (.once) */
	int eqp;            /* print the query plan before each statement */
	long long limit;    /* show at most this many rows per statement; 0 = all */
	int pager;          /* shell: results taller than the screen go to $PAGER */
	int quit;           /* .quit or .exit was given */
	int schema_stale;   /* the schema may have changed (.tables, "no such
	                       table"): the shell reloads its completion names */
	int depth;          /* .read nesting */
} session;

/* Run one or more SQL statements. Returns 0, or -1 after reporting. */
int session_sql(session *s, const char *sql);
/* Run a dot-command line (starts with '.'). Returns 0, or -1 after reporting. */
int session_dot(session *s, const char *line);
/* Run a whole script: SQL statements (ended by ';', as sqlite3_complete
 * decides) and dot-commands on lines of their own. Returns 0 when every
 * statement succeeded. s->src and s->line are restored afterwards, so
 * scripts nest (.read). */
int session_script(session *s, FILE *in, const char *name);
/* Report an error (code, message) on s->err and record it in s->status. */
void session_fail(session *s, const lc_err *e);
/* Is sql only blanks and complete comments (nothing to run)? */
int session_blank(const char *sql);

/* Send output to path (or to a command, "|cmd") from now on; once: only
 * for the next command. NULL: back to the base output. Returns 0, or -1
 * after reporting. */
int session_output(session *s, const char *path, int once);
/* Point the render at the current destination (out, else base); the shell
 * calls it after changing s->base. */
void session_reroute(session *s);
/* A command finished: count down .once and close its file when due. */
void session_done(session *s);
/* Close an .output file (at the end of the session). */
void session_close(session *s);

#endif
