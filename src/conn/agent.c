/*
 * agent.c: the agent conn implementation: the same conn_ops as local, but
 * every request crosses a stream as frames to a litecon-agent (over SSH, or
 * a pipe). Ctrl-C during a request sends CANCEL; the request then ends with
 * LC_ECANCEL once the helper confirms. A hostile or broken helper gets one
 * sentence (exit 4), never a crash: every frame is decoded with bounds.
 */
#define _GNU_SOURCE
#include "conn.h"
#include "proto.h"
#include "stream.h"
#include "textesc.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

typedef struct aconn {
	conn base;          /* must be first */
	lc_stream *st;      /* owned */
	buf in;             /* received bytes */
	size_t off;         /* start of unread bytes in in */
	uint32_t next_id;
	int timeout_ms;
	int ndb;
	char **schema, **path;  /* owned */
	int dead;           /* the transport failed: refuse further requests */
	int cancelled;      /* a CANCEL was sent for the request in progress */
	int start_ms;       /* while starting: how long to wait for HELLO */
	unsigned minor;     /* the helper's protocol minor version */
} aconn;

static int lost(aconn *a, lc_err *e, const char *what_)
{
	const char *err = a->st->errtext(a->st);
	char what[LC_ERRLEN];
	buf b = { 0 };
	snprintf(what, sizeof what, "%s", what_);  /* what_ may be e->msg */
	a->dead = 1;
	esc_display(&b, err, strlen(err), 0);
	lc_err_set(e, LC_ECONNECT, "%s%s%s", what, b.len ? "; the helper said: " : "", b.len ? b.p : "");
	buf_free(&b);
	return -1;
}

static int send_buf(aconn *a, buf *b, lc_err *e)
{
	int rc = a->st->write(a->st, b->p, b->len, e);
	buf_free(b);
	if (rc < 0)
		a->dead = 1;
	return rc;
}

static int send_cancel(aconn *a, uint32_t id, lc_err *e)
{
	buf b = { 0 };
	proto_end(&b, proto_begin(&b, P_CANCEL, id));
	a->cancelled = 1;
	conn_interrupt_reset();  /* reported when the request ends */
	return send_buf(a, &b, e);
}

static void show_log(const frame *f)
{
	rd r = rd_of(f);
	const char *s;
	size_t n;
	buf b = { 0 };
	rd_str(&r, &s, &n);
	esc_display(&b, s, n, 0);
	fprintf(stderr, "litecon: the helper says: %s\n", b.p ? b.p : "");
	buf_free(&b);
}

/* e from text the helper sent (fmt has one %s for it): escaped here, as
 * data is, because callers print messages as they are; a hostile helper's
 * STATUS once wrote an OSC 52 clipboard sequence to the terminal. */
static int helper_error(lc_err *e, int code, const char *fmt, const char *s, size_t n)
{
	buf b = { 0 };
	esc_display(&b, s, n < 900 ? n : 900, 0);
	lc_err_set(e, code, fmt, b.p ? b.p : "");
	buf_free(&b);
	return -1;
}

/* Read more bytes; -1 with e when the stream ended or failed. */
static int more(aconn *a, uint32_t id, lc_err *e)
{
	char tmp[65536];
	int wait = a->start_ms ? a->start_ms : a->timeout_ms > 0 ? a->timeout_ms + 30000 : -1;
	for (;;) {
		ssize_t n = a->st->read(a->st, tmp, sizeof tmp, wait, e);
		if (n > 0) {
			/* Drop what was consumed, so the buffer holds at most one frame
			 * plus one read, whatever the size of the result. */
			if (a->off) {
				memmove(a->in.p, a->in.p + a->off, a->in.len - a->off);
				a->in.len -= a->off;
				a->off = 0;
			}
			buf_add(&a->in, tmp, (size_t)n);
			return 0;
		}
		if (n == STREAM_INTR && id && !a->cancelled) {
			if (send_cancel(a, id, e) < 0)
				return -1;
			continue;
		}
		if (n == STREAM_INTR)
			continue;
		if (n == STREAM_TIMEOUT)
			return lost(a, e, "the helper stopped answering");
		return lost(a, e, n == STREAM_EOF ? "the connection to the helper closed" : e->msg);
	}
}

