/*
 * stats.h: `litecon stats` and `litecon check`. stats prints an inspection
 * report as aligned text with human units, as JSON (docs/stats-json.md) or
 * in the Prometheus text format; check turns a report (plus quick_check)
 * into findings with a severity and a suggestion each, exit 1 when any.
 */
#ifndef STATS_H
#define STATS_H

#include <stdio.h>
#include "cli.h"
#include "conn.h"
#include "inspect.h"
#include "util.h"

/* Write r as text / JSON / Prometheus exposition to out. target names the
 * target in JSON and labels. */
void stats_text(FILE *out, const inspect_report *r);
void stats_json(FILE *out, const inspect_report *r, const char *target);
void stats_prometheus(FILE *out, const inspect_report *r, const char *target);

/* Format one report cell for people: human units by the column's suffix
 * (*_bytes, *_s), "500000+" for capped counts, "-" for NULL. Appends to b
 * (escaped for a terminal); returns its display width. */
int stats_cell(buf *b, const char *col, const lc_value *v);

/* The commands; return the exit status. */
int stats_main(const cli *o, conn *c);
int check_main(const cli *o, conn *c);
/* check_main's work with the findings written to out (the shell's .check). */
int check_run(FILE *out, const cli *o, conn *c);
/* The report-only rules (no quick_check), for the TUI's alert line: cb
 * gets each finding (error: 1 for an error, 0 for a warning). */
typedef void (*check_cb)(void *ctx, int error, const char *check, const char *message);
void check_rules(const cli *o, const inspect_report *r, check_cb cb, void *ctx);

#endif
