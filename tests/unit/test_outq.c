/*
 * test_outq.c: the helper's output queue (src/agent/outq.c) writing into a
 * file: frames come out in the order they were queued, whether queued or
 * written directly; a page payload comes out as one ZPAGES frame whose
 * bytes are one whole zstd frame of exactly raw_len bytes; a queue smaller
 * than one item still moves (the producer waits, nothing deadlocks).
 */
#define _GNU_SOURCE
#include "outq.h"
#include "proto.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zstd.h>

/* A PAGES payload of n pages of 4 KiB that compress well but not to nothing. */
static void payload(buf *raw, uint32_t n)
{
	uint8_t page[4096];
	proto_u32(raw, n);
	for (uint32_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof page; k++)
			page[k] = (uint8_t)((k * 7 + i) % 61 + (k % 512 == 0 ? i : 0));
		proto_u32(raw, i + 1);
		buf_add(raw, page, sizeof page);
	}
}

static void frame_of(buf *b, int type, uint32_t id, const char *text)
{
	size_t at = proto_begin(b, type, id);
	proto_cstr(b, text);
	proto_end(b, at);
}

/* Read back what fd got; check the order and the ZPAGES frame. */
static void check_output(FILE *fp, const buf *want_raw, const char *name)
{
	buf all = { 0 };
	char chunk[65536];
	size_t k;
	rewind(fp);
	while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&all, chunk, k);
	const int want[] = { P_PROGRESS, P_ZPAGES, P_END, P_STATUS };
	int order_ok = 1, whole = 0;
	size_t at = 0, used = 0, need = 0;
	frame f;
	lc_err e;
	for (int i = 0; i < 4; i++, at += used) {
		if (proto_frame((const uint8_t *)all.p + at, all.len - at, &f, &used, &need, &e) != 1 || f.type != want[i]) {
			order_ok = 0;
			break;
		}
		if (f.type != P_ZPAGES)
			continue;
		rd r = rd_of(&f);
		uint32_t raw_len = rd_u32(&r);
		unsigned long long content = ZSTD_getFrameContentSize(r.p, r.n);
		size_t csize = ZSTD_findFrameCompressedSize(r.p, r.n);
		uint8_t *out = malloc(raw_len + 1);
		size_t got = ZSTD_decompress(out, raw_len, r.p, r.n);
		whole = raw_len == want_raw->len && content == raw_len && csize == r.n && got == raw_len &&
			!memcmp(out, want_raw->p, raw_len) && r.n < raw_len / 2;
		free(out);
	}
	CHECK(order_ok && at == all.len, name);
	CHECK(whole, "a page payload goes out as one ZPAGES frame: one whole zstd frame, exactly raw_len bytes");
	buf_free(&all);
}

static void run(size_t max, const char *name)
{
	FILE *fp = tmpfile();
	outq *q = outq_start(fileno(fp), max);
	buf b = { 0 }, raw = { 0 }, want = { 0 };
	frame_of(&b, P_PROGRESS, 5, "first");
	outq_put(q, &b);
	payload(&raw, 200);
	buf_add(&want, raw.p, raw.len);
	outq_zpages(q, 5, &raw);
	CHECK(raw.len == 0 && b.len == 0, "outq takes the memory of what it queues");
	frame_of(&b, P_END, 5, "after the pages");
	outq_put(q, &b);
	frame_of(&b, P_STATUS, 0, "written directly, after the queue");
	outq_write(q, b.p, b.len);
	outq_drain(q);
	CHECK(!outq_zfailed(q), "no payload failed to compress");
	outq_stop(q);
	check_output(fp, &want, name);
	fclose(fp);
	buf_free(&b), buf_free(&raw), buf_free(&want);
}

void test_outq(void)
{
	run(32u << 20, "frames come out in the order given (queued, compressed, written directly)");
	run(1, "a queue smaller than one item: the producer waits, the order holds");
}
