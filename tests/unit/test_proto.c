/*
 * test_proto.c: the frame codec: round trips of every field and value
 * type, and a deterministic random walk of hostile bytes through the
 * decoder (run under ASan+UBSan by make check): it must never read out of
 * bounds, only say "bad".
 */
#include "proto.h"
#include "unit.h"

#include <stdlib.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static void round_trip(void)
{
	buf b = { 0 };
	lc_value in[] = { { .type = LC_NULL }, { .type = LC_INT, .i = -9223372036854775807LL - 1 },
			  { .type = LC_REAL, .r = 0.1 }, { .type = LC_TEXT, .p = "日本", .n = 6 },
			  { .type = LC_BLOB, .p = "\0\1\2", .n = 3 } };
	size_t at = proto_begin(&b, P_ROWS, 77);
	proto_u32(&b, 1);
	for (int i = 0; i < 5; i++)
		proto_value(&b, &in[i]);
	proto_cstr(&b, "end");
	proto_end(&b, at);
	frame f;
	size_t used, need;
	lc_err e;
	CHECK(proto_frame((uint8_t *)b.p, b.len, &f, &used, &need, &e) == 1 && used == b.len && f.type == P_ROWS && f.id == 77,
	      "a frame is found whole");
	CHECK(proto_frame((uint8_t *)b.p, b.len - 1, &f, &used, &need, &e) == 0 && need == b.len, "a short buffer asks for more");
	rd r = rd_of(&f);
	lc_value v;
	int same = rd_u32(&r) == 1;
	for (int i = 0; i < 5 && same; i++)
		same = rd_value(&r, &v) == 0 && v.type == in[i].type && v.i == in[i].i &&
		       (v.type != LC_REAL || v.r == in[i].r) && v.n == in[i].n && (!v.n || !memcmp(v.p, in[i].p, v.n));
	char *s = rd_strdup(&r);
	CHECK(same && s && !strcmp(s, "end") && r.n == 0 && !r.bad, "every value type round-trips");
	free(s);
	rd_u8(&r);
	CHECK(r.bad, "reading past the end marks the cursor bad");
	buf_free(&b);
}

static void hostile(void)
{
	uint8_t bytes[512];
	int crashes_would_show_under_asan = 1, bad_lengths = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = next() % sizeof bytes;
		for (size_t i = 0; i < n; i++)
			bytes[i] = (uint8_t)next();
		if (n >= 4 && round % 3 == 0) {  /* a plausible length so the body gets decoded */
			uint32_t len = (uint32_t)(n - 4);
			bytes[0] = (uint8_t)(len >> 24), bytes[1] = (uint8_t)(len >> 16), bytes[2] = (uint8_t)(len >> 8), bytes[3] = (uint8_t)len;
		}
		frame f;
		size_t used, need;
		lc_err e;
		int rc = proto_frame(bytes, n, &f, &used, &need, &e);
		bad_lengths += rc < 0;
		if (rc != 1)
			continue;
		rd r = rd_of(&f);
		lc_value v;
		const char *s;
		size_t sn;
		while (!r.bad) {
			switch (next() % 4) {
			case 0: rd_value(&r, &v); break;
			case 1: rd_str(&r, &s, &sn); break;
			case 2: free(rd_strdup(&r)); break;
			default: rd_u64(&r);
			}
		}
	}
	CHECK(crashes_would_show_under_asan && bad_lengths > 0, "20000 hostile buffers: decoded within bounds, bad lengths refused");
	uint8_t huge[9] = { 0x7f, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0 };
	frame f;
	size_t used, need;
	lc_err e = { 0 };
	CHECK(proto_frame(huge, sizeof huge, &f, &used, &need, &e) < 0 && strstr(e.msg, "cannot be right"),
	      "a 2 GiB length is refused before any allocation");
}

void test_proto(void)
{
	round_trip();
	hostile();
}
