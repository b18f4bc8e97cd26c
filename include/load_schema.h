/* load_schema.h: the internal contract shared by the files of litecon-load (the .c files in src/load/), the demo-store
 * builder and load generator. It is the only litecon program that writes to a database; nothing else in
 * litecon includes this header.
 *
 * Pieces: a deterministic PRNG, Rails-style UTC timestamps, a `struct store` holding one read-write
 * connection per store file with error accounting, the schema (DDL tables per file), the domain generators
 * (users, products, orders, jobs, cache entries, cable messages), and the two commands (init, run). */
#ifndef LITECON_LOAD_SCHEMA_H
#define LITECON_LOAD_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

/* ---- the four store files ---- */
enum { DB_MAIN, DB_QUEUE, DB_CACHE, DB_CABLE, DB_COUNT };
extern const char *const load_db_file[DB_COUNT];	/* "production.sqlite3", ... */
extern const char *const load_db_name[DB_COUNT];	/* "main", "queue", "cache", "cable" */

/* ---- options, filled by load.c from argv ---- */
struct load_opts {
	const char *dir;
	long orders;		/* init: orders to create */
	uint64_t seed;		/* init and run: PRNG seed */
	int force;		/* init: replace an existing store */
	int64_t now_s;		/* init: the clock, in Unix seconds (0 = the real clock) */
	double rate;		/* run: orders per second */
	double duration;	/* run: seconds, 0 = until stopped */
	long parent;		/* run: stop when this pid is gone (0 = none) */
	int quiet;		/* only errors and the summary */
};

/* ---- PRNG (splitmix64): deterministic for a seed; never rand() ---- */
struct rng { uint64_t s; };
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint32_t rng_below(struct rng *r, uint32_t n);		/* uniform in [0, n); 0 when n == 0 */
int rng_chance(struct rng *r, double p);		/* 1 with probability p */
double rng_unit(struct rng *r);				/* uniform in [0, 1) */
int rng_pick(struct rng *r, const unsigned *weights, int n);	/* index drawn by weight */

/* ---- time ---- */
#define US_PER_S INT64_C(1000000)
#define TIME_LEN 32
int64_t clock_us(void);				/* realtime, microseconds since the epoch */
double mono_s(void);				/* monotonic seconds */
void fmt_time(char out[TIME_LEN], int64_t us);	/* Rails: "YYYY-MM-DD HH:MM:SS.ffffff" UTC */
void fmt_iso(char out[TIME_LEN], int64_t us);	/* ActiveJob: "YYYY-MM-DDTHH:MM:SS.ffffffZ" */

/* ---- the store: one connection per file; errors are counted (run) or kept for the caller (init) ---- */
struct store {
	sqlite3 *db[DB_COUNT];
	struct rng rng;
	int report;		/* 1: print each SQLite error to stderr and count it (run); 0: keep it in err */
	long errors;		/* SQLite errors seen while report == 1 */
	char err[1024];		/* the last error, in words */
};

/* Open DIR/<file> read-write (creating it when create != 0). 0 or -1 with st->err. */
int db_open(struct store *st, const char *dir, int which, int create);
void db_close_all(struct store *st);
/* Record an SQLite failure on `which` while running `what` (SQL text or a step name): fills st->err and,
 * in report mode, prints it to stderr and counts it. Always returns -1. */
int db_fail(struct store *st, int which, const char *what);
/* Run SQL text (one or more statements, no rows wanted). 0 or -1. */
int db_exec(struct store *st, int which, const char *sql);
/* One integer from a query (NULL reads as 0). 0 or -1. */
int db_int(struct store *st, int which, const char *sql, int64_t *out);
int db_begin(struct store *st, int which);	/* BEGIN IMMEDIATE */
int db_commit(struct store *st, int which);
void db_rollback(struct store *st, int which);	/* quiet; safe when no transaction is open */

/* A prepared statement table: entry i of defs becomes out[i]. All or nothing. */
struct stmt_def { int db; const char *sql; };
int db_prepare_all(struct store *st, const struct stmt_def *defs, int n, sqlite3_stmt **out);
void db_finalize_all(sqlite3_stmt **s, int n);
/* Bind by a format string, one letter per parameter from 1: i = int64_t, d = double, t = const char * text
 * (NULL binds NULL), b = blob (const void *, int length), z = int64_t with 0 binding NULL, n = NULL (no
 * argument). Buffers must outlive the
 * step (bound SQLITE_STATIC). Then step to completion and reset. 0 or -1 (recorded with db_fail). */
int db_run(struct store *st, sqlite3_stmt *s, const char *fmt, ...);
/* Bind only (same letters); the caller steps and resets. 0 or -1. */
int db_bind(struct store *st, sqlite3_stmt *s, const char *fmt, ...);
/* The store index of a statement's connection. */
int db_which(const struct store *st, sqlite3_stmt *s);

/* ---- schema: DDL per file; tables first, indexes after the bulk load (init) ---- */
int schema_create_tables(struct store *st, int which);
int schema_create_indexes(struct store *st, int which);