/* The next frame of request id (LOG frames are shown, stale frames of
 * earlier requests skipped). The frame points into a->in until the next call. */
static int recv_frame(aconn *a, uint32_t id, frame *f, lc_err *e)
{
	for (;;) {
		size_t used;
		int rc = proto_frame((uint8_t *)a->in.p + a->off, a->in.len - a->off, f, &used, NULL, e);
		if (rc < 0)
			return lost(a, e, e->msg);
		if (rc == 0) {
			if (more(a, id, e) < 0)
				return -1;
			continue;
		}
		a->off += used;
		if (f->type == P_LOG) {
			show_log(f);
		} else if (f->type == P_STATUS) {
			rd r = rd_of(f);
			const char *s;
			size_t n;
			rd_u8(&r);
			rd_str(&r, &s, &n);
			helper_error(e, LC_ECONNECT, "the helper exited (%s)", n && !r.bad ? s : "no reason given",
				     n && !r.bad ? n : 15);
			a->dead = 1;
			return -1;
		} else if (f->id == id) {
			return 0;
		}
	}
}

static int bad_frame(aconn *a, const frame *f, lc_err *e)
{
	char what[128];
	snprintf(what, sizeof what, "the helper sent a malformed or unexpected %s frame", proto_name(f->type));
	return lost(a, e, what);
}

/* ERROR frame -> e. */
static int remote_error(const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	unsigned code = rd_u8(&r);
	const char *s;
	size_t n;
	rd_str(&r, &s, &n);
	n = strnlen(s, n);  /* SQLite's messages hold no NUL */
	if (r.bad || n == 0)  /* an ERROR must say why (a cut one gave an empty message) */
		return lc_err_set(e, LC_ECONNECT, "the helper sent a malformed ERROR frame");
	if (code == 0 || code > 255)
		code = LC_ESQL;
	return helper_error(e, (int)code, "%s", s, n);
}

/* ---- QUERY ---- */

typedef struct qstate {
	const lc_sink *k;
	void *ctx;
	int ncol;
	lc_value *vals;
	int stopped;       /* the sink asked to stop; CANCEL sent */
	int open;          /* between COLUMNS and DONE: the sink's begin ran, its end not yet */
} qstate;

static int on_columns(aconn *a, qstate *q, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	int n = (int)rd_u16(&r);
	const char **names = xcalloc((size_t)n + 1, sizeof *names);
	char **copies = xcalloc((size_t)n + 1, sizeof *copies);
	int rc = 0;
	for (int i = 0; i < n; i++)
		names[i] = copies[i] = rd_strdup(&r);
	if (r.bad || n == 0 || q->open) {
		rc = bad_frame(a, f, e);
	} else {
		q->open = 1;
		q->ncol = n;
		q->vals = xrealloc(q->vals, sizeof *q->vals * (size_t)n);
		if (!q->stopped && q->k->begin && q->k->begin(q->ctx, n, names))
			q->stopped = 1;
	}
	for (int i = 0; i < n; i++)
		free(copies[i]);
	free(copies);
	free(names);
	return rc;
}

static int on_rows(aconn *a, qstate *q, uint32_t id, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	uint32_t nrows = rd_u32(&r);
	if (q->ncol <= 0 || !q->open)  /* rows belong to an open statement */
		return bad_frame(a, f, e);
	for (uint32_t i = 0; i < nrows; i++) {
		for (int c = 0; c < q->ncol; c++)
			if (rd_value(&r, &q->vals[c]) < 0)
				return bad_frame(a, f, e);
		if (q->stopped || !q->k->row)
			continue;
		if (q->k->row(q->ctx, q->ncol, q->vals)) {
			q->stopped = 1;
			if (!a->cancelled && send_cancel(a, id, e) < 0)
				return -1;
		}
	}
	return r.n ? bad_frame(a, f, e) : 0;
}

