/*
 * fuzz_agent_conn.c: libFuzzer target for the client's frame decoder, the
 * agent conn (src/conn/agent.c), as a hostile helper would drive it. The
 * input is what the helper writes: a byte stream, served by an in-memory
 * lc_stream in reads of a size the first byte picks; what the client
 * writes is dropped. After HELLO and OPEN (ids 0 and 1) the client makes
 * one request with id 2, picked by the first byte too: a query whose rows
 * go through an output mode to a "terminal", an INSPECT, or a BACKUP. The
 * seeds are transcripts of the real litecon-agent (tests/fuzz/README.md).
 * Oracles: ASan/UBSan, no leak, a failed request always says why, and
 * what reaches a terminal is safe for it: the rendered rows, the report
 * as stats prints it, the error message and the schema names (printed as
 * they are).
 */
#define _GNU_SOURCE
#include "conn.h"
#include "render.h"
#include "stats.h"
#include "stream.h"
#include "termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct memstream {
	lc_stream base;       /* must be first */
	const uint8_t *p;     /* the helper's bytes (the fuzz input) */
	size_t n, chunk;
} memstream;

static ssize_t m_read(lc_stream *s, void *p, size_t n, int timeout_ms, lc_err *e)
{
	memstream *m = (memstream *)s;
	(void)timeout_ms, (void)e;
	if (n > m->chunk)
		n = m->chunk;
	if (n > m->n)
		n = m->n;
	if (n == 0)
		return STREAM_EOF;
	memcpy(p, m->p, n);
	m->p += n, m->n -= n;
	return (ssize_t)n;
}

static int m_write(lc_stream *s, const void *p, size_t n, lc_err *e)
{
	(void)s, (void)p, (void)n, (void)e;
	return 0;
}

static const char *m_errtext(lc_stream *s)
{
	(void)s;
	return "helper\x1b]52;c;aGk=\x07 stderr";
}

static void m_close(lc_stream *s, int graceful)
{
	(void)graceful;
	free(s);
}

/* ---- the request after OPEN ---- */

/* abort() with what was unsafe, when text written for a terminal is not safe. */
static void must_be_safe(const char *what, const char *text, size_t n)
{
	const char *why = term_unsafe(text, n);
	if (why) {
		fprintf(stderr, "%s holds %s\n", what, why);
		abort();
	}
}


static int pages_seen;
static int b_begin(void *ctx, uint32_t page_size, uint32_t pages) { (void)ctx, (void)page_size, (void)pages; return 0; }
static int b_page(void *ctx, uint32_t pgno, const uint8_t *data)
{
	(void)ctx, (void)pgno;
	pages_seen += data[0];  /* touch the page: it must be readable */
	return pages_seen > 1000000;
}
static void b_progress(void *ctx, uint32_t done, uint32_t total) { (void)ctx, (void)done, (void)total; }

static int do_query(conn *c, int mode, lc_err *e)
{
	char *out = NULL;
	size_t outn = 0;
	FILE *f = open_memstream(&out, &outn);
	if (!f)
		abort();
	render *rn = render_new(f, 1);
	render_set_mode(rn, render_mode_name(mode));
	int rc = conn_exec(c, "select * from orders", render_sink(), rn, e);
	render_free(rn);
	fclose(f);
	must_be_safe(render_mode_name(mode), out, outn);
	free(out);
	return rc;
}

/* The report as `litecon stats` prints it, as text and as JSON. */
static void print_report(const inspect_report *rep)
{
	char *out = NULL;
	size_t outn = 0;
	FILE *f = open_memstream(&out, &outn);
	if (!f)
		abort();
	stats_text(f, rep);
	stats_json(f, rep, "fuzz");
	fclose(f);
	must_be_safe("stats output", out, outn);
	free(out);
}

static int do_inspect(conn *c, lc_err *e)
{
	inspect_opts o = { 0 };
	inspect_report *rep = NULL;
	o.orders_table = "orders";
	o.latest = 10;
	o.stale_s = 300;
	int rc = conn_inspect(c, &o, &rep, e);
	if (rc == 0) {
		print_report(rep);
		inspect_free(rep);
	}
	return rc;
}

static int do_backup(conn *c, lc_err *e)
{
	static const snap_sink k = { b_begin, b_page, b_progress };
	backup_req q = { .schema = "main" };
	snap_result res = { 0 };
	char sha[65];
	return conn_backup(c, &q, &k, NULL, &res, sha, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 65536, 1, 7, 4096 };
	if (size < 1)
		return 0;
	memstream *m = calloc(1, sizeof *m);
	if (!m)
		abort();
	m->base = (lc_stream){ m_read, m_write, m_errtext, m_close, 1 };  /* "remote": backups may take ZPAGES */
	m->p = data + 1, m->n = size - 1, m->chunk = chunks[data[0] >> 6];
	conn_opts o = { .timeout_ms = 1000 };
	conn *c = NULL;
	lc_err e = { 0 };
	if (conn_agent_open(&m->base, "/srv/storage", &o, &c, &e) < 0) {
		if (!e.msg[0] || !e.code) {
			fprintf(stderr, "open failed without a reason: code %d, \"%s\"\n", e.code, e.msg);
			abort();
		}
		must_be_safe("the error message", e.msg, strlen(e.msg));  /* main prints it as is */
		return 0;
	}
	for (int i = 0; i < conn_ndb(c); i++) {  /* prompts and progress lines show them as they are */
		const char *schema, *path;
		if (conn_db(c, i, &schema, &path) == 0)
			must_be_safe("a schema name", schema, strlen(schema));
	}
	int op = data[0] & 0x3f, rc;
	int nmodes = 0;
	while (render_mode_name(nmodes))
		nmodes++;
	if (op < nmodes)
		rc = do_query(c, op, &e);
	else if (op % 2)
		rc = do_inspect(c, &e);
	else
		rc = do_backup(c, &e);
	if (rc < 0 && (!e.msg[0] || !e.code)) {
		fprintf(stderr, "request %d failed without a reason: code %d, \"%s\"\n", op, e.code, e.msg);
		abort();
	}
	if (rc < 0)
		must_be_safe("the error message", e.msg, strlen(e.msg));
	conn_free(c);
	conn_interrupt_reset();
	return 0;
}