/* ---- domain generators (gen.c): pure, no SQLite ---- */
enum { ST_PENDING, ST_PAID, ST_SHIPPED, ST_CANCELLED, ST_REFUNDED, ST_COUNT };
extern const char *const order_status[ST_COUNT];
#define MAX_ITEMS 4
struct order_gen {
	int64_t user_id;
	int n;				/* items, 1..MAX_ITEMS */
	int64_t product[MAX_ITEMS];	/* product ids, 1-based */
	int64_t qty[MAX_ITEMS];
	int64_t price[MAX_ITEMS];	/* unit price in cents */
	int64_t total;			/* cents */
};
/* prices[i] is the price in cents of product i + 1. */
void gen_order(struct rng *r, int64_t n_users, const int64_t *prices, int64_t n_products, struct order_gen *o);
int gen_status_for_age(struct rng *r, int64_t age_s);	/* an ST_ value, older orders mostly paid/shipped */
/* User `id`: display name (NULL for a few) and a unique email. */
void gen_user(struct rng *r, int64_t id, const char **name, char *email, size_t email_len);
void gen_product(struct rng *r, int64_t id, char *sku, size_t sku_len, char *name, size_t name_len,
		 int64_t *price_cents, int64_t *stock);
double cents_to_decimal(int64_t cents);
void gen_uuid(struct rng *r, char out[37]);
void gen_hex(struct rng *r, char *out, int nchars);
int64_t gen_hash64(const void *p, size_t n);	/* stands in for SHA-256's first 8 bytes as int64 */
/* The ActiveJob payload for a job about one record. scheduled_us == 0 means not scheduled. */
void gen_job_args(char *out, size_t len, const char *class_name, const char *queue, int priority,
		  const char *active_job_id, const char *model, int64_t record_id, int64_t enqueued_us,
		  int64_t scheduled_us);
/* A failed execution's error JSON for a job class. */
void gen_error_json(struct rng *r, const char *class_name, int64_t record_id, char *out, size_t len);
/* A Solid Cache key (text) and a value of random bytes (len set). */
void gen_cache_key(struct rng *r, char *out, size_t len);
void gen_cache_value(struct rng *r, unsigned char *out, size_t cap, size_t *len);
/* A Solid Cable channel and its broadcast payload. */
void gen_cable(struct rng *r, int64_t order_id, char *channel, size_t clen, char *payload, size_t plen);
/* JSON string body escaping (no quotes added). Truncates safely. */
void json_escape(const char *in, char *out, size_t len);

/* The jobs an order enqueues and the other job kinds, shared by init and run. */
struct job_kind { const char *class_name; const char *queue; int priority; const char *model; };
extern const struct job_kind job_order_kinds[];		/* index 0 always; one more at random */
extern const int job_order_kind_count;
extern const struct job_kind job_followup;		/* scheduled a little later */
extern const struct job_kind job_inventory;		/* concurrency-limited: blocked */
extern const struct job_kind job_report;		/* on the paused queue */
#define PAUSED_QUEUE "reports"

/* ---- commands ---- */
int load_init(const struct load_opts *o);	/* exit status */
int load_run(const struct load_opts *o);	/* exit status */
/* Seeding pieces used by load_init (seed.c, seedq.c). now_us is the store's "now". 0 or -1 with st->err. */
int seed_meta(struct store *st, int which, int64_t now_us);	/* schema_migrations, ar_internal_metadata */
int seed_main(struct store *st, long orders, int64_t now_us, int quiet);
int seed_queue(struct store *st, int64_t now_us);
int seed_cache(struct store *st, int64_t now_us);
int seed_cable(struct store *st, int64_t now_us);

/* ---- run internals (run.c, run_queue.c, run_sql.c) ---- */
enum run_stmt {
	R_ORDER, R_ITEM, R_USER, R_ADVANCE,				/* main */
	R_JOB, R_READY, R_SCHED, R_SEL_READY, R_DEL_READY, R_CLAIM,	/* queue */
	R_SEL_DONE, R_DEL_CLAIM, R_FINISH, R_FAIL, R_PROMOTE, R_PROMOTED, R_BEAT,
	R_CLEAN, R_TRIM_FAILED, R_DEPTH, R_SEL_BLOCKED, R_DEL_BLOCKED, R_BLOCK, R_SEM,
	R_CACHE_PUT, R_CACHE_DEL, R_CACHE_TRIM,				/* cache */
	R_CABLE_PUT, R_CABLE_TRIM,					/* cable */
	R_COUNT
};
extern const struct stmt_def run_stmt_defs[R_COUNT];

/* Counters a transaction stages; added to the totals only when it commits. */
struct run_counts {
	long orders, users, enqueued, finished, failed;
	int64_t ready;			/* change in ready depth (unpaused queues) */
	int64_t first_order;		/* first order id written by the main step */
};

struct runner {
	struct store *st;
	const struct load_opts *o;
	sqlite3_stmt *s[R_COUNT];
	double t0, elapsed, dt;		/* monotonic start, seconds since start, seconds since last tick */
	int64_t now;			/* realtime at this tick, microseconds */
	char t[TIME_LEN];		/* now, formatted */
	int64_t n_users, max_order, n_products, *prices;
	int64_t workers[2], live[8];
	int n_workers, n_live;
	int64_t ready_depth;
	double claim_credit, advance_credit;
	int64_t new_first;		/* orders committed by the last main step, for the queue step */
	long new_count;
	struct run_counts total, pending;
};
/* Steps, each run inside one transaction on its file (run_queue.c). 0 or -1. */
int run_queue_tick(struct runner *r);
int run_queue_second(struct runner *r);
int run_queue_blocked(struct runner *r);
int run_cache_tick(struct runner *r);
int run_cache_trim(struct runner *r);
int run_cable_tick(struct runner *r);
int run_cable_trim(struct runner *r);

#endif