/* DONE ends the statement its COLUMNS began. */
static int on_done(aconn *a, qstate *q, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	if (!q->open)  /* the sink's end would run without its begin */
		return bad_frame(a, f, e);
	q->open = 0;
	if (!q->stopped && q->k->end && q->k->end(q->ctx, (long long)rd_u64(&r)))
		q->stopped = 1;
	return 0;
}

static int a_exec(conn *c, const char *sql, const lc_sink *k, void *ctx, lc_err *e)
{
	static const lc_sink none;
	aconn *a = (aconn *)c;
	uint32_t id = ++a->next_id;
	qstate q = { k ? k : &none, ctx, 0, NULL, 0, 0 };
	buf b = { 0 };
	frame f;
	int rc = -1;
	*e = (lc_err){ 0 };
	if (a->dead)
		return lc_err_set(e, LC_ECONNECT, "the connection to the helper was lost earlier");
	a->cancelled = 0;
	size_t at = proto_begin(&b, P_QUERY, id);
	proto_cstr(&b, sql);
	proto_u32(&b, (uint32_t)a->timeout_ms);
	proto_end(&b, at);
	if (send_buf(a, &b, e) < 0)
		return lost(a, e, "could not send to the helper");
	for (;;) {
		if (recv_frame(a, id, &f, e) < 0)
			break;
		if (f.type == P_COLUMNS && on_columns(a, &q, &f, e) < 0)
			break;
		if (f.type == P_ROWS && on_rows(a, &q, id, &f, e) < 0)
			break;
		if (f.type == P_DONE && on_done(a, &q, &f, e) < 0)
			break;
		if (f.type == P_ERROR || f.type == P_END) {
			if (f.type == P_ERROR && !q.stopped)
				remote_error(&f, e);
			rc = f.type == P_END && !q.stopped ? 0 : -1;
			if (q.stopped && e->code == 0)
				lc_err_set(e, LC_ESQL, "the output could not be written");
			break;
		}
		if (f.type != P_COLUMNS && f.type != P_ROWS && f.type != P_DONE) {
			bad_frame(a, &f, e);
			break;
		}
	}
	if (a->cancelled && e->code == LC_ECANCEL)
		conn_interrupt();  /* let the caller see the Ctrl-C */
	free(q.vals);
	return rc;
}

/* ---- INSPECT ---- */

/* A unix time the client can print: a NaN or 1e300 from the helper made
 * the (time_t) cast for localtime() undefined. */
static int sane_time(double t)
{
	return t >= 0 && t < 1e11;  /* false for NaN too */
}

static isect *on_section(aconn *a, inspect_report *rep, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	char *name = rd_strdup(&r), *absent = rd_strdup(&r), *note = rd_strdup(&r);
	int has_absent = (int)rd_u8(&r), n = (int)rd_u16(&r);
	char **cols = xcalloc((size_t)n + 1, sizeof *cols);
	isect *s = NULL;
	for (int i = 0; i < n; i++)
		cols[i] = rd_strdup(&r);
	if (r.bad || !name) {
		bad_frame(a, f, e);
	} else {
		s = inspect_add(rep, name, n, (const char *const *)cols);
		if (has_absent)
			isect_absent(s, "%s", absent);
		if (note && *note)
			isect_note(s, "%s", note);
	}
	for (int i = 0; i < n; i++)
		free(cols[i]);
	free(cols), free(name), free(absent), free(note);
	return s;
}

static int section_rows(aconn *a, isect *s, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	uint32_t nrows = rd_u32(&r);
	/* Rows of no columns take no bytes: 4 billion of them once grew
	 * memory without bound. Each value takes at least its tag byte. */
	if (!s || (nrows && s->ncol == 0))
		return bad_frame(a, f, e);
	lc_value *v = xcalloc((size_t)(s->ncol ? s->ncol : 1), sizeof *v);
	int rc = 0;
	for (uint32_t i = 0; i < nrows && rc == 0; i++) {
		for (int c = 0; c < s->ncol && rc == 0; c++)
			rc = rd_value(&r, &v[c]);
		if (rc == 0)
			isect_row(s, v);
	}
	free(v);
	return rc < 0 || r.n ? bad_frame(a, f, e) : 0;
}

