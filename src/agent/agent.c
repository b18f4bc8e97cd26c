/*
 * agent.c: litecon-agent, the helper that runs on a store host, started by
 * litecon over SSH (or over a pipe for a local target with --agent PATH).
 * It reads request frames on stdin and answers with frames on stdout
 * (docs/protocol.md): nothing else is ever written to stdout (fd 1 is
 * pointed at /dev/null, frames go to a private copy). It exits by itself at
 * stdin EOF or EPIPE, sends a STATUS frame as its last word, runs at low
 * CPU and I/O priority and holds no read transaction between requests.
 * As root it leaves nothing owned by root beside the databases: SQLite
 * itself gives a -wal or -shm it creates the database file's owner
 * (tests/cli/t_agent.sh checks). Linked statically: core + SQLite only.
 */
#define _GNU_SOURCE
#include "engine.h"
#include "lc.h"
#include "outq.h"
#include "bfile.h"
#include "probe.h"
#include "snapshot.h"
#include "store.h"
#include "proto.h"
#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <libgen.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct agent {
	int in, out;          /* request and frame descriptors */
	buf rx;               /* bytes read, not yet handled */
	size_t rx_off;        /* start of unhandled bytes in rx */
	buf tx;               /* frames being built */
	outq *q;              /* owned: writes them, in order, from its own thread */
	engine *en;           /* owned, after OPEN */
	uint32_t running;     /* id of the request in progress, 0 = none */
	int eof;              /* stdin closed */
	long long polled;     /* ms of the last poll during a statement */
	bfile **held;         /* owned: a store's backups kept here, verified, */
	int nheld;            /* waiting for KEEP to rename them (BACKUP_HOLD) */
} A;

/* A pull keeps up to this much of its output in memory while the snapshot
 * is pinned, so the pin ends when the pages are read, not when the network
 * has carried them: a small store's backup then holds back checkpoints for
 * as long as a local read does. Bigger databases stream: the read waits
 * for the network beyond it. */
#define HOLD_BYTES (32u << 20)

/* Send the frames built so far, after whatever the writer thread still
 * has, and wait until they are out. */
static void flush(void)
{
	outq_write(A.q, A.tx.p, A.tx.len);
	buf_reset(&A.tx);
}

/* During a pull: hand them over and go on (the queue bounds what waits). */
static void queue_tx(void)
{
	outq_put(A.q, &A.tx);
}

static void send_simple(int type, uint32_t id, unsigned code, const char *text)
{
	size_t at = proto_begin(&A.tx, type, id);
	if (type == P_ERROR || type == P_STATUS)
		proto_u8(&A.tx, code);
	if (text)
		proto_cstr(&A.tx, text);
	proto_end(&A.tx, at);
	flush();
}

static volatile sig_atomic_t busy;    /* a request runs, or backups are held: on_term */
static volatile sig_atomic_t term_sig; /* SIGTERM or SIGHUP came meanwhile */

/* Give up the held backups: their .partial files go. */
static void drop_held(void)
{
	for (int i = 0; i < A.nheld; i++)
		bfile_abort(A.held[i]);
	free(A.held);
	A.held = NULL;
	A.nheld = 0;
	busy = A.running != 0;
}

/* A SIGTERM or SIGHUP came while a request ran or backups were held:
 * now that it is safe, give them up and leave. */
static void leave_if_told(void)
{
	if (!term_sig)
		return;
	drop_held();
	_exit(128 + term_sig);
}

/* The request in progress (0: none). A signal that came during one takes
 * effect when it is over, its cleanup done. */
static void set_running(uint32_t id)
{
	A.running = id;
	busy = id != 0 || A.nheld;
	if (!id)
		leave_if_told();
}

static void finish(int code, const char *text)
{
	drop_held();
	send_simple(P_STATUS, 0, (unsigned)code, text);
	exit(code);
}

