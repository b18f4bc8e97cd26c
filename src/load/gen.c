/* gen.c (litecon-load): the demo shop's content, drawn from the PRNG: people (with non-ASCII names so the
 * store exercises UTF-8), products, orders and their items, order statuses by age, ActiveJob payloads,
 * failure JSON, Solid Cache entries and Solid Cable broadcasts. Pure functions of the PRNG; no SQLite. */
#include "load_schema.h"

#include <stdio.h>
#include <string.h>

struct word { const char *text; const char *slug; };

static const struct word first_names[] = {
	{ "Amélie", "amelie" }, { "Jürgen", "juergen" }, { "Zoë", "zoe" }, { "François", "francois" },
	{ "Søren", "soren" }, { "Łukasz", "lukasz" }, { "José", "jose" }, { "Björn", "bjorn" },
	{ "Anna", "anna" }, { "Liam", "liam" }, { "Olivia", "olivia" }, { "Noah", "noah" },
	{ "Emma", "emma" }, { "Lucas", "lucas" }, { "Mia", "mia" }, { "Hugo", "hugo" },
	{ "Chloé", "chloe" }, { "Mateo", "mateo" }, { "Inês", "ines" }, { "Priya", "priya" },
};
static const struct word last_names[] = {
	{ "Müller", "mueller" }, { "Dubois", "dubois" }, { "García", "garcia" }, { "Nowak", "nowak" },
	{ "Rossi", "rossi" }, { "Smith", "smith" }, { "Jensen", "jensen" }, { "Öztürk", "ozturk" },
	{ "Lefèvre", "lefevre" }, { "Svensson", "svensson" }, { "Kowalski", "kowalski" }, { "Silva", "silva" },
	{ "O'Brien", "obrien" }, { "Nguyen", "nguyen" }, { "Schäfer", "schaefer" }, { "Peña", "pena" },
};
static const struct word japanese_names[] = {
	{ "山田 太郎", "yamada.taro" }, { "佐藤 花子", "sato.hanako" }, { "日本 一郎", "nihon.ichiro" },
	{ "鈴木 健", "suzuki.ken" }, { "高橋 美咲", "takahashi.misaki" },
};
#define N_OF(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* "First Last" for every pair, built once (names must outlive the insert that binds them). */
static char full_names[N_OF(first_names) * N_OF(last_names)][48];

static const char *full_name(uint32_t f, uint32_t l)
{
	char *p = full_names[f * N_OF(last_names) + l];

	if (!p[0])
		snprintf(p, 48, "%s %s", first_names[f].text, last_names[l].text);
	return p;
}

void gen_user(struct rng *r, int64_t id, const char **name, char *email, size_t email_len)
{
	uint32_t kind = rng_below(r, 100), f, l;

	if (kind < 5) {
		const struct word *w = &japanese_names[rng_below(r, N_OF(japanese_names))];

		*name = w->text;
		snprintf(email, email_len, "%s%lld@example.jp", w->slug, (long long)id);
		return;
	}
	f = rng_below(r, N_OF(first_names));
	l = rng_below(r, N_OF(last_names));
	*name = kind < 7 ? NULL : full_name(f, l);
	snprintf(email, email_len, "%s.%s%lld@example.com", first_names[f].slug, last_names[l].slug, (long long)id);
}

static const char *const adjectives[] = { "Ergonomic", "Rustic", "Sleek", "Handmade", "Organic", "Vintage",
					  "Compact", "Deluxe", "Recycled", "Heavy Duty" };
static const char *const materials[] = { "Steel", "Wooden", "Cotton", "Leather", "Granite", "Bamboo",
					 "Ceramic", "Wool", "Linen", "Copper" };
static const char *const nouns[] = { "Chair", "Lamp", "Mug", "Backpack", "Notebook", "Kettle", "Scarf",
				     "Clock", "Bottle", "Desk Organizer", "Teapot", "Bowl" };
static const char *const special_products[] = { "Crème Brûlée Torch", "Café au Lait Bowl", "Smörgåsbord Board",
						"Matcha 抹茶 Whisk", "Piñata Kit", "Jalapeño Sauce \"Extra Hot\"",
						"Über-Soft Towel", "Daruma だるま Doll" };

void gen_product(struct rng *r, int64_t id, char *sku, size_t sku_len, char *name, size_t name_len,
		 int64_t *price_cents, int64_t *stock)
{
	static const int64_t endings[] = { 99, 49, 0, 95 };

	snprintf(sku, sku_len, "SKU-%05lld", (long long)id);
	if (id % 25 == 7)
		snprintf(name, name_len, "%s", special_products[(id / 25) % N_OF(special_products)]);
	else
		snprintf(name, name_len, "%s %s %s", adjectives[rng_below(r, N_OF(adjectives))],
			 materials[rng_below(r, N_OF(materials))], nouns[rng_below(r, N_OF(nouns))]);
	*price_cents = (int64_t)(1 + rng_below(r, 250)) * 100 + endings[rng_below(r, N_OF(endings))];
	*stock = rng_below(r, 500);
}

const char *const order_status[ST_COUNT] = { "pending", "paid", "shipped", "cancelled", "refunded" };

/* Status mix by order age: older orders are mostly paid or shipped. First row whose age fits wins. */
static const struct {
	int64_t min_age_s;
	unsigned w[ST_COUNT];
} status_mix[] = {
	{ 3 * 86400, { 0, 14, 76, 6, 4 } },
	{ 86400, { 4, 40, 46, 7, 3 } },
	{ 3600, { 30, 52, 10, 7, 1 } },
	{ 0, { 62, 33, 0, 5, 0 } },
};

int gen_status_for_age(struct rng *r, int64_t age_s)
{
	size_t i;

	for (i = 0; i + 1 < sizeof status_mix / sizeof status_mix[0]; i++)
		if (age_s >= status_mix[i].min_age_s)
			break;
	return rng_pick(r, status_mix[i].w, ST_COUNT);
}

void gen_order(struct rng *r, int64_t n_users, const int64_t *prices, int64_t n_products, struct order_gen *o)
{
	static const unsigned item_weights[MAX_ITEMS] = { 40, 30, 20, 10 };
	static const unsigned qty_weights[3] = { 70, 22, 8 };
	int i;

	o->user_id = 1 + (int64_t)rng_below(r, (uint32_t)n_users);
	o->n = 1 + rng_pick(r, item_weights, MAX_ITEMS);
	o->total = 0;
	for (i = 0; i < o->n; i++) {
		o->product[i] = 1 + (int64_t)rng_below(r, (uint32_t)n_products);
		o->qty[i] = 1 + rng_pick(r, qty_weights, 3);
		o->price[i] = prices[o->product[i] - 1];
		o->total += o->qty[i] * o->price[i];
	}
}

double cents_to_decimal(int64_t cents)
{
	return (double)cents / 100.0;
}

void gen_hex(struct rng *r, char *out, int nchars)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t v = 0;
	int i;

	for (i = 0; i < nchars; i++) {
		if (i % 16 == 0)
			v = rng_next(r);
		out[i] = hex[v & 15];
		v >>= 4;
	}
	out[nchars] = '\0';
}

void gen_uuid(struct rng *r, char out[37])
{
	char h[33];

	gen_hex(r, h, 32);
	h[12] = '4';				/* version 4 */
	h[16] = "89ab"[h[16] % 4];		/* variant 10xx */
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

int64_t gen_hash64(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	h ^= h >> 29;
	return (int64_t)h;
}

void json_escape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 7 < len; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)snprintf(out + o, len - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}