static int a_inspect(conn *c, const inspect_opts *o, inspect_report **out, lc_err *e)
{
	aconn *a = (aconn *)c;
	uint32_t id = ++a->next_id;
	inspect_report *rep = inspect_new();
	isect *cur = NULL;
	buf b = { 0 };
	frame f;
	*e = (lc_err){ 0 };
	if (a->dead) {
		inspect_free(rep);
		return lc_err_set(e, LC_ECONNECT, "the connection to the helper was lost earlier");
	}
	a->cancelled = 0;
	size_t at = proto_begin(&b, P_INSPECT, id);
	proto_cstr(&b, o->orders_table);
	proto_u32(&b, (uint32_t)o->latest);
	proto_u32(&b, (uint32_t)o->stale_s);
	proto_u8(&b, (unsigned)o->openers);
	proto_end(&b, at);
	int rc = send_buf(a, &b, e);
	while (rc == 0 && (rc = recv_frame(a, id, &f, e)) == 0) {
		if (f.type == P_SECTION)
			rc = (cur = on_section(a, rep, &f, e)) ? 0 : -1;
		else if (f.type == P_ROWS)
			rc = section_rows(a, cur, &f, e);
		else if (f.type == P_ERROR)
			rc = remote_error(&f, e);
		else if (f.type == P_END)
			break;
		else
			rc = bad_frame(a, &f, e);
	}
	if (rc < 0) {
		inspect_free(rep);
		return -1;
	}
	rd r = rd_of(&f);
	rep->taken_at = rd_f64(&r);
	if (!sane_time(rep->taken_at)) {
		inspect_free(rep);
		return bad_frame(a, &f, e);
	}
	*out = rep;
	return 0;
}

/* ---- BACKUP ---- */

typedef struct bstate {
	const snap_sink *k;
	void *ctx;
	uint32_t page_size, pages;  /* from the one BINFO */
	int done;           /* BDONE came (exactly one, before END) */
	int stopped;        /* the sink failed (its error is in e): CANCEL sent */
	ZSTD_DCtx *z;       /* owned: we asked for ZPAGES, or NULL */
	buf raw;            /* owned: a ZPAGES frame decompressed */
	uint64_t wire;      /* bytes of PAGES and ZPAGES frames received */
} bstate;

static int on_pages(aconn *a, bstate *b, uint32_t id, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	uint32_t n = rd_u32(&r);
	if (!b->page_size)
		return bad_frame(a, f, e);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pgno = rd_u32(&r);
		if (r.bad || r.n < b->page_size || pgno == 0 || pgno > b->pages)
			return bad_frame(a, f, e);
		if (!b->stopped && b->k->page(b->ctx, pgno, r.p)) {
			b->stopped = 1;
			if (!a->cancelled && send_cancel(a, id, e) < 0)
				return -1;
		}
		r.p += b->page_size, r.n -= b->page_size;
	}
	return r.n ? bad_frame(a, f, e) : 0;
}

/* The next piece of the backup's zstd stream: exactly raw_len bytes of a
 * PAGES payload, no more, within PROTO_PAGES_MAX and the window limit. */
static int on_zpages(aconn *a, bstate *b, uint32_t id, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	uint32_t raw_len = rd_u32(&r);
	if (!b->z || r.bad || raw_len < 4 || raw_len > PROTO_PAGES_MAX)
		return bad_frame(a, f, e);
	buf_reset(&b->raw);
	ZSTD_outBuffer out = { buf_reserve(&b->raw, raw_len), raw_len, 0 };
	ZSTD_inBuffer in = { r.p, r.n, 0 };
	size_t rc = 0, was_in, was_out;
	do {  /* until the piece is used up or nothing moves (output full: it says more than raw_len) */
		was_in = in.pos, was_out = out.pos;
		rc = ZSTD_decompressStream(b->z, &out, &in);
	} while (!ZSTD_isError(rc) && in.pos < in.size && (in.pos != was_in || out.pos != was_out));
	if (ZSTD_isError(rc) || in.pos < in.size || out.pos < out.size)
		return bad_frame(a, f, e);
	buf_grew(&b->raw, raw_len);
	frame plain = { P_PAGES, f->id, (const uint8_t *)b->raw.p, raw_len };
	return on_pages(a, b, id, &plain, e);
}