/* Lower our own CPU and I/O priority: the store's app comes first. */
static void be_gentle(void)
{
	setpriority(PRIO_PROCESS, 0, 10);
#ifdef SYS_ioprio_set
	syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (2 << 13) | 7 /* BE, lowest */);
#endif
}

/* ---- input ---- */

/* Read what is there (block when wait); returns 0, or -1 at EOF. */
static int fill(int wait)
{
	char tmp[65536];
	if (!wait) {
		struct pollfd p = { A.in, POLLIN, 0 };
		if (poll(&p, 1, 0) <= 0)
			return 0;
	}
	ssize_t n;
	do
		n = read(A.in, tmp, sizeof tmp);
	while (n < 0 && errno == EINTR && !term_sig);  /* SIGTERM while backups are held: end as at EOF */
	if (n <= 0) {
		A.eof = 1;
		return -1;
	}
	buf_add(&A.rx, tmp, (size_t)n);
	return 0;
}

/* The next whole frame in rx, or 0. A malformed stream ends the agent. */
static int next_frame(frame *f)
{
	size_t used;
	lc_err e;
	int rc = proto_frame((uint8_t *)A.rx.p + A.rx_off, A.rx.len - A.rx_off, f, &used, NULL, &e);
	if (rc < 0)
		finish(LC_ECONNECT, e.msg);
	if (rc == 1)
		A.rx_off += used;
	return rc;
}

/* While a statement runs: look for CANCEL (or EOF) at most every 20 ms.
 * Other frames stay queued for after the statement. */
static void watch_input(void *ctx)
{
	(void)ctx;
	long long now = now_ms();
	if (now - A.polled < 20)
		return;
	A.polled = now;
	if (fill(0) < 0) {
		engine_cancel();
		return;
	}
	size_t off = A.rx_off;
	frame f;
	while (next_frame(&f) == 1)
		if (f.type == P_CANCEL && f.id == A.running)
			engine_cancel();
	A.rx_off = off;  /* leave the frames for the main loop */
}

/* ---- requests ---- */

static void fail(uint32_t id, const lc_err *e)
{
	send_simple(P_ERROR, id, (unsigned)(e->code ? e->code : LC_ESQL), e->msg);
}

static void r_hello(uint32_t id, rd *r)
{
	unsigned major = rd_u16(r);
	size_t at = proto_begin(&A.tx, P_HELLO, id);
	proto_u16(&A.tx, PROTO_MAJOR);
	proto_u16(&A.tx, PROTO_MINOR);
	proto_cstr(&A.tx, "litecon-agent " LC_VERSION);
	proto_end(&A.tx, at);
	flush();
	if (r->bad || major != PROTO_MAJOR)
		finish(LC_ECONNECT, "protocol major version mismatch");
}

static void r_open(uint32_t id, rd *r)
{
	char *path = rd_strdup(r);
	unsigned timeout = rd_u32(r);
	lc_err e = { 0 };
	if (!path || r->bad) {
		lc_err_set(&e, LC_ECONNECT, "bad OPEN request");
		goto out;
	}
	engine_free(A.en);
	A.en = NULL;
	if (path[0] == '~' && (path[1] == '/' || !path[1]) && getenv("HOME")) {
		char *full = xasprintf("%s%s", getenv("HOME"), path + 1);  /* ~/x: the login's home */
		free(path);
		path = full;
	}
	if (engine_open(path, &(engine_opts){ (int)timeout }, &A.en, &e) < 0)
		goto out;
	engine_set_hook(A.en, watch_input, NULL);
	size_t at = proto_begin(&A.tx, P_DBS, id);
	proto_u16(&A.tx, (unsigned)engine_ndb(A.en));
	for (int i = 0; i < engine_ndb(A.en); i++) {
		proto_cstr(&A.tx, engine_db_at(A.en, i)->schema);
		proto_cstr(&A.tx, engine_db_at(A.en, i)->path);
	}
	proto_end(&A.tx, at);
	send_simple(P_END, id, 0, NULL);
out:
	if (e.code)
		fail(id, &e);
	free(path);
}

