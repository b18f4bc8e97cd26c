/*
 * session.h: what one-liners, scripts and (later) the shell share: a
 * connection, a render, and the settings dot-commands change. Runs SQL and
 * dot-commands, reports errors on stderr as one sentence each, and keeps
 * the exit status (that of the first failure).
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdio.h>
#include "conn.h"
#include "render.h"

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
} session;

/* Run one or more SQL statements. Returns 0, or -1 after reporting. */
int session_sql(session *s, const char *sql);
/* Run a dot-command line (starts with '.'). Returns 0, or -1 after reporting. */
int session_dot(session *s, const char *line);
/* Run a whole script: SQL statements (ended by ';', as sqlite3_complete
 * decides) and dot-commands on lines of their own. Returns 0 when every
 * statement succeeded. */
int session_script(session *s, FILE *in, const char *name);
/* Report an error (code, message) on s->err and record it in s->status. */
void session_fail(session *s, const lc_err *e);

#endif
