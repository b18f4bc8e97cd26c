/*
 * probe_queue.c: Solid Queue facts, with Mission Control's definitions:
 * depth = ready executions of a queue, latency = now - oldest ready
 * created_at, paused = a row in solid_queue_pauses; processes with their
 * heartbeat age (stale after opts->stale_s, Solid Queue's alive threshold is
 * 5 minutes). Counts stop at INSPECT_CAP + 1 so a huge table costs little.
 */
#include "probe.h"
#include "sqlval.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define CAP "500001"

static const char *const queue_cols[] = {
	"queue", "paused", "ready", "latency_s", "scheduled_due", "scheduled_future",
	"claimed", "blocked", "failed",
};
static const char *const proc_cols[] = {
	"id", "kind", "name", "hostname", "pid", "heartbeat_age_s", "stale",
};

/* Queue names without scanning the jobs table: a loose index scan over
 * index_solid_queue_jobs_for_filtering (queue_name, finished_at), plus
 * paused queues that have no jobs. Claimed and failed executions carry no
 * queue name: each is looked up in the jobs table by its primary key,
 * once for all queues (a materialized GROUP BY; per queue it was one pass
 * per queue, and SQLite's own plan walked every job of the queue). */
static const char queue_sql[] =
	"WITH RECURSIVE q(n) AS ("
	" SELECT min(queue_name) FROM \"%w\".solid_queue_jobs"
	" UNION ALL SELECT (SELECT min(queue_name) FROM \"%w\".solid_queue_jobs WHERE queue_name > n)"
	" FROM q WHERE n IS NOT NULL),"
	" names(n) AS (SELECT n FROM q WHERE n IS NOT NULL"
	" UNION SELECT queue_name FROM \"%w\".solid_queue_pauses),"
	" now(t) AS (SELECT strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')),"
	" cl(n, k) AS MATERIALIZED (SELECT j.queue_name, count(*) FROM"
	"   (SELECT job_id FROM \"%w\".solid_queue_claimed_executions LIMIT " CAP ") c"
	"   CROSS JOIN \"%w\".solid_queue_jobs j ON j.id = c.job_id GROUP BY 1),"
	" fa(n, k) AS MATERIALIZED (SELECT j.queue_name, count(*) FROM"
	"   (SELECT job_id FROM \"%w\".solid_queue_failed_executions LIMIT " CAP ") f"
	"   CROSS JOIN \"%w\".solid_queue_jobs j ON j.id = f.job_id GROUP BY 1)"
	" SELECT n,"
	" EXISTS (SELECT 1 FROM \"%w\".solid_queue_pauses p WHERE p.queue_name = n),"
	" (SELECT count(*) FROM (SELECT 1 FROM \"%w\".solid_queue_ready_executions r WHERE r.queue_name = n LIMIT " CAP ")),"
	" (SELECT round((julianday('now') - julianday(min(c))) * 86400, 1) FROM"
	"   (SELECT created_at AS c FROM \"%w\".solid_queue_ready_executions r WHERE r.queue_name = n LIMIT " CAP ")),"
	" (SELECT count(*) FROM (SELECT 1 FROM \"%w\".solid_queue_scheduled_executions s, now"
	"   WHERE s.queue_name = n AND s.scheduled_at <= now.t LIMIT " CAP ")),"
	" (SELECT count(*) FROM (SELECT 1 FROM \"%w\".solid_queue_scheduled_executions s, now"
	"   WHERE s.queue_name = n AND s.scheduled_at > now.t LIMIT " CAP ")),"
	" ifnull((SELECT k FROM cl WHERE cl.n = names.n), 0),"
	" (SELECT count(*) FROM (SELECT 1 FROM \"%w\".solid_queue_blocked_executions b WHERE b.queue_name = n LIMIT " CAP ")),"
	" ifnull((SELECT k FROM fa WHERE fa.n = names.n), 0)"
	" FROM names ORDER BY n";

static const char proc_sql[] =
	"SELECT id, kind, name, hostname, pid,"
	" round((julianday('now') - julianday(last_heartbeat_at)) * 86400, 1),"
	" (julianday('now') - julianday(last_heartbeat_at)) * 86400 > %d"
	" FROM \"%w\".solid_queue_processes ORDER BY kind, name";

static const char *const needed[] = {
	"solid_queue_jobs", "solid_queue_ready_executions", "solid_queue_scheduled_executions",
	"solid_queue_claimed_executions", "solid_queue_blocked_executions", "solid_queue_failed_executions",
	"solid_queue_pauses", "solid_queue_processes",
};

/* The schema holding every Solid Queue table, or NULL (and which is missing). */
static const char *queue_schema(engine *en, const char **missing)
{
	const char *sc = probe_schema_of(en, needed[0]);
	*missing = needed[0];
	if (!sc)
		return NULL;
	for (size_t i = 1; i < sizeof needed / sizeof *needed; i++) {
		const char *other = probe_schema_of(en, needed[i]);
		if (!other || strcmp(other, sc) != 0) {
			*missing = needed[i];
			return NULL;
		}
	}
	return sc;
}

int probe_queue(engine *en, const inspect_opts *o, inspect_report *r, lc_err *e)
{
	isect *q = inspect_add(r, "queues", 9, queue_cols);
	isect *p = inspect_add(r, "processes", 7, proc_cols);
	const char *missing, *sc = queue_schema(en, &missing);
	lc_sink k = { NULL, probe_add_row, NULL };
	if (!sc) {
		isect_absent(q, "no Solid Queue tables (%s is missing)", missing);
		isect_absent(p, "%s", q->absent);
		return 0;
	}
	char *sql = sql_printf(queue_sql, sc, sc, sc, sc, sc, sc, sc, sc, sc, sc, sc, sc, sc);
	int rc = engine_exec(en, sql, &k, q, e);
	free(sql);
	if (rc < 0)
		return -1;
	sql = sql_printf(proc_sql, o->stale_s > 0 ? o->stale_s : 300, sc);
	rc = engine_exec(en, sql, &k, p, e);
	free(sql);
	return rc;
}