/* The QUERY sink: COLUMNS, ROWS batches, DONE. */
typedef struct qsink {
	uint32_t id;
	size_t rows_at;   /* offset of the open ROWS frame in tx, or SIZE_MAX */
	uint32_t nrows;   /* rows in it */
} qsink;

static void close_rows(qsink *q)
{
	if (q->rows_at == (size_t)-1)
		return;
	uint8_t *p = (uint8_t *)A.tx.p + q->rows_at + PROTO_HEADER;
	p[0] = (uint8_t)(q->nrows >> 24), p[1] = (uint8_t)(q->nrows >> 16);
	p[2] = (uint8_t)(q->nrows >> 8), p[3] = (uint8_t)q->nrows;
	proto_end(&A.tx, q->rows_at);
	q->rows_at = (size_t)-1;
	flush();
}

static int q_begin(void *ctx, int ncol, const char *const *names)
{
	qsink *q = ctx;
	size_t at = proto_begin(&A.tx, P_COLUMNS, q->id);
	proto_u16(&A.tx, (unsigned)ncol);
	for (int i = 0; i < ncol; i++)
		proto_cstr(&A.tx, names[i]);
	proto_end(&A.tx, at);
	return 0;
}

static int q_row(void *ctx, int ncol, const lc_value *v)
{
	qsink *q = ctx;
	if (q->rows_at == (size_t)-1) {
		q->rows_at = proto_begin(&A.tx, P_ROWS, q->id);
		proto_u32(&A.tx, 0);
		q->nrows = 0;
	}
	for (int i = 0; i < ncol; i++)
		proto_value(&A.tx, &v[i]);
	q->nrows++;
	if (A.tx.len >= PROTO_BATCH)
		close_rows(q);
	return 0;
}

static int q_end(void *ctx, long long nrows)
{
	qsink *q = ctx;
	close_rows(q);
	size_t at = proto_begin(&A.tx, P_DONE, q->id);
	proto_u64(&A.tx, (uint64_t)nrows);
	proto_end(&A.tx, at);
	flush();
	return 0;
}

static int need_open(uint32_t id)
{
	lc_err e;
	if (A.en)
		return 0;
	lc_err_set(&e, LC_ECONNECT, "no database is open (OPEN first)");
	fail(id, &e);
	return -1;
}

static void r_query(uint32_t id, rd *r)
{
	char *sql = rd_strdup(r);
	unsigned timeout = rd_u32(r);
	lc_err e = { 0 };
	qsink q = { id, (size_t)-1, 0 };
	lc_sink k = { q_begin, q_row, q_end };
	if (!sql || r->bad || need_open(id) < 0) {
		if (!sql || r->bad)
			fail(id, &(lc_err){ LC_ECONNECT, "bad QUERY request" });
		free(sql);
		return;
	}
	engine_set_timeout(A.en, (int)timeout);
	set_running(id);
	int rc = engine_exec(A.en, sql, &k, &q, &e);
	set_running(0);
	close_rows(&q);
	flush();
	if (rc < 0)
		fail(id, &e);
	else
		send_simple(P_END, id, 0, NULL);
	free(sql);
}

static void send_section(uint32_t id, const isect *s)
{
	size_t at = proto_begin(&A.tx, P_SECTION, id);
	proto_cstr(&A.tx, s->name);
	proto_cstr(&A.tx, s->absent);
	proto_cstr(&A.tx, s->note);
	proto_u8(&A.tx, s->absent != NULL);
	proto_u16(&A.tx, (unsigned)s->ncol);
	for (int i = 0; i < s->ncol; i++)
		proto_cstr(&A.tx, s->cols[i]);
	proto_end(&A.tx, at);
	qsink q = { id, (size_t)-1, 0 };
	for (size_t r = 0; r < s->nrows; r++)
		q_row(&q, s->ncol, s->cells + r * (size_t)s->ncol);
	close_rows(&q);
	flush();
}

