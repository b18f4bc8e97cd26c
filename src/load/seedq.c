/* seedq.c (litecon-load): init's Solid Queue, Solid Cache and Solid Cable content. The queue gets jobs in
 * every state (ready, scheduled due and future, claimed by live workers and by a stale one, blocked on a
 * semaphore, failed, finished), a paused queue, recurring tasks, and a supervisor with its workers,
 * dispatcher and scheduler. Jobs are inserted in created_at order so ids rise with time. */
#include "load_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_JOB, Q_READY, Q_SCHED, Q_CLAIM, Q_BLOCK, Q_FAIL, Q_PROC, Q_PAUSE, Q_SEM, Q_TASK, Q_REXEC, Q_N };
static const struct stmt_def queue_defs[Q_N] = {
	{ DB_QUEUE, "INSERT INTO solid_queue_jobs (queue_name, class_name, arguments, priority, active_job_id, "
		    "scheduled_at, finished_at, concurrency_key, created_at, updated_at) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_ready_executions (job_id, queue_name, priority, created_at) "
		    "VALUES (?1, ?2, ?3, ?4)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_scheduled_executions (job_id, queue_name, priority, scheduled_at, "
		    "created_at) VALUES (?1, ?2, ?3, ?4, ?5)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_claimed_executions (job_id, process_id, created_at) VALUES (?1, ?2, ?3)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_blocked_executions (job_id, queue_name, priority, concurrency_key, "
		    "expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_failed_executions (job_id, error, created_at) VALUES (?1, ?2, ?3)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_processes (kind, last_heartbeat_at, supervisor_id, pid, hostname, "
		    "metadata, created_at, name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_pauses (queue_name, created_at) VALUES (?1, ?2)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_semaphores (key, value, expires_at, created_at, updated_at) "
		    "VALUES (?1, 0, ?2, ?3, ?3)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_recurring_tasks (key, schedule, command, class_name, arguments, "
		    "queue_name, priority, static, description, created_at, updated_at) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 1, ?7, ?8, ?8)" },
	{ DB_QUEUE, "INSERT INTO solid_queue_recurring_executions (job_id, task_key, run_at, created_at) "
		    "VALUES (?1, ?2, ?3, ?4)" },
};

#define WORKER_META "{\"polling_interval\":0.1,\"queues\":\"*\",\"thread_pool_size\":3}"
/* The processes; ids follow this order (1 = the supervisor). The last worker stopped beating 10 min ago. */
static const struct proc_def {
	const char *kind;
	int supervised;
	int64_t beat_age_s;
	int old_host;
	const char *metadata;
} procs[] = {
	{ "Supervisor", 0, 12, 0, "{\"mode\":\"fork\"}" },
	{ "Worker", 1, 20, 0, WORKER_META },
	{ "Worker", 1, 35, 0, WORKER_META },
	{ "Dispatcher", 1, 8, 0, "{\"polling_interval\":1,\"batch_size\":500,\"concurrency_maintenance_interval\":600}" },
	{ "Scheduler", 1, 41, 0, "{\"recurring_schedule\":[\"clear_solid_queue_finished_jobs\",\"daily_report\"]}" },
	{ "Worker", 1, 600, 1, WORKER_META },
};
#define N_PROCS ((int)(sizeof procs / sizeof procs[0]))
#define LIVE_WORKER_A 2
#define LIVE_WORKER_B 3
#define STALE_WORKER 6

enum js { JS_FINISHED, JS_FAILED, JS_REPORT, JS_READY, JS_DUE, JS_FUTURE, JS_CLAIMED, JS_ORPHAN, JS_BLOCKED };
/* How many jobs of each state, and how long ago they were created (seconds). */
static const struct { enum js state; int count; int64_t age_min, age_max; } job_mix[] = {
	{ JS_FINISHED, 600, 30, 3600 }, { JS_FAILED, 24, 600, 86400 }, { JS_REPORT, 30, 3600, 6 * 3600 },
	{ JS_READY, 320, 1, 240 }, { JS_DUE, 12, 60, 600 }, { JS_FUTURE, 40, 60, 3600 },
	{ JS_CLAIMED, 6, 1, 20 }, { JS_ORPHAN, 2, 620, 700 }, { JS_BLOCKED, 6, 10, 120 },
};

struct seedjob { enum js state; int64_t created; };

struct seedq {
	struct store *st;
	sqlite3_stmt *s[Q_N];
	int64_t now, max_order, job_id;
	int n_report, n_blocked;
	char t[TIME_LEN];		/* created_at of the current job */
};