/* The backup's page size and count: once, before any page. */
static int on_binfo(aconn *a, bstate *b, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	uint32_t ps = rd_u32(&r), pages = rd_u32(&r);
	if (r.bad || b->page_size || ps < 512 || ps > 65536 || (ps & (ps - 1)))
		return bad_frame(a, f, e);
	b->page_size = ps, b->pages = pages;
	if (b->k && b->k->begin(b->ctx, ps, pages))
		b->stopped = 1;
	return 0;
}

/* The result: once, and for the pages BINFO announced. */
static int on_bdone(aconn *a, bstate *b, const frame *f, snap_result *res, char sha[65], lc_err *e)
{
	rd r = rd_of(f);
	const char *s;
	size_t n;
	res->page_size = rd_u32(&r);
	res->pages = rd_u32(&r);
	res->sent = rd_u32(&r);
	for (int i = 0; i < 32; i++)
		res->digest[i] = (uint8_t)rd_u8(&r);
	res->taken_at = rd_f64(&r);
	res->pinned_ms = (long long)rd_u64(&r);
	rd_str(&r, &s, &n);
	if (r.bad || n > 64 || !sane_time(res->taken_at) || b->done || res->sent > res->pages ||
	    (b->k && !b->page_size) || (b->page_size && (res->page_size != b->page_size || res->pages != b->pages)))
		return bad_frame(a, f, e);
	b->done = 1;
	if (sha)
		snprintf(sha, 65, "%.*s", (int)n, s);
	return 0;
}

static int send_backup(aconn *a, uint32_t id, const backup_req *q, int zstd, lc_err *e)
{
	buf b = { 0 };
	size_t at = proto_begin(&b, P_BACKUP, id);
	proto_cstr(&b, q->schema);
	proto_u32(&b, q->known ? q->known_page_size : 0);
	proto_str(&b, (const char *)q->known, q->known ? (size_t)q->nknown * SNAP_HASH : 0);
	proto_f64(&b, q->max_rate);
	proto_cstr(&b, q->host_dest);
	proto_u8(&b, (unsigned)q->full);
	if (a->minor >= 2)
		proto_u8(&b, (zstd ? BACKUP_ZSTD : 0) | (q->store ? BACKUP_MKDIR | BACKUP_HOLD : 0));
	proto_end(&b, at);
	return send_buf(a, &b, e);
}

static int a_backup(conn *c, const backup_req *q, const snap_sink *k, void *ctx, snap_result *res, char sha[65],
		    lc_err *e)
{
	aconn *a = (aconn *)c;
	uint32_t id = ++a->next_id;
	bstate b = { .k = k, .ctx = ctx };
	frame f;
	int rc;
	*e = (lc_err){ 0 };
	if (a->dead)
		return lc_err_set(e, LC_ECONNECT, "the connection to the helper was lost earlier");
	if (a->minor < 1 || (q->store && a->minor < 3))
		return lc_err_set(e, LC_ECONNECT, "the helper on the host is too old for %s (protocol 1.%u); "
				  "run with --agent upload", a->minor < 1 ? "backups" : "a store's backup kept there", a->minor);
	a->cancelled = 0;
	/* Pages that cross a network travel compressed (helpers from 1.2 on). */
	int zstd = q->compress == Z_ALWAYS || (q->compress == Z_AUTO && a->st->remote);
	if (zstd && a->minor >= 2 && !q->host_dest && (b.z = ZSTD_createDCtx()))
		ZSTD_DCtx_setParameter(b.z, ZSTD_d_windowLogMax, PROTO_ZWINDOW_LOG);
	rc = send_backup(a, id, q, b.z != NULL, e);
	while (rc == 0 && (rc = recv_frame(a, id, &f, e)) == 0) {
		rd r = rd_of(&f);
		if (f.type == P_BINFO) {
			rc = on_binfo(a, &b, &f, e);
		} else if (f.type == P_PAGES || f.type == P_ZPAGES) {
			b.wire += f.n;
			rc = !k ? bad_frame(a, &f, e) : f.type == P_PAGES ? on_pages(a, &b, id, &f, e)
								   : on_zpages(a, &b, id, &f, e);
		} else if (f.type == P_PROGRESS) {
			uint32_t done = rd_u32(&r), total = rd_u32(&r);
			if (k && k->progress && !r.bad)
				k->progress(ctx, done, total);
		} else if (f.type == P_BDONE) {
			rc = on_bdone(a, &b, &f, res, sha, e);
		} else if (f.type == P_ERROR) {  /* after our CANCEL, the sink's own error is the one to tell */
			rc = b.stopped && e->code ? -1 : remote_error(&f, e);
		} else if (f.type == P_END) {
			rc = b.done || b.stopped ? 0 : bad_frame(a, &f, e);
			break;
		} else {
			rc = bad_frame(a, &f, e);
		}
	}
	if (rc == 0 && b.stopped)
		rc = e->code ? -1 : lc_err_set(e, LC_EVERIFY, "the backup could not be written");
	if (a->cancelled && e->code == LC_ECANCEL)
		conn_interrupt();
	res->wire = a->st->remote ? b.wire : 0;
	ZSTD_freeDCtx(b.z);
	buf_free(&b.raw);
	return rc;
}

