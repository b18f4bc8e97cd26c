/* run_queue.c (litecon-load): the steps `run` takes on the queue, cache and cable files, each called
 * inside one transaction by run.c. The queue behaves like a small Solid Queue deployment: 1-2 jobs per
 * new order, two live workers claiming at a rate that swings around a little below the enqueue rate
 * (so the ready depth visibly rises and falls), ~1% failures, a dispatcher promoting due scheduled jobs,
 * heartbeats, a concurrency-limited job released now and then, and clearing of finished jobs. */
#include "load_schema.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define JOBS_PER_ORDER 1.54	/* one, half the time two, and a few follow-ups */
#define SECOND_JOB_P 0.5
#define FOLLOWUP_P 0.04
#define FAIL_P 0.01
#define DEPTH_HIGH 1500		/* above this the workers speed up, so the backlog stays bounded */
#define KEEP_FINISHED_S 300	/* finished jobs older than this are cleared */
#define KEEP_CABLE_S 600
#define MAX_BATCH 2048
#define BLOCK_S 180
#define TWO_PI 6.283185307179586
#define SWING_S 24.0		/* period of the workers' pace swing */

/* A job row; sets *job_id. Scheduled jobs carry their time, others are scheduled "now" as Solid Queue does. */
static int insert_job(struct runner *r, const struct job_kind *k, int64_t record, int64_t at_us, const char *ckey,
		      int64_t *job_id)
{
	char args[1024], uuid[37], sched[TIME_LEN];

	gen_uuid(&r->st->rng, uuid);
	gen_job_args(args, sizeof args, k->class_name, k->queue, k->priority, uuid, k->model, record, r->now, at_us);
	fmt_time(sched, at_us ? at_us : r->now);
	if (db_run(r->st, r->s[R_JOB], "tttit" "ttt", k->queue, k->class_name, args, (int64_t)k->priority, uuid, sched,
		   ckey, r->t) != 0)
		return -1;
	*job_id = sqlite3_last_insert_rowid(r->st->db[DB_QUEUE]);
	r->pending.enqueued++;
	return 0;
}

/* Enqueue: ready now, or scheduled at at_us. */
static int enqueue(struct runner *r, const struct job_kind *k, int64_t record, int64_t at_us)
{
	char sched[TIME_LEN];
	int64_t id;

	if (insert_job(r, k, record, at_us, NULL, &id) != 0)
		return -1;
	if (at_us) {
		fmt_time(sched, at_us);
		return db_run(r->st, r->s[R_SCHED], "itit" "t", id, k->queue, (int64_t)k->priority, sched, r->t);
	}
	r->pending.ready += strcmp(k->queue, PAUSED_QUEUE) != 0;
	return db_run(r->st, r->s[R_READY], "itit", id, k->queue, (int64_t)k->priority, r->t);
}

static int enqueue_orders(struct runner *r)
{
	struct rng *g = &r->st->rng;
	int64_t id;

	for (id = r->new_first; id < r->new_first + r->new_count; id++) {
		if (enqueue(r, &job_order_kinds[0], id, 0) != 0)
			return -1;
		if (rng_chance(g, SECOND_JOB_P) &&
		    enqueue(r, &job_order_kinds[1 + rng_below(g, (uint32_t)job_order_kind_count - 1)], id, 0) != 0)
			return -1;
		if (rng_chance(g, FOLLOWUP_P) &&
		    enqueue(r, &job_followup, id, r->now + (int64_t)((2 + rng_unit(g) * 28) * US_PER_S)) != 0)
			return -1;
	}
	return 0;
}

/* The workers' pace relative to the enqueue rate: a slow swing, some noise, a push when far behind. */
static double claim_factor(struct runner *r)
{
	return 0.92 + 0.30 * sin(r->elapsed * TWO_PI / SWING_S) + 0.15 * (rng_unit(&r->st->rng) - 0.5) +
	       (r->ready_depth > DEPTH_HIGH ? 0.25 : 0.0);
}

