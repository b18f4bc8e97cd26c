/*
 * tui.h: `litecon TARGET` on a terminal: the live dashboard (orders, queue,
 * WAL, sequences, openers, alerts), the table browser, the query editor and
 * the backup action, on local and remote targets alike. Built on ncursesw;
 * one event loop owns the terminal, the clock and the connection worker's
 * wake-up pipe (tui_work.h), so keys are answered while a query or a
 * refresh is in flight.
 */
#ifndef TUI_H
#define TUI_H

#include "backup.h"
#include "cli.h"
#include "conn.h"

/* Run the TUI on c (owned from now on: the TUI frees it) with the options
 * of o; co is how c was opened (kept to reconnect). Returns the exit
 * status (0 after q / :q). */
int tui_main(const cli *o, conn *c, const conn_opts *co, const backup_opts *bo);

#endif
