/* run.c (litecon-load): `litecon-load run DIR`: open the four files as Rails 8 does (WAL, synchronous=NORMAL,
 * busy_timeout, journal_size_limit, default autocheckpoint) and write like a busy shop, one tick every
 * TICK_S: the orders due in that tick with their items (one transaction), then the queue, cache and cable
 * steps, each in its own short transaction. SQLite errors are printed, counted and survived. Stops on
 * SIGINT/SIGTERM/SIGHUP, after --duration, or when --parent has gone; prints one summary line. */
#include "load_schema.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_S 0.010
#define PROGRESS_S 5.0
#define NEW_USER_P 0.01		/* a new sign-up per order */
#define ADVANCE_PER_ORDER 0.3	/* status moves (pending->paid->shipped) per new order */
#define ADVANCE_WINDOW 5000	/* among the newest orders */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const char run_pragmas[] =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
	"PRAGMA journal_size_limit=67108864; PRAGMA foreign_keys=ON; PRAGMA cache_size=2000;";

/* The steps of one tick, each in one transaction on its file; every_s == 0 means every tick. */
static int main_tick(struct runner *r);
static const struct step {
	int db;
	int (*fn)(struct runner *);
	double every_s;
} steps[] = {
	{ DB_MAIN, main_tick, 0 },
	{ DB_QUEUE, run_queue_tick, 0 },
	{ DB_QUEUE, run_queue_second, 1.0 },
	{ DB_QUEUE, run_queue_blocked, 5.0 },
	{ DB_CACHE, run_cache_tick, 0 },
	{ DB_CACHE, run_cache_trim, 1.0 },
	{ DB_CABLE, run_cable_tick, 0 },
	{ DB_CABLE, run_cable_trim, 1.0 },
};
#define N_STEPS ((int)(sizeof steps / sizeof steps[0]))

static void add_counts(struct run_counts *to, const struct run_counts *from)
{
	to->orders += from->orders;
	to->users += from->users;
	to->enqueued += from->enqueued;
	to->finished += from->finished;
	to->failed += from->failed;
	to->ready += from->ready;
}

/* One step in one transaction; staged counters count only when it commits. */
static void run_step(struct runner *r, const struct step *s)
{
	memset(&r->pending, 0, sizeof r->pending);
	if (db_begin(r->st, s->db) != 0)
		return;
	if (s->fn(r) != 0 || db_commit(r->st, s->db) != 0) {
		db_rollback(r->st, s->db);
		return;
	}
	add_counts(&r->total, &r->pending);
	r->ready_depth += r->pending.ready;
	r->n_users += r->pending.users;
	if (s->fn == main_tick && r->pending.orders > 0) {
		r->new_first = r->pending.first_order;
		r->new_count = r->pending.orders;
		r->max_order = r->new_first + r->new_count - 1;
	} else if (s->fn == run_queue_tick) {
		r->new_count = 0;
	}
}

static int insert_order(struct runner *r, int64_t *oid)
{
	struct order_gen o;
	int64_t at = clock_us();
	char t[TIME_LEN], email[96];
	const char *name;
	int i;

	gen_order(&r->st->rng, r->n_users + r->pending.users, r->prices, r->n_products, &o);
	fmt_time(t, at);
	if (rng_chance(&r->st->rng, NEW_USER_P)) {
		o.user_id = r->n_users + r->pending.users + 1;
		gen_user(&r->st->rng, o.user_id, &name, email, sizeof email);
		if (db_run(r->st, r->s[R_USER], "ttt", email, name, t) != 0)
			return -1;
		r->pending.users++;
	}
	if (db_run(r->st, r->s[R_ORDER], "itdt", o.user_id, rng_chance(&r->st->rng, 0.15) ? "paid" : "pending",
		   cents_to_decimal(o.total), t) != 0)
		return -1;
	*oid = sqlite3_last_insert_rowid(r->st->db[DB_MAIN]);
	for (i = 0; i < o.n; i++)
		if (db_run(r->st, r->s[R_ITEM], "iiidt", *oid, o.product[i], o.qty[i], cents_to_decimal(o.price[i]), t) != 0)
			return -1;
	return 0;
}

