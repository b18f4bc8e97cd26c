/*
 * proto.c: encode and decode frames. Decoding is defensive: lengths are
 * checked against what is there before anything is read, and a bad frame
 * is one sentence, never a crash (tests/unit/test_proto.c throws 20000
 * hostile buffers at it under ASan).
 */
#include "proto.h"

#include <string.h>

static const struct {
	int type;
	const char *name;
} names[] = {
	{ P_HELLO, "HELLO" }, { P_OPEN, "OPEN" }, { P_QUERY, "QUERY" }, { P_INSPECT, "INSPECT" },
	{ P_CANCEL, "CANCEL" }, { P_BYE, "BYE" }, { P_COLUMNS, "COLUMNS" }, { P_ROWS, "ROWS" },
	{ P_DONE, "DONE" }, { P_ERROR, "ERROR" }, { P_END, "END" }, { P_DBS, "DBS" },
	{ P_SECTION, "SECTION" }, { P_LOG, "LOG" }, { P_STATUS, "STATUS" }, { P_BACKUP, "BACKUP" },
	{ P_BINFO, "BINFO" }, { P_PAGES, "PAGES" }, { P_PROGRESS, "PROGRESS" }, { P_BDONE, "BDONE" },
	{ P_ZPAGES, "ZPAGES" }, { P_KEEP, "KEEP" },
};

const char *proto_name(int type)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].type == type)
			return names[i].name;
	return "unknown";
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int proto_frame(const uint8_t *in, size_t n, frame *f, size_t *used, size_t *need, lc_err *e)
{
	if (need)
		*need = 0;
	if (n < 4)
		return 0;
	uint32_t len = be32(in);
	if (len < 5 || len > PROTO_MAX_FRAME)
		return lc_err_set(e, LC_ECONNECT, "the helper sent a frame of %u bytes, which cannot be right", len);
	if (need)
		*need = (size_t)len + 4;
	if (n < (size_t)len + 4)
		return 0;
	f->type = in[4];
	f->id = be32(in + 5);
	f->p = in + PROTO_HEADER;
	f->n = len - 5;
	*used = (size_t)len + 4;
	return 1;
}

size_t proto_begin(buf *b, int type, uint32_t id)
{
	size_t at = b->len;
	proto_u32(b, 0);
	proto_u8(b, (unsigned)type);
	proto_u32(b, id);
	return at;
}

void proto_end(buf *b, size_t at)
{
	uint32_t len = (uint32_t)(b->len - at - 4);
	uint8_t *p = (uint8_t *)b->p + at;
	p[0] = (uint8_t)(len >> 24), p[1] = (uint8_t)(len >> 16), p[2] = (uint8_t)(len >> 8), p[3] = (uint8_t)len;
}

void proto_u8(buf *b, unsigned v)
{
	uint8_t c = (uint8_t)v;
	buf_add(b, &c, 1);
}

void proto_u16(buf *b, unsigned v)
{
	uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	buf_add(b, p, 2);
}

void proto_u32(buf *b, uint32_t v)
{
	uint8_t p[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	buf_add(b, p, 4);
}

void proto_u64(buf *b, uint64_t v)
{
	proto_u32(b, (uint32_t)(v >> 32));
	proto_u32(b, (uint32_t)v);
}

void proto_f64(buf *b, double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	proto_u64(b, u);
}

void proto_str(buf *b, const char *s, size_t n)
{
	proto_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

void proto_cstr(buf *b, const char *s)
{
	proto_str(b, s ? s : "", s ? strlen(s) : 0);
}

void proto_value(buf *b, const lc_value *v)
{
	proto_u8(b, (unsigned)v->type);
	switch (v->type) {
	case LC_INT:
		proto_u64(b, (uint64_t)v->i);
		break;
	case LC_REAL:
		proto_f64(b, v->r);
		break;
	case LC_TEXT:
	case LC_BLOB:
		proto_str(b, v->p, v->n);
		break;
	}
}

static const uint8_t *take(rd *r, size_t k)
{
	if (r->bad || r->n < k) {
		r->bad = 1;
		return NULL;
	}
	const uint8_t *p = r->p;
	r->p += k;
	r->n -= k;
	return p;
}

unsigned rd_u8(rd *r)
{
	const uint8_t *p = take(r, 1);
	return p ? p[0] : 0;
}

unsigned rd_u16(rd *r)
{
	const uint8_t *p = take(r, 2);
	return p ? (unsigned)p[0] << 8 | p[1] : 0;
}

uint32_t rd_u32(rd *r)
{
	const uint8_t *p = take(r, 4);
	return p ? be32(p) : 0;
}

uint64_t rd_u64(rd *r)
{
	uint64_t hi = rd_u32(r);
	return hi << 32 | rd_u32(r);
}

double rd_f64(rd *r)
{
	uint64_t u = rd_u64(r);
	double v;
	memcpy(&v, &u, sizeof v);
	return v;
}

void rd_str(rd *r, const char **s, size_t *n)
{
	uint32_t len = rd_u32(r);
	const uint8_t *p = take(r, len);
	*s = p ? (const char *)p : "";
	*n = p ? len : 0;
}

char *rd_strdup(rd *r)
{
	const char *s;
	size_t n;
	rd_str(r, &s, &n);
	return r->bad ? NULL : xstrndup(s, n);
}

int rd_value(rd *r, lc_value *v)
{
	*v = (lc_value){ .type = (int)rd_u8(r) };
	switch (v->type) {
	case LC_NULL:
		break;
	case LC_INT:
		v->i = (int64_t)rd_u64(r);
		break;
	case LC_REAL:
		v->r = rd_f64(r);
		break;
	case LC_TEXT:
	case LC_BLOB:
		rd_str(r, &v->p, &v->n);
		break;
	default:
		r->bad = 1;
	}
	return r->bad ? -1 : 0;
}
