/*
 * inspect.h: the store facts operators open the console for, gathered in
 * one call: files (sizes, -shm header: live and backfilled WAL frames),
 * orders, Solid Queue (queues, processes), sequences (ids handed out whose
 * rows are gone from the top), and openers (processes holding the files).
 *
 * A report is a list of sections; each section is a small result table
 * (named columns, rows of lc_value), so the same report renders as text,
 * JSON and Prometheus, crosses the wire as ordinary rows, and feeds the
 * TUI's panes. Column names carry their unit: *_bytes, *_s (seconds),
 * *_at (UTC text). Counts of big tables stop at cap+1 (INSPECT_CAP + 1
 * means "more than INSPECT_CAP").
 */
#ifndef INSPECT_H
#define INSPECT_H

#include <stddef.h>
#include "lc.h"

#define INSPECT_CAP 500000

typedef struct isect {
	char *name;          /* owned: "files", "orders", ... */
	int ncol;
	char **cols;         /* owned column names */
	size_t nrows;
	lc_value *cells;     /* owned: nrows * ncol; TEXT/BLOB bytes owned too */
	char *absent;        /* owned: why the section has no data (no such table), or NULL */
	char *note;          /* owned: a caveat for the operator, or NULL */
} isect;

typedef struct inspect_report {
	double taken_at;     /* unix time, seconds */
	int nsect;
	isect **sect;        /* owned; pointers stay valid as sections are added */
} inspect_report;

typedef struct inspect_opts {
	const char *orders_table;  /* default "orders" */
	int latest;                /* latest orders to list, default 10 */
	int stale_s;               /* heartbeat age that makes a process stale, default 300 */
	int openers;               /* scan /proc for processes holding the files */
} inspect_opts;

/* The section names, in report order (for docs and the TUI). */
extern const char *const inspect_sections[];

/* A new empty report; free with inspect_free. */
inspect_report *inspect_new(void);
void inspect_free(inspect_report *r);
/* Add a section with ncol columns named cols (copied); returns it. */
isect *inspect_add(inspect_report *r, const char *name, int ncol, const char *const *cols);
/* Append one row (values deep-copied). */
void isect_row(isect *s, const lc_value *vals);
/* Mark a section absent / annotated (printf-style; replaces any earlier text). */
void isect_absent(isect *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void isect_note(isect *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Section called name, or NULL; column index of col in s, or -1. */
const isect *inspect_find(const inspect_report *r, const char *name);
int isect_col(const isect *s, const char *col);
/* Cell (row, column name); NULL when there is no such column or row. */
const lc_value *isect_get(const isect *s, size_t row, const char *col);

#endif