static int claim(struct runner *r)
{
	static int64_t ids[MAX_BATCH];
	double cap = r->o->rate * JOBS_PER_ORDER + 1;
	int n, got = 0, i;

	r->claim_credit += r->dt * r->o->rate * JOBS_PER_ORDER * claim_factor(r);
	if (r->claim_credit > cap)
		r->claim_credit = cap;
	n = r->claim_credit < MAX_BATCH ? (int)r->claim_credit : MAX_BATCH;
	if (n <= 0 || r->n_workers == 0)
		return 0;
	r->claim_credit -= n;		/* idle capacity is not banked */
	if (db_bind(r->st, r->s[R_SEL_READY], "i", (int64_t)n) != 0)
		return -1;
	while (got < n && sqlite3_step(r->s[R_SEL_READY]) == SQLITE_ROW)
		ids[got++] = sqlite3_column_int64(r->s[R_SEL_READY], 0);
	if (sqlite3_reset(r->s[R_SEL_READY]) != SQLITE_OK)
		return db_fail(r->st, DB_QUEUE, run_stmt_defs[R_SEL_READY].sql);
	for (i = 0; i < got; i++) {
		if (db_run(r->st, r->s[R_DEL_READY], "i", ids[i]) != 0 ||
		    db_run(r->st, r->s[R_CLAIM], "iit", ids[i], r->workers[i % r->n_workers], r->t) != 0)
			return -1;
		r->pending.ready--;
	}
	return 0;
}

struct done_row { int64_t id; char class_name[64]; };

/* Claimed jobs that have "run" long enough finish; about one in a hundred fails. */
static int finish(struct runner *r)
{
	static struct done_row rows[MAX_BATCH];
	sqlite3_stmt *sel = r->s[R_SEL_DONE];
	char cutoff[TIME_LEN], err[2048];
	int n = 0, i;

	if (r->n_workers == 0)
		return 0;
	fmt_time(cutoff, r->now - (int64_t)((0.05 + 0.55 * rng_unit(&r->st->rng)) * US_PER_S));
	if (db_bind(r->st, sel, "iiti", r->workers[0], r->workers[r->n_workers - 1], cutoff, (int64_t)MAX_BATCH) != 0)
		return -1;
	while (n < MAX_BATCH && sqlite3_step(sel) == SQLITE_ROW) {
		rows[n].id = sqlite3_column_int64(sel, 0);
		snprintf(rows[n++].class_name, sizeof rows[0].class_name, "%s", (const char *)sqlite3_column_text(sel, 1));
	}
	if (sqlite3_reset(sel) != SQLITE_OK)
		return db_fail(r->st, DB_QUEUE, run_stmt_defs[R_SEL_DONE].sql);
	for (i = 0; i < n; i++) {
		if (rng_chance(&r->st->rng, FAIL_P)) {
			gen_error_json(&r->st->rng, rows[i].class_name, r->max_order, err, sizeof err);
			if (db_run(r->st, r->s[R_FAIL], "itt", rows[i].id, err, r->t) != 0)
				return -1;
			r->pending.failed++;
		} else {
			if (db_run(r->st, r->s[R_FINISH], "it", rows[i].id, r->t) != 0)
				return -1;
			r->pending.finished++;
		}
		if (db_run(r->st, r->s[R_DEL_CLAIM], "i", rows[i].id) != 0)
			return -1;
	}
	return 0;
}

int run_queue_tick(struct runner *r)
{
	if (enqueue_orders(r) != 0 || claim(r) != 0 || finish(r) != 0)
		return -1;
	return 0;
}

/* Once a second: the dispatcher promotes due jobs, live processes beat, maintenance clears finished
 * jobs and keeps the newest failures, and the ready depth is re-counted. */
int run_queue_second(struct runner *r)
{
	sqlite3_stmt *depth = r->s[R_DEPTH];
	char cutoff[TIME_LEN];
	int64_t count;
	int i;

	if (db_run(r->st, r->s[R_PROMOTE], "t", r->t) != 0 || db_run(r->st, r->s[R_PROMOTED], "t", r->t) != 0)
		return -1;
	for (i = 0; i < r->n_live; i++)
		if (db_run(r->st, r->s[R_BEAT], "ti", r->t, r->live[i]) != 0)
			return -1;
	fmt_time(cutoff, r->now - KEEP_FINISHED_S * US_PER_S);
	if (db_run(r->st, r->s[R_CLEAN], "t", cutoff) != 0 || db_run(r->st, r->s[R_TRIM_FAILED], "") != 0)
		return -1;
	if (sqlite3_step(depth) != SQLITE_ROW) {
		db_fail(r->st, DB_QUEUE, run_stmt_defs[R_DEPTH].sql);
		sqlite3_reset(depth);
		return -1;
	}
	count = sqlite3_column_int64(depth, 0);
	sqlite3_reset(depth);
	r->pending.ready = count - r->ready_depth;
	return 0;
}

