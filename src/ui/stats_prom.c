/*
 * stats_prom.c: the inspection report in the Prometheus text exposition
 * format (version 0.0.4), for node_exporter's textfile collector. One table
 * maps report columns to metric names; labels come from other columns.
 */
#include "stats.h"

#include <inttypes.h>
#include <string.h>

static const struct metric {
	const char *section, *col, *name, *help;
	const char *labels[3];  /* columns that become labels ("schema" -> db) */
} metrics[] = {
	{ "files", "size_bytes", "litecon_db_size_bytes", "Size of the database file.", { "schema" } },
	{ "files", "page_count", "litecon_db_pages", "Pages in the database.", { "schema" } },
	{ "files", "freelist_count", "litecon_db_freelist_pages", "Unused pages on the freelist.", { "schema" } },
	{ "files", "wal_bytes", "litecon_wal_size_bytes", "Size of the -wal file (a high-water mark).", { "schema" } },
	{ "files", "wal_frames", "litecon_wal_frames", "Live WAL frames (mxFrame in the -shm header).", { "schema" } },
	{ "files", "wal_backfilled", "litecon_wal_backfilled_frames", "WAL frames already copied into the database (nBackfill).", { "schema" } },
	{ "orders", "latest_id", "litecon_orders_latest_id", "Highest order id.", { "table" } },
	{ "orders", "last_minute", "litecon_orders_last_minute", "Orders created in the last minute.", { "table" } },
	{ "orders", "last_hour", "litecon_orders_last_hour", "Orders created in the last hour.", { "table" } },
	{ "orders", "last_day", "litecon_orders_last_day", "Orders created in the last day.", { "table" } },
	{ "orders", "per_minute", "litecon_orders_per_minute", "Orders per minute over the last 10 minutes.", { "table" } },
	{ "queues", "ready", "litecon_queue_ready", "Ready jobs: the queue's depth (500001 means more than 500000).", { "queue" } },
	{ "queues", "latency_s", "litecon_queue_latency_seconds", "Age of the oldest ready job.", { "queue" } },
	{ "queues", "scheduled_due", "litecon_queue_scheduled_due", "Scheduled jobs already due.", { "queue" } },
	{ "queues", "scheduled_future", "litecon_queue_scheduled_future", "Scheduled jobs not yet due.", { "queue" } },
	{ "queues", "claimed", "litecon_queue_claimed", "Jobs claimed by a worker.", { "queue" } },
	{ "queues", "blocked", "litecon_queue_blocked", "Jobs blocked by a concurrency limit.", { "queue" } },
	{ "queues", "failed", "litecon_queue_failed", "Failed jobs.", { "queue" } },
	{ "queues", "paused", "litecon_queue_paused", "1 when the queue is paused.", { "queue" } },
	{ "processes", "heartbeat_age_s", "litecon_queue_process_heartbeat_age_seconds", "Seconds since the process's last heartbeat.", { "kind", "name", "hostname" } },
	{ "processes", "stale", "litecon_queue_process_stale", "1 when the heartbeat is older than the stale threshold.", { "kind", "name", "hostname" } },
	{ "sequences", "seq", "litecon_sequence_seq", "Last id handed out (sqlite_sequence).", { "schema", "table" } },
	{ "sequences", "max_id", "litecon_sequence_max_id", "Highest id present.", { "schema", "table" } },
	{ "sequences", "rows", "litecon_sequence_rows", "Rows present.", { "schema", "table" } },
	{ "sequences", "missing_top", "litecon_sequence_missing_top", "Ids handed out whose rows are gone from the top (seq - max id).", { "schema", "table" } },
};

static void label_value(FILE *out, const lc_value *v)
{
	fputc('"', out);
	if (v && v->type == LC_INT)
		fprintf(out, "%" PRId64, v->i);
	else if (v && v->type == LC_TEXT)
		for (size_t i = 0; i < v->n; i++) {
			char c = v->p[i];
			if (c == '\\' || c == '"')
				fputc('\\', out);
			if (c == '\n')
				fputs("\\n", out);
			else
				fputc(c, out);
		}
	fputc('"', out);
}

static void sample(FILE *out, const struct metric *m, const isect *s, size_t row)
{
	const lc_value *v = isect_get(s, row, m->col);
	if (!v || (v->type != LC_INT && v->type != LC_REAL))
		return;
	fputs(m->name, out);
	for (int l = 0; l < 3 && m->labels[l]; l++) {
		fprintf(out, "%s%s=", l ? "," : "{", strcmp(m->labels[l], "schema") ? m->labels[l] : "db");
		label_value(out, isect_get(s, row, m->labels[l]));
	}
	fputs(m->labels[0] ? "} " : " ", out);
	if (v->type == LC_INT)
		fprintf(out, "%" PRId64 "\n", v->i);
	else
		fprintf(out, "%.17g\n", v->r);
}

/* Processes and distinct containers holding each database. */
static void openers(FILE *out, const inspect_report *r)
{
	const isect *o = inspect_find(r, "openers"), *f = inspect_find(r, "files");
	if (!o || o->absent || !f)
		return;
	fputs("# HELP litecon_db_open_processes Processes that have the database, -wal or -shm open.\n"
	      "# TYPE litecon_db_open_processes gauge\n", out);
	for (size_t i = 0; i < f->nrows; i++) {
		const lc_value *db = isect_get(f, i, "schema");
		long long n = 0, last = -1;
		for (size_t k = 0; k < o->nrows; k++) {
			const lc_value *od = isect_get(o, k, "schema"), *pid = isect_get(o, k, "pid");
			if (od->n == db->n && !memcmp(od->p, db->p, db->n) && pid->i != last)
				n++, last = pid->i;
		}
		fputs("litecon_db_open_processes{db=", out);
		label_value(out, db);
		fprintf(out, "} %lld\n", n);
	}
}

void stats_prometheus(FILE *out, const inspect_report *r, const char *target)
{
	(void)target;
	fputs("# HELP litecon_up 1 when litecon could inspect the target.\n# TYPE litecon_up gauge\nlitecon_up 1\n", out);
	fprintf(out, "# HELP litecon_inspect_timestamp_seconds When the facts were gathered.\n"
		     "# TYPE litecon_inspect_timestamp_seconds gauge\nlitecon_inspect_timestamp_seconds %.3f\n", r->taken_at);
	for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++) {
		const struct metric *m = &metrics[i];
		const isect *s = inspect_find(r, m->section);
		if (!s || s->absent || !s->nrows)
			continue;
		fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", m->name, m->help, m->name);
		for (size_t row = 0; row < s->nrows; row++)
			sample(out, m, s, row);
	}
	openers(out, r);
}