static int seed_processes(struct seedq *q)
{
	char beat[TIME_LEN], created[TIME_LEN], name[40], hex[21], host[32], old_host[32];
	int i;

	gen_hex(&q->st->rng, hex, 4);
	snprintf(host, sizeof host, "shop-web-%s", hex);
	gen_hex(&q->st->rng, hex, 4);
	snprintf(old_host, sizeof old_host, "shop-web-%s", hex);
	fmt_time(created, q->now - 2 * 3600 * US_PER_S);
	for (i = 0; i < N_PROCS; i++) {
		const struct proc_def *p = &procs[i];
		char kind[16];
		int k;

		for (k = 0; p->kind[k] && k < 15; k++)
			kind[k] = (char)(p->kind[k] | 0x20);
		kind[k] = '\0';
		gen_hex(&q->st->rng, hex, 20);
		snprintf(name, sizeof name, "%s-%s", kind, hex);
		fmt_time(beat, q->now - p->beat_age_s * US_PER_S);
		if (db_run(q->st, q->s[Q_PROC], "ttzitttt", p->kind, beat,
			   p->supervised ? (int64_t)1 : (int64_t)0, (int64_t)(1000 + rng_below(&q->st->rng, 60000)),
			   p->old_host ? old_host : host, p->metadata, created, name) != 0)
			return -1;
	}
	return 0;
}

static int cmp_job(const void *a, const void *b)
{
	int64_t x = ((const struct seedjob *)a)->created, y = ((const struct seedjob *)b)->created;

	return (x > y) - (x < y);
}

static const struct job_kind *kind_for(struct seedq *q, enum js state)
{
	if (state == JS_REPORT)
		return &job_report;
	if (state == JS_FUTURE)
		return &job_followup;
	if (state == JS_BLOCKED)
		return &job_inventory;
	return &job_order_kinds[rng_below(&q->st->rng, (uint32_t)job_order_kind_count)];
}

/* Insert the jobs row; sets q->job_id and q->t. */
static int insert_job(struct seedq *q, const struct seedjob *j, const struct job_kind *k, int64_t sched,
		      int64_t finished, const char *ckey)
{
	char args[1024], uuid[37], ts[TIME_LEN], tf[TIME_LEN];
	int64_t rec = 1 + rng_below(&q->st->rng, (uint32_t)(q->max_order > 0 ? q->max_order : 1));

	gen_uuid(&q->st->rng, uuid);
	gen_job_args(args, sizeof args, k->class_name, k->queue, k->priority, uuid, k->model, rec, j->created,
		     sched != j->created ? sched : 0);
	fmt_time(q->t, j->created);
	fmt_time(ts, sched);
	fmt_time(tf, finished);
	if (db_run(q->st, q->s[Q_JOB], "tttittttt" "t", k->queue, k->class_name, args, (int64_t)k->priority, uuid,
		   ts, finished ? tf : NULL, ckey, q->t, finished ? tf : q->t) != 0)
		return -1;
	q->job_id = sqlite3_last_insert_rowid(q->st->db[DB_QUEUE]);
	return 0;
}

static int64_t later(struct seedq *q, int64_t from, double min_s, double max_s)
{
	return from + (int64_t)((min_s + rng_unit(&q->st->rng) * (max_s - min_s)) * (double)US_PER_S);
}

static int js_finished(struct seedq *q, const struct seedjob *j)
{
	return insert_job(q, j, kind_for(q, j->state), j->created, later(q, j->created, 0.05, 5.0), NULL);
}

static int js_failed(struct seedq *q, const struct seedjob *j)
{
	const struct job_kind *k = kind_for(q, j->state);
	char err[2048], t[TIME_LEN];

	if (insert_job(q, j, k, j->created, 0, NULL) != 0)
		return -1;
	gen_error_json(&q->st->rng, k->class_name, 1 + rng_below(&q->st->rng, (uint32_t)(q->max_order > 0 ? q->max_order : 1)),
		       err, sizeof err);
	fmt_time(t, later(q, j->created, 0.5, 30.0));
	return db_run(q->st, q->s[Q_FAIL], "itt", q->job_id, err, t);
}

