/*
 * shell.h: `litecon shell TARGET`, a sqlite3-like shell on GNU readline for
 * local and remote targets alike: prompt `label:main> `, statements until
 * sqlite3_complete, dot-commands (dot.h), history kept in
 * $XDG_STATE_HOME/litecon/history, Tab completion from the target's own
 * catalog, tall results through $PAGER, Ctrl-C cancels the statement.
 * Three parts: the loop (shell.c), completion (shell_complete.c) and the
 * pager (shell_pager.c).
 */
#ifndef SHELL_H
#define SHELL_H

#include <stdio.h>
#include "cli.h"
#include "conn.h"
#include "session.h"

/* The command: run the shell on c (not owned) with the options of o.
 * When standard input is not a terminal, reads it as a script instead.
 * Returns the exit status: 0 after Ctrl-D or .quit, CODE after .exit CODE. */
int shell_main(const cli *o, conn *c);

/* ---- completion (shell_complete.c) ---- */

/* Install Tab completion for s (kept, not owned, until shell_complete_end):
 * SQL keywords, schema, table and column names (read with the target's own
 * SQL on first use, again when s->schema_stale is set), dot-commands and
 * their arguments, local paths after .once/.output/.read/.backup. */
void shell_complete_begin(session *s);
/* Forget the names and uninstall. */
void shell_complete_end(void);

/* The candidates for the word text that starts at byte start of line, as a
 * NULL-terminated malloc'd array of malloc'd strings (NULL when there are
 * none); for tests and for readline's hook. file_paths is set when the
 * word is a local path (readline completes those itself). */
char **shell_candidates(const char *line, int start, const char *text, int *file_paths);

/* ---- the pager (shell_pager.c) ---- */

typedef struct pager pager;

/* A stream for one command's output to the terminal out (not owned) of
 * rows x cols. Everything written is kept; pager_close shows it: on out
 * when it fits above the next prompt, else through cmd (run by /bin/sh,
 * reading the kept text on its standard input). NULL when no stream can
 * be made. */
pager *pager_open(FILE *out, int rows, int cols, const char *cmd);
FILE *pager_stream(pager *p);
/* Show what was written (see pager_open) and free p; waits for the pager. */
void pager_close(pager *p);

#endif
