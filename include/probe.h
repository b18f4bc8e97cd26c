/*
 * probe.h: gather an inspection report on the host, from an open engine and
 * the filesystem (the -shm header, /proc). Core code: the local conn calls
 * it in process; litecon-agent calls it for an INSPECT request.
 */
#ifndef PROBE_H
#define PROBE_H

#include "engine.h"

/* Sequences count rows (COUNT reads every page) only for tables whose id
 * range is below this; bigger ones report rows as NULL. */
#define PROBE_COUNT_MAX 20000
#include "inspect.h"

/* Gather every section for en into a new report (*out, caller frees with
 * inspect_free). Missing tables make sections absent, never errors; -1 with
 * e only when the database itself cannot be read. */
int probe_run(engine *en, const inspect_opts *o, inspect_report **out, lc_err *e);

/* Parts of probe_run, one per section family (probe.c, probe_queue.c,
 * openers.c). Each adds its sections to r. */
int probe_files(engine *en, inspect_report *r, lc_err *e);
int probe_sequences(engine *en, inspect_report *r, lc_err *e);
int probe_orders(engine *en, const inspect_opts *o, inspect_report *r, lc_err *e);
int probe_queue(engine *en, const inspect_opts *o, inspect_report *r, lc_err *e);
void probe_openers(engine *en, inspect_report *r);

/* Read the -shm header of a WAL database at db_path without locks and
 * without writing: mxFrame (live frames) and nBackfill. Retries while the
 * header's two copies differ. Returns 0, or -1 if there is no usable -shm. */
int probe_shm(const char *db_path, unsigned *mx_frame, unsigned *backfilled);

/* Run sql on en and return the first column of the first row as an int64
 * (0 when no row or NULL). -1 with e on error. */
int probe_int(engine *en, const char *sql, long long *out, lc_err *e);

/* An lc_sink row callback that appends the row to the isect in ctx. */
int probe_add_row(void *ctx, int ncol, const lc_value *v);

/* Schema name of the first database holding table, or NULL. */
const char *probe_schema_of(engine *en, const char *table);

#endif