static int js_ready(struct seedq *q, const struct seedjob *j)
{
	const struct job_kind *k = kind_for(q, j->state);

	if (insert_job(q, j, k, j->created, 0, NULL) != 0)
		return -1;
	if (db_run(q->st, q->s[Q_READY], "itit", q->job_id, k->queue, (int64_t)k->priority, q->t) != 0)
		return -1;
	if (j->state == JS_REPORT && q->n_report++ < 3)
		return db_run(q->st, q->s[Q_REXEC], "itt" "t", q->job_id, "daily_report", q->t, q->t);
	return 0;
}

static int js_scheduled(struct seedq *q, const struct seedjob *j)
{
	const struct job_kind *k = kind_for(q, j->state);
	int64_t at = j->state == JS_DUE ? later(q, j->created, 30.0, (double)(q->now - j->created) / 1e6 - 5.0)
					: later(q, q->now, 60.0, 7200.0);
	char t[TIME_LEN];

	if (insert_job(q, j, k, at, 0, NULL) != 0)
		return -1;
	fmt_time(t, at);
	return db_run(q->st, q->s[Q_SCHED], "itit" "t", q->job_id, k->queue, (int64_t)k->priority, t, q->t);
}

static int js_claimed(struct seedq *q, const struct seedjob *j)
{
	int64_t proc;
	char t[TIME_LEN];

	if (insert_job(q, j, kind_for(q, j->state), j->created, 0, NULL) != 0)
		return -1;
	proc = j->state == JS_ORPHAN ? STALE_WORKER : (q->job_id % 2 ? LIVE_WORKER_A : LIVE_WORKER_B);
	fmt_time(t, later(q, j->created, 0.01, 0.5));
	return db_run(q->st, q->s[Q_CLAIM], "iit", q->job_id, proc, t);
}

static const int blocked_products[] = { 11, 42, 97 };
#define N_BLOCKED_KEYS ((int)(sizeof blocked_products / sizeof blocked_products[0]))

static void blocked_key(int i, char *out, size_t len)
{
	snprintf(out, len, "%s/Product/%d", job_inventory.class_name, blocked_products[i % N_BLOCKED_KEYS]);
}

static int js_blocked(struct seedq *q, const struct seedjob *j)
{
	char key[64], expires[TIME_LEN];

	blocked_key(q->n_blocked++, key, sizeof key);
	if (insert_job(q, j, &job_inventory, j->created, 0, key) != 0)
		return -1;
	fmt_time(expires, q->now + 180 * US_PER_S);
	return db_run(q->st, q->s[Q_BLOCK], "itit" "tt", q->job_id, job_inventory.queue,
		      (int64_t)job_inventory.priority, key, expires, q->t);
}

static int (*const job_seeders[])(struct seedq *, const struct seedjob *) = {
	[JS_FINISHED] = js_finished, [JS_FAILED] = js_failed, [JS_REPORT] = js_ready, [JS_READY] = js_ready,
	[JS_DUE] = js_scheduled, [JS_FUTURE] = js_scheduled, [JS_CLAIMED] = js_claimed, [JS_ORPHAN] = js_claimed,
	[JS_BLOCKED] = js_blocked,
};

static int seed_jobs(struct seedq *q)
{
	struct seedjob jobs[1100];
	size_t i, n = 0;
	int k;

	for (i = 0; i < sizeof job_mix / sizeof job_mix[0]; i++)
		for (k = 0; k < job_mix[i].count && n < sizeof jobs / sizeof jobs[0]; k++) {
			double age = (double)job_mix[i].age_min +
				     rng_unit(&q->st->rng) * (double)(job_mix[i].age_max - job_mix[i].age_min);

			jobs[n].state = job_mix[i].state;
			jobs[n++].created = q->now - (int64_t)(age * (double)US_PER_S);
		}
	qsort(jobs, n, sizeof jobs[0], cmp_job);
	for (i = 0; i < n; i++)
		if (job_seeders[jobs[i].state](q, &jobs[i]) != 0)
			return -1;
	return 0;
}

/* The paused queue, the semaphores the blocked jobs wait on, and the recurring tasks. */
static int seed_controls(struct seedq *q)
{
	char t[TIME_LEN], expires[TIME_LEN], key[64];
	int i;

	fmt_time(t, q->now - 2 * 3600 * US_PER_S);
	fmt_time(expires, q->now + 180 * US_PER_S);
	if (db_run(q->st, q->s[Q_PAUSE], "tt", PAUSED_QUEUE, t) != 0)
		return -1;
	for (i = 0; i < N_BLOCKED_KEYS; i++) {
		blocked_key(i, key, sizeof key);
		if (db_run(q->st, q->s[Q_SEM], "ttt", key, expires, t) != 0)
			return -1;
	}
	if (db_run(q->st, q->s[Q_TASK], "tttttttt", "clear_solid_queue_finished_jobs", "every hour at minute 12",
		   "SolidQueue::Job.clear_finished_in_batches(sleep_between_batches: 0.3)", NULL, NULL, NULL, NULL,
		   t) != 0)
		return -1;
	return db_run(q->st, q->s[Q_TASK], "tttttttt", "daily_report", "every day at 3am", NULL,
		      job_report.class_name, "[]", job_report.queue, "The sales report for yesterday", t);
}

