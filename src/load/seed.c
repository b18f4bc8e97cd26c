/* seed.c (litecon-load): init's bulk load of the main database (users, products, orders with their items)
 * and of every file's Rails bookkeeping tables. Orders are written in batches of BATCH per transaction
 * with prepared statements; created_at rises with id over the last 30 days, the newest about "now". */
#include "load_schema.h"

#include <stdio.h>

#define BATCH 50000
#define N_PRODUCTS 200
#define DAY_US (86400 * US_PER_S)

enum { S_USER, S_PRODUCT, S_ORDER, S_ITEM, S_N };
static const struct stmt_def main_defs[S_N] = {
	{ DB_MAIN, "INSERT INTO users (email, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)" },
	{ DB_MAIN, "INSERT INTO products (sku, name, price, stock, created_at, updated_at) "
		   "VALUES (?1, ?2, ?3, ?4, ?5, ?5)" },
	{ DB_MAIN, "INSERT INTO orders (user_id, status, total, currency, created_at, updated_at) "
		   "VALUES (?1, ?2, ?3, 'EUR', ?4, ?5)" },
	{ DB_MAIN, "INSERT INTO order_items (order_id, product_id, quantity, unit_price, created_at, updated_at) "
		   "VALUES (?1, ?2, ?3, ?4, ?5, ?5)" },
};

struct seedm {
	struct store *st;
	sqlite3_stmt *s[S_N];
	int64_t now;
	int64_t n_users;
	int64_t prices[N_PRODUCTS];
};

/* The migrations each file's schema_migrations lists (Rails records schema.rb's version on load). */
static const struct { int db; const char *version; } migrations[] = {
	{ DB_MAIN, "20250110090000" }, { DB_MAIN, "20250110090100" }, { DB_MAIN, "20250110090200" },
	{ DB_MAIN, "20250110090300" }, { DB_MAIN, "20250214101500" },
	{ DB_QUEUE, "20240904193154" }, { DB_CACHE, "1" }, { DB_CABLE, "1" },
};

int seed_meta(struct store *st, int which, int64_t now_us)
{
	static const struct stmt_def defs[2] = {
		{ 0, "INSERT INTO schema_migrations (version) VALUES (?1)" },
		{ 0, "INSERT INTO ar_internal_metadata (key, value, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)" },
	};
	struct stmt_def d[2] = { { which, defs[0].sql }, { which, defs[1].sql } };
	sqlite3_stmt *s[2];
	char t[TIME_LEN];
	size_t i;
	int rc = -1;

	if (db_prepare_all(st, d, 2, s) != 0)
		return -1;
	fmt_time(t, now_us);
	for (i = 0; i < sizeof migrations / sizeof migrations[0]; i++)
		if (migrations[i].db == which && db_run(st, s[0], "t", migrations[i].version) != 0)
			goto out;
	if (db_run(st, s[1], "ttt", "environment", "production", t) != 0)
		goto out;
	rc = 0;
out:
	db_finalize_all(s, 2);
	return rc;
}

static int seed_users(struct seedm *m)
{
	int64_t base = m->now - 120 * DAY_US, span = 89 * DAY_US, id;
	char email[96], t[TIME_LEN];
	const char *name;

	for (id = 1; id <= m->n_users; id++) {
		gen_user(&m->st->rng, id, &name, email, sizeof email);
		fmt_time(t, base + span / m->n_users * (id - 1) + (int64_t)rng_below(&m->st->rng, 1000000));
		if (db_run(m->st, m->s[S_USER], "ttt", email, name, t) != 0)
			return -1;
	}
	return 0;
}

static int seed_products(struct seedm *m)
{
	char sku[32], name[96], t[TIME_LEN];
	int64_t id, stock;

	fmt_time(t, m->now - 180 * DAY_US);
	for (id = 1; id <= N_PRODUCTS; id++) {
		gen_product(&m->st->rng, id, sku, sizeof sku, name, sizeof name, &m->prices[id - 1], &stock);
		if (db_run(m->st, m->s[S_PRODUCT], "ttdit", sku, name, cents_to_decimal(m->prices[id - 1]), stock, t) != 0)
			return -1;
	}
	return 0;
}

/* One order and its items at time `at` (microseconds). */
static int seed_order(struct seedm *m, int64_t at)
{
	struct order_gen o;
	char created[TIME_LEN], updated[TIME_LEN];
	int64_t age_s = (m->now - at) / US_PER_S, upd = at, oid;
	int status, i;

	gen_order(&m->st->rng, m->n_users, m->prices, N_PRODUCTS, &o);
	status = gen_status_for_age(&m->st->rng, age_s);
	if (status != ST_PENDING)
		upd = at + (int64_t)(rng_unit(&m->st->rng) * (double)(m->now - at < 2 * DAY_US ? m->now - at : 2 * DAY_US));
	fmt_time(created, at);
	fmt_time(updated, upd);
	if (db_run(m->st, m->s[S_ORDER], "itdtt", o.user_id, order_status[status], cents_to_decimal(o.total),
		   created, updated) != 0)
		return -1;
	oid = sqlite3_last_insert_rowid(m->st->db[DB_MAIN]);
	for (i = 0; i < o.n; i++)
		if (db_run(m->st, m->s[S_ITEM], "iiidt", oid, o.product[i], o.qty[i], cents_to_decimal(o.price[i]),
			   created) != 0)
			return -1;
	return 0;
}

static int seed_orders(struct seedm *m, long n, int quiet)
{
	int64_t start = m->now - 30 * DAY_US, step = n > 0 ? 30 * DAY_US / n : 0;
	int64_t jitter = step < 10 * US_PER_S ? step : 10 * US_PER_S;	/* each order in its own slot: ids rise with time */
	long i;

	for (i = 0; i < n; i++) {
		if (i % BATCH == 0 && i > 0 && db_commit(m->st, DB_MAIN) != 0)
			return -1;
		if (i % BATCH == 0 && db_begin(m->st, DB_MAIN) != 0)
			return -1;
		if (seed_order(m, start + step * (i + 1) - (int64_t)(rng_unit(&m->st->rng) * (double)jitter)) != 0)
			return -1;
		if (!quiet && (i + 1) % (BATCH * 4) == 0)
			fprintf(stderr, "litecon-load: init: %ld of %ld orders\n", i + 1, n);
	}
	return n > 0 ? db_commit(m->st, DB_MAIN) : 0;
}

int seed_main(struct store *st, long orders, int64_t now_us, int quiet)
{
	struct seedm m = { .st = st, .now = now_us };
	int rc = -1;

	m.n_users = orders / 20 > 100 ? orders / 20 : 100;
	if (db_prepare_all(st, main_defs, S_N, m.s) != 0)
		return -1;
	if (db_begin(st, DB_MAIN) != 0 || seed_users(&m) != 0 || seed_products(&m) != 0 ||
	    db_commit(st, DB_MAIN) != 0)
		goto out;
	if (seed_orders(&m, orders, quiet) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		db_rollback(st, DB_MAIN);
	db_finalize_all(m.s, S_N);
	return rc;
}