static int a_keep(conn *c, int commit, const char *path, const char *data, size_t n, lc_err *e)
{
	aconn *a = (aconn *)c;
	uint32_t id = ++a->next_id;
	frame f;
	buf b = { 0 };
	*e = (lc_err){ 0 };
	if (a->dead || a->minor < 3)
		return lc_err_set(e, LC_ECONNECT, a->dead ? "the connection to the helper was lost earlier"
						       : "the helper on the host is too old to keep a store's backup there");
	a->cancelled = 0;  /* a cancelled backup before it must not leave the wait spinning */
	size_t at = proto_begin(&b, P_KEEP, id);
	proto_u8(&b, (unsigned)commit);
	proto_cstr(&b, path);
	proto_str(&b, data, n);
	proto_end(&b, at);
	int rc = send_buf(a, &b, e);
	if (rc == 0 && (rc = recv_frame(a, id, &f, e)) == 0)
		rc = f.type == P_END ? 0 : f.type == P_ERROR ? remote_error(&f, e) : bad_frame(a, &f, e);
	return rc;
}

/* ---- the rest of the vtable ---- */

static void a_set_timeout(conn *c, int ms)
{
	((aconn *)c)->timeout_ms = ms;
}

static int a_ndb(conn *c)
{
	return ((aconn *)c)->ndb;
}

static int a_db(conn *c, int i, const char **schema, const char **path)
{
	aconn *a = (aconn *)c;
	if (i < 0 || i >= a->ndb)
		return -1;
	*schema = a->schema[i];
	*path = a->path[i];
	return 0;
}

static void a_free(conn *c)
{
	aconn *a = (aconn *)c;
	if (!a->dead) {
		buf b = { 0 };
		lc_err e;
		proto_end(&b, proto_begin(&b, P_BYE, ++a->next_id));
		send_buf(a, &b, &e);
	}
	a->st->close(a->st, !a->dead);
	for (int i = 0; i < a->ndb; i++)
		free(a->schema[i]), free(a->path[i]);
	free(a->schema);
	free(a->path);
	free(a->base.peer);
	buf_free(&a->in);
	free(a);
}

static const conn_ops agent_ops = { "agent", a_exec, a_set_timeout, a_ndb, a_db, a_inspect, a_backup, a_keep, a_free };

/* Skip to the agent's magic; what came before is shell noise. */
static int sync_magic(aconn *a, lc_err *e)
{
	const size_t m = sizeof PROTO_MAGIC - 1;
	for (;;) {
		char *hit = a->in.len ? memmem(a->in.p + a->off, a->in.len - a->off, PROTO_MAGIC, m) : NULL;
		if (hit) {
			a->off = (size_t)(hit - a->in.p) + m;
			return 0;
		}
		if (a->in.len - a->off > PROTO_MAGIC_MAX)
			return lc_err_set(e, LC_ECONNECT, "the host printed more than 64 KiB before the helper started "
					  "(a shell start-up file that prints?)");
		if (more(a, 0, e) < 0)
			return -1;
	}
}