int seed_queue(struct store *st, int64_t now_us)
{
	struct seedq q = { .st = st, .now = now_us };
	int rc = -1;

	if (db_int(st, DB_MAIN, "SELECT max(id) FROM orders", &q.max_order) != 0)
		return -1;
	if (db_prepare_all(st, queue_defs, Q_N, q.s) != 0)
		return -1;
	if (db_begin(st, DB_QUEUE) != 0)
		goto out;
	if (seed_processes(&q) != 0 || seed_controls(&q) != 0 || seed_jobs(&q) != 0)
		goto out;
	rc = db_commit(st, DB_QUEUE);
out:
	if (rc != 0)
		db_rollback(st, DB_QUEUE);
	db_finalize_all(q.s, Q_N);
	return rc;
}

/* ---- Solid Cache and Solid Cable ---- */

static const struct stmt_def cache_def = {
	DB_CACHE, "INSERT INTO solid_cache_entries (key, value, created_at, key_hash, byte_size) "
		  "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key_hash) DO UPDATE SET key = excluded.key, "
		  "value = excluded.value, created_at = excluded.created_at, byte_size = excluded.byte_size"
};
static const struct stmt_def cable_def = {
	DB_CABLE, "INSERT INTO solid_cable_messages (channel, payload, created_at, channel_hash) VALUES (?1, ?2, ?3, ?4)"
};

#define SEED_CACHE_ENTRIES 3000
#define SEED_CABLE_MESSAGES 400

int seed_cache(struct store *st, int64_t now_us)
{
	sqlite3_stmt *s = NULL;
	unsigned char value[2048];
	char key[128], t[TIME_LEN];
	size_t vlen, klen;
	int i, rc = -1;

	if (db_prepare_all(st, &cache_def, 1, &s) != 0 || db_begin(st, DB_CACHE) != 0)
		goto out;
	for (i = 0; i < SEED_CACHE_ENTRIES; i++) {
		gen_cache_key(&st->rng, key, sizeof key);
		gen_cache_value(&st->rng, value, sizeof value, &vlen);
		klen = strlen(key);
		fmt_time(t, now_us - (int64_t)(SEED_CACHE_ENTRIES - i) * 2 * US_PER_S);
		if (db_run(st, s, "bbtii", key, (int)klen, value, (int)vlen, t, gen_hash64(key, klen),
			   (int64_t)(klen + vlen)) != 0)
			goto out;
	}
	rc = db_commit(st, DB_CACHE);
out:
	if (rc != 0)
		db_rollback(st, DB_CACHE);
	db_finalize_all(&s, 1);
	return rc;
}

int seed_cable(struct store *st, int64_t now_us)
{
	sqlite3_stmt *s = NULL;
	char channel[128], payload[512], t[TIME_LEN];
	int64_t max_order = 0;
	int i, rc = -1;

	if (db_int(st, DB_MAIN, "SELECT max(id) FROM orders", &max_order) != 0)
		return -1;
	if (db_prepare_all(st, &cable_def, 1, &s) != 0 || db_begin(st, DB_CABLE) != 0)
		goto out;
	for (i = 0; i < SEED_CABLE_MESSAGES; i++) {
		int64_t oid = max_order - SEED_CABLE_MESSAGES + i + 1;

		gen_cable(&st->rng, oid > 0 ? oid : i + 1, channel, sizeof channel, payload, sizeof payload);
		fmt_time(t, now_us - (int64_t)(SEED_CABLE_MESSAGES - i) * US_PER_S);
		if (db_run(st, s, "bbti", channel, (int)strlen(channel), payload, (int)strlen(payload), t,
			   gen_hash64(channel, strlen(channel))) != 0)
			goto out;
	}
	rc = db_commit(st, DB_CABLE);
out:
	if (rc != 0)
		db_rollback(st, DB_CABLE);
	db_finalize_all(&s, 1);
	return rc;
}