/* The orders due by now (rate x elapsed, less those written), then a few status moves. */
static int main_tick(struct runner *r)
{
	long due = (long)(r->o->rate * r->elapsed) - r->total.orders, cap = (long)(r->o->rate * TICK_S * 20) + 1, i;
	int64_t oid = 0, lo;

	for (i = 0; i < (due < cap ? due : cap); i++) {
		if (insert_order(r, &oid) != 0)
			return -1;
		if (i == 0)
			r->pending.first_order = oid;
		r->pending.orders++;
	}
	r->advance_credit += (double)r->pending.orders * ADVANCE_PER_ORDER;
	lo = r->max_order > ADVANCE_WINDOW ? r->max_order - ADVANCE_WINDOW : 1;
	for (; r->advance_credit >= 1 && r->max_order > 0; r->advance_credit -= 1)
		if (db_run(r->st, r->s[R_ADVANCE], "it", lo + (int64_t)rng_below(&r->st->rng, (uint32_t)(r->max_order - lo + 1)),
			   r->t) != 0)
			return -1;
	return 0;
}

/* Product prices (cents, by id), users, orders and the queue's processes, as the store holds them now. */
static int load_state(struct runner *r)
{
	sqlite3_stmt *s = NULL;
	int64_t id;
	int rc = -1;

	if (db_int(r->st, DB_MAIN, "SELECT max(id) FROM users", &r->n_users) != 0 ||
	    db_int(r->st, DB_MAIN, "SELECT max(id) FROM orders", &r->max_order) != 0 ||
	    db_int(r->st, DB_MAIN, "SELECT max(id) FROM products", &r->n_products) != 0)
		return -1;
	if (r->n_users < 1 || r->n_products < 1) {
		snprintf(r->st->err, sizeof r->st->err, "the store has no users or products; run init first");
		return -1;
	}
	r->prices = calloc((size_t)r->n_products, sizeof *r->prices);
	if (!r->prices ||
	    sqlite3_prepare_v2(r->st->db[DB_MAIN], "SELECT id, price FROM products", -1, &s, NULL) != SQLITE_OK) {
		db_fail(r->st, DB_MAIN, "SELECT id, price FROM products");
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		if ((id = sqlite3_column_int64(s, 0)) >= 1 && id <= r->n_products)
			r->prices[id - 1] = llround(sqlite3_column_double(s, 1) * 100.0);
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

/* Live processes: every non-worker and the first two workers; later workers are stale and never beat. */
static int load_processes(struct runner *r)
{
	const char *sql = "SELECT id, kind FROM solid_queue_processes ORDER BY id";
	sqlite3_stmt *s = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(r->st->db[DB_QUEUE], sql, -1, &s, NULL) != SQLITE_OK) {
		db_fail(r->st, DB_QUEUE, sql);
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW && r->n_live < 8) {
		int64_t id = sqlite3_column_int64(s, 0);
		int worker = strcmp((const char *)sqlite3_column_text(s, 1), "Worker") == 0;

		if (worker && r->n_workers >= 2)
			continue;
		if (worker)
			r->workers[r->n_workers++] = id;
		r->live[r->n_live++] = id;
	}
	rc = db_int(r->st, DB_QUEUE, run_stmt_defs[R_DEPTH].sql, &r->ready_depth);
out:
	sqlite3_finalize(s);
	return rc;
}

static int open_store(struct runner *r)
{
	int i;

	for (i = 0; i < DB_COUNT; i++) {
		if (db_open(r->st, r->o->dir, i, 0) != 0)
			return -2;
		if (db_exec(r->st, i, run_pragmas) != 0)
			return -1;
	}
	if (load_state(r) != 0 || load_processes(r) != 0)
		return -1;
	return db_prepare_all(r->st, run_stmt_defs, R_COUNT, r->s);
}

/* kill(pid, 0) says a zombie still exists; /proc tells it has exited. */
static int parent_gone(long pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	int gone = 0;

	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (fgets(buf, sizeof buf, f) && (p = strrchr(buf, ')')) && p[1] == ' ')
		gone = p[2] == 'Z' || p[2] == 'X';
	fclose(f);
	return gone;
}

static void progress(const struct runner *r)
{
	fprintf(stderr, "litecon-load: %.1f s: %ld orders (%.1f/s), %ld jobs enqueued, %ld finished, %ld failed, "
		"ready %lld, %ld errors\n", r->elapsed, r->total.orders,
		r->elapsed > 0 ? (double)r->total.orders / r->elapsed : 0.0, r->total.enqueued, r->total.finished,
		r->total.failed, (long long)r->ready_depth, r->st->errors);
}

static void sleep_until(double t)
{
	struct timespec ts;
	double now = mono_s();

	if (t <= now)
		return;
	ts.tv_sec = (time_t)(t - now);
	ts.tv_nsec = (long)((t - now - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int should_stop(const struct runner *r)
{
	if (stop_signal)
		return 1;
	if (r->o->duration > 0 && r->elapsed >= r->o->duration)
		return 1;
	return r->o->parent > 0 && parent_gone(r->o->parent);
}

static void loop(struct runner *r)
{
	double next[N_STEPS] = { 0 }, last = 0, next_progress = PROGRESS_S, tick_at;
	long k;
	int i;

	for (k = 1;; k++) {
		r->elapsed = mono_s() - r->t0;
		if (should_stop(r))
			break;
		r->dt = r->elapsed - last;
		last = r->elapsed;
		r->now = clock_us();
		fmt_time(r->t, r->now);
		for (i = 0; i < N_STEPS; i++) {
			if (r->elapsed < next[i])
				continue;
			next[i] = r->elapsed + steps[i].every_s;
			run_step(r, &steps[i]);
		}
		if (!r->o->quiet && r->elapsed >= next_progress) {
			progress(r);
			next_progress += PROGRESS_S;
		}
		tick_at = r->t0 + (double)k * TICK_S;
		if (tick_at < mono_s() - 5 * TICK_S)	/* far behind: do not try to catch up tick by tick */
			k = (long)((mono_s() - r->t0) / TICK_S);
		sleep_until(r->t0 + (double)k * TICK_S);
	}
}

static void on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int load_run(const struct load_opts *o)
{
	struct store st;
	struct runner r;
	int rc = 1;

	memset(&st, 0, sizeof st);
	memset(&r, 0, sizeof r);
	rng_seed(&st.rng, o->seed ^ UINT64_C(0x72756e));
	r.st = &st;
	r.o = o;
	on_signals();
	if ((rc = open_store(&r)) != 0) {
		fprintf(stderr, "litecon-load: run: %s%s\n", st.err,
			rc == -2 ? "; make a store with: litecon-load init DIR" : "");
		rc = rc == -2 ? 2 : 1;
		goto out;
	}
	st.report = 1;
	r.t0 = mono_s();
	loop(&r);
	r.elapsed = mono_s() - r.t0;
	fprintf(stderr, "litecon-load: %ld orders, %ld jobs enqueued, %ld jobs finished, %ld errors in %.1f s (%.1f orders/s)\n",
		r.total.orders, r.total.enqueued, r.total.finished, st.errors, r.elapsed,
		r.elapsed > 0 ? (double)r.total.orders / r.elapsed : 0.0);
	rc = st.errors == 0 ? 0 : 1;
out:
	db_finalize_all(r.s, R_COUNT);
	free(r.prices);
	db_close_all(&st);
	return rc;
}