static int hello(aconn *a, lc_err *e)
{
	buf b = { 0 };
	frame f;
	a->start_ms = 15000;  /* a helper that says nothing is not going to */
	size_t at = proto_begin(&b, P_HELLO, 0);
	proto_u16(&b, PROTO_MAJOR);
	proto_u16(&b, PROTO_MINOR);
	proto_cstr(&b, "litecon " LC_VERSION);
	proto_end(&b, at);
	if (send_buf(a, &b, e) < 0 || sync_magic(a, e) < 0 || recv_frame(a, 0, &f, e) < 0) {
		char why[LC_ERRLEN];
		snprintf(why, sizeof why, "the helper did not start (%.900s)", e->msg);
		return lc_err_set(e, LC_ECONNECT, "%s", why);
	}
	a->start_ms = 0;
	rd r = rd_of(&f);
	unsigned major = rd_u16(&r);
	a->minor = rd_u16(&r);
	char *who = rd_strdup(&r);
	if (f.type != P_HELLO || r.bad) {
		free(who);
		return bad_frame(a, &f, e);
	}
	/* the hello is the peer's text: keep it printable and short */
	for (char *p = who; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	if (major != PROTO_MAJOR) {
		free(who);
		return lc_err_set(e, LC_ECONNECT, "the helper speaks protocol %u, this litecon %d: "
				  "use the same litecon version on both ends (--agent upload replaces it)", major, PROTO_MAJOR);
	}
	free(a->base.peer);
	a->base.peer = xasprintf("%.40s, protocol %u.%u", who ? who : "?", major, a->minor);
	free(who);
	return 0;
}

static int on_dbs(aconn *a, const frame *f, lc_err *e)
{
	rd r = rd_of(f);
	int n = (int)rd_u16(&r);
	if (a->schema)
		return bad_frame(a, f, e);  /* one DBS per OPEN (a second one leaked the first) */
	a->schema = xcalloc((size_t)n + 1, sizeof *a->schema);
	a->path = xcalloc((size_t)n + 1, sizeof *a->path);
	int plain = 1;
	for (int i = 0; i < n && !r.bad; i++) {
		a->schema[i] = rd_strdup(&r);
		a->path[i] = rd_strdup(&r);
		a->ndb = i + 1;
		for (const char *p = a->schema[i]; p && *p; p++)  /* as store_short_name makes them */
			plain &= *p >= 0x20 && *p < 0x7f;
	}
	return r.bad || n == 0 || !plain ? bad_frame(a, f, e) : 0;
}

static int open_remote(aconn *a, const char *path, lc_err *e)
{
	buf b = { 0 };
	frame f;
	uint32_t id = ++a->next_id;
	size_t at = proto_begin(&b, P_OPEN, id);
	proto_cstr(&b, path);
	proto_u32(&b, (uint32_t)a->timeout_ms);
	proto_end(&b, at);
	if (send_buf(a, &b, e) < 0)
		return lost(a, e, "could not send to the helper");
	while (recv_frame(a, id, &f, e) == 0) {
		if (f.type == P_ERROR)
			return remote_error(&f, e);
		if (f.type == P_DBS && on_dbs(a, &f, e) < 0)
			return -1;
		if (f.type == P_END)
			return a->ndb ? 0 : bad_frame(a, &f, e);
	}
	return -1;
}

int conn_agent_open(lc_stream *st, const char *path, const conn_opts *o, conn **out, lc_err *e)
{
	aconn *a = xcalloc(1, sizeof *a);
	a->base.ops = &agent_ops;
	a->st = st;
	a->timeout_ms = o ? o->timeout_ms : 0;
	*out = NULL;
	if (hello(a, e) < 0 || open_remote(a, path, e) < 0) {
		a->dead = 1;
		a_free(&a->base);
		return -1;
	}
	*out = &a->base;
	return 0;
}