static void r_inspect(uint32_t id, rd *r)
{
	char *orders = rd_strdup(r);
	inspect_opts o = { .latest = (int)rd_u32(r), .stale_s = (int)rd_u32(r) };
	int openers = (int)rd_u8(r);
	inspect_report *rep = NULL;
	lc_err e = { 0 };
	o.orders_table = orders && *orders ? orders : NULL;
	if (r->bad || need_open(id) < 0) {
		if (r->bad)
			fail(id, &(lc_err){ LC_ECONNECT, "bad INSPECT request" });
		free(orders);
		return;
	}
	set_running(id);
	int rc = probe_run(A.en, &o, &rep, &e);
	if (rc == 0 && openers)
		probe_openers(A.en, rep);
	set_running(0);
	if (rc < 0) {
		fail(id, &e);
	} else {
		for (int i = 0; i < rep->nsect; i++)
			send_section(id, rep->sect[i]);
		size_t at = proto_begin(&A.tx, P_END, id);
		proto_f64(&A.tx, rep->taken_at);
		proto_end(&A.tx, at);
		flush();
	}
	inspect_free(rep);
	free(orders);
}

/* ---- BACKUP ---- */

typedef struct bsink {
	uint32_t id;
	uint32_t page_size;
	size_t at;          /* the open PAGES frame in tx (without zstd) */
	uint32_t n;         /* pages in the open payload; 0: none is open */
	bfile *file;        /* a backup kept on the host, or NULL (a pull) */
	lc_err *e;
	int z;              /* the client asked for ZPAGES */
	buf raw;            /* owned: with z, the PAGES payload being gathered */
	int kept;           /* a backup kept here (file, once open) */
	long long told;     /* kept here: when PROGRESS was last sent */
	uint32_t pages;     /* kept here: the snapshot's page count */
} bsink;

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* End the PAGES (or ZPAGES) frame being filled, if any. */
static void close_pages(bsink *b)
{
	if (!b->n)
		return;
	if (b->z) {  /* compressed by the writer thread, after the frames before it */
		put_be32((uint8_t *)b->raw.p, b->n);
		queue_tx();
		outq_zpages(A.q, b->id, &b->raw);
	} else {
		put_be32((uint8_t *)A.tx.p + b->at + PROTO_HEADER, b->n);
		proto_end(&A.tx, b->at);
		queue_tx();
	}
	b->n = 0;
}

static int b_begin(void *ctx, uint32_t page_size, uint32_t pages)
{
	bsink *b = ctx;
	b->page_size = page_size, b->pages = pages;
	if (b->file)
		return bfile_begin(b->file, page_size, pages, b->e);
	size_t at = proto_begin(&A.tx, P_BINFO, b->id);
	proto_u32(&A.tx, page_size);
	proto_u32(&A.tx, pages);
	proto_end(&A.tx, at);
	queue_tx();
	return 0;
}

static int b_page(void *ctx, uint32_t pgno, const uint8_t *data)
{
	bsink *b = ctx;
	if (b->file)
		return bfile_page(b->file, pgno, data, b->e);
	buf *to = b->z ? &b->raw : &A.tx;  /* with zstd the payload is gathered apart, compressed at close */
	if (!b->n) {  /* open one: a u32 count, filled in at close */
		if (!b->z)
			b->at = proto_begin(&A.tx, P_PAGES, b->id);
		proto_u32(to, 0);
	}
	proto_u32(to, pgno);
	buf_add(to, data, b->page_size);
	b->n++;
	if (b->z ? to->len + 4 + b->page_size > PROTO_PAGES_MAX : to->len >= 4 * PROTO_BATCH)
		close_pages(b);  /* a ZPAGES payload as big as allowed: zstd works best on long input */
	return 0;
}

