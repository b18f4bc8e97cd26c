/*
 * fuzz_proto.c: libFuzzer target for the frame codec (src/core/proto.c).
 * The input is a byte stream as it arrives from the other end: frames are
 * cut from it with proto_frame() and every payload is walked with the rd_*
 * cursor in the layout its type has (include/proto.h). Oracles besides
 * ASan/UBSan: proto_frame's answers agree with the bytes it was given,
 * and every value decoded re-encodes to the same bytes (proto_value).
 */
#include "proto.h"

#include <stdlib.h>
#include <string.h>

/* Payload layouts, one letter per field: 1 2 4 8 u8..u64, f f64, s str,
 * S a NUL-terminated copy, v value, d 32 raw bytes; '[' = a u16 count of
 * what follows to the end of the layout, '<' = a u32 count of values to
 * the end of the frame, '*' = the rest of the frame as raw bytes. */
static const struct {
	int type;
	const char *layout;
} layouts[] = {
	{ P_HELLO, "22S" }, { P_OPEN, "S4" }, { P_QUERY, "S4" }, { P_INSPECT, "S441" },
	{ P_BACKUP, "s4sfS1" }, { P_COLUMNS, "[S" }, { P_ROWS, "<" }, { P_DONE, "8" },
	{ P_ERROR, "1s" }, { P_END, "f" }, { P_DBS, "[SS" }, { P_SECTION, "SSS12[s" }, { P_LOG, "s" },
	{ P_STATUS, "1S" }, { P_BINFO, "44" }, { P_PAGES, "4*" }, { P_PROGRESS, "44" },
	{ P_BDONE, "444dflS" }, { P_ZPAGES, "4*" },
};

/* Decode one value, encode it again, and check the bytes agree. */
static void value_round_trip(rd *r)
{
	const uint8_t *start = r->p;
	lc_value v;
	if (rd_value(r, &v) < 0)
		return;
	buf b = { 0 };
	proto_value(&b, &v);
	size_t used = (size_t)(r->p - start);
	if (b.len != used || memcmp(b.p, start, used) != 0)
		abort();  /* a value that does not re-encode to itself */
	buf_free(&b);
}

static void field(rd *r, char c)
{
	const char *s;
	size_t n;
	switch (c) {
	case '1': rd_u8(r); break;
	case '2': rd_u16(r); break;
	case '4': rd_u32(r); break;
	case '8': case 'l': rd_u64(r); break;
	case 'f': rd_f64(r); break;
	case 's': rd_str(r, &s, &n); break;
	case 'S': free(rd_strdup(r)); break;
	case 'v': value_round_trip(r); break;
	case 'd': for (int i = 0; i < 32; i++) rd_u8(r); break;
	case '*': r->p += r->n, r->n = 0; break;
	}
}

static void walk(const char *layout, rd *r)
{
	for (const char *c = layout; *c && !r->bad; c++) {
		if (*c == '[') {
			unsigned n = rd_u16(r);
			for (unsigned i = 0; i < n && !r->bad; i++)
				walk(c + 1, r);
			return;
		}
		if (*c == '<') {
			rd_u32(r);
			while (r->n && !r->bad)
				value_round_trip(r);
			return;
		}
		field(r, *c);
	}
}

static void payload(const frame *f)
{
	rd r = rd_of(f);
	const char *layout = "vvvv";  /* an unknown type: read it as values */
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		if (layouts[i].type == f->type)
			layout = layouts[i].layout;
	walk(layout, &r);
	if (!r.bad && r.n > f->n)
		abort();  /* the cursor cannot grow */
	(void)proto_name(f->type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	while (off < size) {
		frame f;
		size_t used = 0, need = 0;
		lc_err e = { 0 };
		int rc = proto_frame(data + off, size - off, &f, &used, &need, &e);
		if (rc < 0 && !e.msg[0])
			abort();  /* a refusal always says why */
		if (rc == 0 && need && need <= size - off)
			abort();  /* "need more" for bytes that are there */
		if (rc <= 0)
			break;
		if (used < PROTO_HEADER || used > size - off || f.n != used - PROTO_HEADER)
			abort();
		payload(&f);
		off += used;
	}
	return 0;
}