/* Every few seconds the concurrency-limited job holding a semaphore finishes: the oldest blocked job is
 * released to ready and a new one for the same key blocks behind it. */
int run_queue_blocked(struct runner *r)
{
	sqlite3_stmt *sel = r->s[R_SEL_BLOCKED];
	char key[128] = "InventorySyncJob/Product/11", queue[64] = "default", expires[TIME_LEN];
	int64_t job = 0, prio = 0, id;

	if (sqlite3_step(sel) == SQLITE_ROW) {
		job = sqlite3_column_int64(sel, 0);
		snprintf(queue, sizeof queue, "%s", (const char *)sqlite3_column_text(sel, 1));
		prio = sqlite3_column_int64(sel, 2);
		snprintf(key, sizeof key, "%s", (const char *)sqlite3_column_text(sel, 3));
	}
	if (sqlite3_reset(sel) != SQLITE_OK)
		return db_fail(r->st, DB_QUEUE, run_stmt_defs[R_SEL_BLOCKED].sql);
	if (job && (db_run(r->st, r->s[R_DEL_BLOCKED], "i", job) != 0 ||
		    db_run(r->st, r->s[R_READY], "itit", job, queue, prio, r->t) != 0))
		return -1;
	r->pending.ready += job != 0;
	fmt_time(expires, r->now + BLOCK_S * US_PER_S);
	if (insert_job(r, &job_inventory, 1 + rng_below(&r->st->rng, (uint32_t)r->n_products), 0, key, &id) != 0)
		return -1;
	if (db_run(r->st, r->s[R_BLOCK], "itit" "tt", id, job_inventory.queue, (int64_t)job_inventory.priority, key,
		   expires, r->t) != 0)
		return -1;
	return db_run(r->st, r->s[R_SEM], "ttt", key, expires, r->t);
}

/* ---- Solid Cache: a few upserts per tick over a bounded key space, some deletes, a size cap ---- */

int run_cache_tick(struct runner *r)
{
	struct rng *g = &r->st->rng;
	unsigned char value[2048];
	char key[128];
	size_t vlen, klen;
	int n = rng_chance(g, 0.6) ? 1 + (int)rng_below(g, 2) : 0, i;

	for (i = 0; i < n; i++) {
		gen_cache_key(g, key, sizeof key);
		gen_cache_value(g, value, sizeof value, &vlen);
		klen = strlen(key);
		if (db_run(r->st, r->s[R_CACHE_PUT], "bbtii", key, (int)klen, value, (int)vlen, r->t,
			   gen_hash64(key, klen), (int64_t)(klen + vlen)) != 0)
			return -1;
	}
	if (rng_chance(g, 0.1)) {
		gen_cache_key(g, key, sizeof key);
		return db_run(r->st, r->s[R_CACHE_DEL], "i", gen_hash64(key, strlen(key)));
	}
	return 0;
}

int run_cache_trim(struct runner *r)
{
	return db_run(r->st, r->s[R_CACHE_TRIM], "");
}

/* ---- Solid Cable: broadcasts about recent orders, trimmed after KEEP_CABLE_S ---- */

int run_cable_tick(struct runner *r)
{
	char channel[128], payload[512];

	if (!rng_chance(&r->st->rng, 0.5))
		return 0;
	gen_cable(&r->st->rng, r->max_order, channel, sizeof channel, payload, sizeof payload);
	return db_run(r->st, r->s[R_CABLE_PUT], "bbti", channel, (int)strlen(channel), payload, (int)strlen(payload),
		      r->t, gen_hash64(channel, strlen(channel)));
}

int run_cable_trim(struct runner *r)
{
	char cutoff[TIME_LEN];

	fmt_time(cutoff, r->now - KEEP_CABLE_S * US_PER_S);
	return db_run(r->st, r->s[R_CABLE_TRIM], "t", cutoff);
}