/* PROGRESS: also for a backup kept here, which sends nothing else until
 * BDONE; the client takes a long silence for a lost helper. */
static void b_progress(void *ctx, uint32_t done, uint32_t total)
{
	bsink *b = ctx;
	watch_input(NULL);  /* a CANCEL, or the client gone */
	if (b->kept) {
		long long now = now_ms();
		if (now - b->told < 1000)
			return;
		b->told = now;
	} else {
		close_pages(b);
	}
	size_t at = proto_begin(&A.tx, P_PROGRESS, b->id);
	proto_u32(&A.tx, done);
	proto_u32(&A.tx, total);
	proto_end(&A.tx, at);
	queue_tx();
}

static void send_bdone(uint32_t id, const snap_result *s, const char *sha)
{
	size_t at = proto_begin(&A.tx, P_BDONE, id);
	proto_u32(&A.tx, s->page_size);
	proto_u32(&A.tx, s->pages);
	proto_u32(&A.tx, s->sent);
	buf_add(&A.tx, s->digest, 32);
	proto_f64(&A.tx, s->taken_at);
	proto_u64(&A.tx, (uint64_t)s->pinned_ms);
	proto_cstr(&A.tx, sha);
	proto_end(&A.tx, at);
	send_simple(P_END, id, 0, NULL);
}

static const snap_sink bsink_ops = { b_begin, b_page, b_progress };

/* While a backup kept here is checked: PROGRESS now and then, and a
 * CANCEL (or the client gone, or SIGTERM) stops the check. */
static int keep_tick(void *ctx)
{
	bsink *b = ctx;
	b_progress(b, b->pages, b->pages);
	return engine_cancel_pending();
}

/* -1 with e when a backup (or KEEP) writing dest would write over a
 * database we read or its -wal, -shm, -journal (bfile_check): never. */
static int check_dest(const char *dest, lc_err *e)
{
	int n = A.en ? engine_ndb(A.en) : 0;
	const char **dbs = xcalloc((size_t)n + 1, sizeof *dbs);
	for (int i = 0; i < n; i++)
		dbs[i] = engine_db_at(A.en, i)->path;
	int rc = bfile_check(dest, dbs, n, e);
	free(dbs);
	return rc;
}

/* BACKUP_MKDIR: dest's directory (one level, 0700) for a store's backup. */
static int make_parent(const char *dest, lc_err *e)
{
	char *d = xstrdup(dest);
	int rc = mkdir(dirname(d), 0700) < 0 && errno != EEXIST ? lc_err_set(e, LC_EVERIFY, "cannot create %s: %s", d,
									      strerror(errno))
								 : 0;
	free(d);
	return rc;
}

/* The verified file into place, or with BACKUP_HOLD into A.held until
 * KEEP renames the whole set. */
static int keep_commit(bfile *f, const uint8_t digest[32], int full, char sha[65], unsigned flags, lc_err *e)
{
	if (!(flags & BACKUP_HOLD))
		return bfile_commit(f, digest, full, sha, e);
	int rc = bfile_verify(f, digest, full, sha, e);
	if (rc == 0) {
		A.held = xrealloc(A.held, sizeof *A.held * (size_t)(A.nheld + 1));
		A.held[A.nheld++] = f;
		busy = 1;
	}
	return rc;
}

/* One try at a backup kept on this host, compared with the one already
 * at dest. *from_side: its hashes came from dest's sidecar. */
static int keep_try(uint32_t id, const char *schema, double rate, const char *dest, int full, unsigned flags,
		    snap_result *s, char sha[65], int *from_side, lc_err *e)
{
	bsink b = { .id = id, .e = e, .kept = 1 };
	uint8_t *own = NULL;
	uint32_t own_n = 0, own_ps = 0;
	int rc;
	*from_side = 0;
	if (check_dest(dest, e) < 0 || ((flags & BACKUP_MKDIR) && make_parent(dest, e) < 0))
		return -1;
	*from_side = bfile_known(dest, &own_ps, &own, &own_n, keep_tick, &b);
	*e = (lc_err){ 0 };
	rc = bfile_open(dest, own_n > 0, &b.file, e);
	if (rc == 0) {
		bfile_set_tick(b.file, keep_tick, &b);
		rc = snapshot_run(A.en, schema, own, own_n, own_ps, rate, &bsink_ops, &b, s, e);
		rc = rc < 0 ? (bfile_abort(b.file), -1) : keep_commit(b.file, s->digest, full, sha, flags, e);
	}
	free(own);
	return rc;
}

static int run_backup(uint32_t id, const char *schema, const char *known, size_t nk, uint32_t kps, double rate,
		      const char *dest, int full, unsigned flags, lc_err *e)
{
	bsink b = { .id = id, .e = e };
	snap_result s;
	char sha[65] = "";
	int rc, from_side, tries = 0;
	set_running(id);
	if (*dest) {  /* kept on the host; once more from dest's own pages if it did not match its sidecar */
		do
			rc = keep_try(id, schema, rate, dest, full, flags, &s, sha, &from_side, e);
		while (rc == -2 && from_side && tries++ == 0);
		if (rc < 0)
			drop_held();  /* a store kept here is all or nothing */
	} else {
		b.z = (flags & BACKUP_ZSTD) != 0;  /* else plain PAGES, which the client also reads */
		rc = snapshot_run(A.en, schema, (const uint8_t *)known, (uint32_t)(nk / SNAP_HASH), kps, rate, &bsink_ops, &b,
				  &s, e);
		close_pages(&b);
		flush();  /* the pin is over: now let the network take its time */
		if (outq_zfailed(A.q) && rc == 0)
			rc = lc_err_set(e, LC_ECONNECT, "the helper could not compress the pages (zstd)");
		buf_free(&b.raw);
	}
	set_running(0);
	if (rc == 0)
		send_bdone(id, &s, sha);
	return rc < 0 ? -1 : 0;
}

static void r_backup(uint32_t id, rd *r)
{
	const char *known;
	size_t nk;
	char *schema = rd_strdup(r);
	uint32_t kps = rd_u32(r);
	rd_str(r, &known, &nk);
	double rate = rd_f64(r);
	char *dest = rd_strdup(r);
	int full = (int)rd_u8(r);
	unsigned flags = r->n ? rd_u8(r) : 0;  /* protocol 1.2 */
	lc_err e = { 0 };
	/* known points into A.rx, which reading a CANCEL during the backup may
	 * move: the backup gets its own copy. */
	char *own = r->bad ? NULL : xmalloc(nk + 1);
	if (own && nk)
		memcpy(own, known, nk);
	if (!schema || !dest || r->bad)
		fail(id, &(lc_err){ LC_ECONNECT, "bad BACKUP request" });
	else if (need_open(id) == 0 && run_backup(id, schema, own, nk, kps, rate, dest, full, flags, &e) < 0)
		fail(id, &e);
	free(own);
	free(schema);
	free(dest);
}

/* KEEP: commit, rename every held backup into place, then write path (a
 * store's manifest.json; "" none); else give them up. */
static void r_keep(uint32_t id, rd *r)
{
	unsigned commit = rd_u8(r);
	char *path = rd_strdup(r);
	const char *data;
	size_t n;
	rd_str(r, &data, &n);
	lc_err e = { 0 };
	int rc = r->bad || !path ? lc_err_set(&e, LC_ECONNECT, "bad KEEP request") : 0;
	set_running(id);  /* a signal now waits until the set and its manifest are written */
	for (int i = 0; i < A.nheld; i++)
		if (rc < 0 || !commit)
			bfile_abort(A.held[i]);
		else
			rc = bfile_finish(A.held[i], &e);
	A.nheld = 0;  /* each was finished or given up above: drop_held only frees the list */
	drop_held();
	if (rc == 0 && commit && *path && check_dest(path, &e) == 0)
		rc = bfile_put(path, data, n, &e);
	set_running(0);
	if (rc < 0 || e.code)
		fail(id, &e);
	else
		send_simple(P_END, id, 0, NULL);
	free(path);
}

static void r_bye(uint32_t id, rd *r)
{
	(void)id;
	(void)r;
	engine_free(A.en);
	finish(0, "bye");
}

static const struct {
	int type;
	void (*fn)(uint32_t id, rd *r);
} handlers[] = {
	{ P_HELLO, r_hello }, { P_OPEN, r_open }, { P_QUERY, r_query },
	{ P_INSPECT, r_inspect }, { P_BACKUP, r_backup }, { P_KEEP, r_keep }, { P_BYE, r_bye },
};

static void dispatch(const frame *f)
{
	rd r = rd_of(f);
	engine_cancel_reset();
	leave_if_told();  /* SIGTERM or SIGHUP came while backups were held */
	if (f->type == P_CANCEL)
		return;  /* nothing of that id is running any more */
	for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
		if (handlers[i].type == f->type) {
			handlers[i].fn(f->id, &r);
			return;
		}
	lc_err e;
	lc_err_set(&e, LC_EUSAGE, "unknown request type %u", f->type);
	fail(f->id, &e);
}

/* Keep fd 1 for frames only: frames go to a private copy and fd 1 points at
 * /dev/null, so nothing else can ever corrupt the stream. */
static void private_stdout(void)
{
	A.in = 0;
	A.out = fcntl(1, F_DUPFD_CLOEXEC, 3);
	int null = open("/dev/null", O_WRONLY);
	if (A.out < 0 || null < 0 || dup2(null, 1) < 0) {
		fputs("litecon-agent: cannot set up its output\n", stderr);
		exit(LC_ECONNECT);
	}
	close(null);
}

static int version(void)
{
	char hex[65] = "unknown";
	sha256_file("/proc/self/exe", hex);
	printf("litecon-agent %s protocol %d.%d sqlite %s sha256 %s\n", LC_VERSION, PROTO_MAJOR, PROTO_MINOR,
	       engine_sqlite_version(), hex);
	return 0;
}

static void serve(void)
{
	frame f;
	for (;;) {
		while (next_frame(&f) == 1)
			dispatch(&f);
		if (A.rx_off == A.rx.len) {
			buf_reset(&A.rx);
			A.rx_off = 0;
		}
		leave_if_told();
		if (A.eof || fill(1) < 0)
			break;
	}
	leave_if_told();  /* a signal ended that read: its status, not end of input */
	engine_free(A.en);
	finish(0, "end of input");
}

/* SIGTERM, SIGHUP: idle, leave at once; in a request, stop it the way a
 * CANCEL does (a backup kept here removes its .partial) and leave when it
 * is over (set_running). */
static void on_term(int sig)
{
	if (!busy)
		_exit(128 + sig);
	term_sig = sig;
	engine_cancel();
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return version();
	if (argc == 3 && strcmp(argv[1], "--home") == 0)
		setenv("HOME", argv[2], 1);  /* the login's home, passed through sudo */
	else if (argc > 1) {
		fputs("usage: litecon-agent [--version | --home DIR]\n"
		      "Speaks litecon's frame protocol on stdin/stdout; started by litecon.\n", stderr);
		return LC_EUSAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);  /* litecon sends CANCEL; a terminal's ^C is not ours */
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	private_stdout();
	be_gentle();
	A.q = outq_start(A.out, HOLD_BYTES);
	buf_add(&A.tx, PROTO_MAGIC, sizeof PROTO_MAGIC - 1);
	flush();
	serve();
	return 0;
}
