/*
 * work.c: the TUI's connection worker (see tui_work.h): a thread that
 * owns the conn, a queue of jobs in, a list of finished jobs out, and a
 * pipe that wakes the event loop. Reconnects with backoff when a job
 * finds the connection gone.
 */
#define _GNU_SOURCE
#include "tui_work.h"
#include "backup.h"
#include "sshc.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct twork {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wake[2];            /* [0] polled by the loop, [1] written here */
	conn *c;                /* owned; only the worker thread touches it */
	char *target;           /* owned: to reconnect */
	conn_opts o;            /* its ssh points at ssh below */
	ssh_args ssh;           /* the command line's, plus BatchMode=yes */
	int lazy;               /* connect for each job, close after it; no reconnect loop */
	int local;              /* the target's files are on this machine (conn.local) */
	atomic_int cancel;      /* the worker thread's own interrupt (conn_interrupt_scope) */
	tjob *todo, *done;      /* owned lists (FIFO) */
	int running_id;         /* the job in hand, 0 = none */
	int quit;
	int started;            /* the thread runs */
	tstate st;
	char *peer;             /* owned */
	int ndb;
	char **schema, **path;  /* owned, ndb each */
};

/* ---- result tables ---- */

void tres_free(tres *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->ncol; i++)
		free(r->names[i]);
	for (size_t i = 0; i < r->nrows * (size_t)r->ncol; i++)
		free((void *)r->cells[i].p);
	free(r->names);
	free(r->cells);
	free(r);
}

const lc_value *tres_cell(const tres *r, size_t row, int col)
{
	return row < r->nrows && col >= 0 && col < r->ncol ? &r->cells[row * (size_t)r->ncol + (size_t)col] : NULL;
}

void tres_keep(tres *r, const size_t *rows, size_t n)
{
	size_t nc = (size_t)r->ncol;
	lc_value *cells = xcalloc(n * nc + 1, sizeof *cells);
	char *keep = xcalloc(r->nrows + 1, 1);
	for (size_t i = 0; i < n; i++) {
		memcpy(cells + i * nc, r->cells + rows[i] * nc, nc * sizeof *cells);
		keep[rows[i]] = 1;
	}
	for (size_t i = 0; i < r->nrows; i++)
		for (size_t k = 0; !keep[i] && k < nc; k++)
			free((void *)r->cells[i * nc + k].p);
	free(keep);
	free(r->cells);
	r->cells = cells;
	r->nrows = r->cap = n;
}

void tres_reverse(tres *r)
{
	size_t nc = (size_t)r->ncol;
	for (size_t a = 0, b = r->nrows ? r->nrows - 1 : 0; a < b; a++, b--)
		for (size_t k = 0; k < nc; k++) {
			lc_value t = r->cells[a * nc + k];
			r->cells[a * nc + k] = r->cells[b * nc + k];
			r->cells[b * nc + k] = t;
		}
}

typedef struct collect {
	tres *r;
	size_t max;
} collect;

static int col_begin(void *ctx, int ncol, const char *const *names)
{
	collect *k = ctx;
	tres *r = k->r;
	r->statements++;
	/* a later statement's columns replace an earlier one's rows */
	for (size_t i = 0; i < r->nrows * (size_t)r->ncol; i++)
		free((void *)r->cells[i].p);
	for (int i = 0; i < r->ncol; i++)
		free(r->names[i]);
	free(r->names);
	r->nrows = 0;
	r->more = 0;
	r->ncol = ncol;
	r->names = xcalloc((size_t)ncol + 1, sizeof *r->names);
	for (int i = 0; i < ncol; i++)
		r->names[i] = xstrdup(names[i] ? names[i] : "");
	return 0;
}

static int col_row(void *ctx, int ncol, const lc_value *v)
{
	collect *k = ctx;
	tres *r = k->r;
	if (r->nrows >= k->max) {
		r->more = 1;
		return 0;  /* keep reading: the statement ends on its own terms */
	}
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->cells = xrealloc(r->cells, r->cap * (size_t)ncol * sizeof *r->cells);
	}
	lc_value *out = r->cells + r->nrows * (size_t)ncol;
	for (int i = 0; i < ncol; i++) {
		out[i] = v[i];
		if (v[i].type == LC_TEXT || v[i].type == LC_BLOB) {
			char *p = xmalloc(v[i].n + 1);
			memcpy(p, v[i].p, v[i].n);
			p[v[i].n] = 0;
			out[i].p = p;
		} else {
			out[i].p = NULL;
		}
	}
	r->nrows++;
	return 0;
}

static const lc_sink collect_sink = { col_begin, col_row, NULL };

static void poke(twork *w);

/* ---- jobs ---- */

void tjob_free(tjob *j)
{
	if (!j)
		return;
	free(j->sql);
	free(j->dest);
	inspect_free(j->rep);
	tres_free(j->res);
	free(j);
}

static int ping_row(void *ctx, int ncol, const lc_value *v)
{
	(void)ctx, (void)ncol, (void)v;
	return 0;
}

static const lc_sink ping_sink = { NULL, ping_row, NULL };

/* A refresh: the inspection, and with each openers scan (every few
 * seconds) a one-row round trip for the status bar's rtt (a statement of
 * its own would end the probe's mmap on the host each time). */
static int run_refresh(twork *w, tjob *j)
{
	long long t0 = now_ms();
	j->rtt_ms = -1;
	if (j->io.openers) {
		if (conn_exec(w->c, "select 1", &ping_sink, NULL, &j->err) < 0)
			return -1;
		j->rtt_ms = now_ms() - t0;
	}
	return conn_inspect(w->c, &j->io, &j->rep, &j->err);
}

static int run_query(twork *w, tjob *j)
{
	collect k = { xcalloc(1, sizeof(tres)), j->max_rows ? j->max_rows : 10000 };
	j->res = k.r;
	return conn_exec(w->c, j->sql, &collect_sink, &k, &j->err);
}

static void b_progress(void *ctx, const char *schema, unsigned done, unsigned total)
{
	twork *w = ctx;
	pthread_mutex_lock(&w->mu);
	if (strcmp(w->st.b_schema, schema) != 0)
		w->st.b_t0 = now_ms();  /* rate and ETA are per database, like the counts */
	w->st.b_done = done;
	w->st.b_total = total;
	snprintf(w->st.b_schema, sizeof w->st.b_schema, "%s", schema);
	pthread_mutex_unlock(&w->mu);
	poke(w);
}

static void b_say(void *ctx, const char *line)
{
	twork *w = ctx;
	pthread_mutex_lock(&w->mu);
	snprintf(w->st.b_line, sizeof w->st.b_line, "%s", line);
	w->st.b_count += strncmp(line, "backup of ", 10) == 0;
	pthread_mutex_unlock(&w->mu);
}

/* The same backup_run as `litecon backup`; progress and the summary line
 * come back here instead of going to the terminal. */
static int run_backup(twork *w, tjob *j)
{
	backup_opts bo = j->bo;
	bo.quiet = 1, bo.progress = b_progress, bo.say = b_say, bo.ctx = w;
	pthread_mutex_lock(&w->mu);
	w->st.b_done = w->st.b_total = 0;
	w->st.b_t0 = now_ms();
	w->st.b_schema[0] = w->st.b_line[0] = 0;
	w->st.b_count = 0;
	pthread_mutex_unlock(&w->mu);
	return backup_run(w->c, j->dest, &bo, &j->err);
}

static int (*const runners[])(twork *, tjob *) = {
	[JOB_REFRESH] = run_refresh, [JOB_QUERY] = run_query, [JOB_BACKUP] = run_backup,
};

/* ---- the thread ---- */

static void poke(twork *w)
{
	char c = 1;
	ssize_t k = write(w->wake[1], &c, 1);
	(void)k;  /* a full pipe already wakes the loop */
}

static void post(twork *w, tjob *j)
{
	pthread_mutex_lock(&w->mu);
	tjob **p = &w->done;
	while (*p)
		p = &(*p)->next;
	j->next = NULL;
	*p = j;
	pthread_mutex_unlock(&w->mu);
	poke(w);
}

static int lost(const tjob *j)
{
	return j->rc < 0 && j->err.code == LC_ECONNECT;
}

/* Sleep up to ms, waking early when asked to quit. Called locked. */
static void nap(twork *w, long long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_sec++, ts.tv_nsec -= 1000000000L;
	while (!w->quit && pthread_cond_timedwait(&w->cv, &w->mu, &ts) == 0)
		;
}

/* Reopen the connection with backoff until it works or we quit. Locked. */
static void reconnect(twork *w)
{
	for (long long delay = 1000; !w->quit;) {
		w->st.state = TC_RECONNECTING;
		w->st.next_try = now_ms() + delay;
		poke(w);
		nap(w, delay);
		if (w->quit)
			break;
		w->st.attempts++;
		pthread_mutex_unlock(&w->mu);
		lc_err e = { 0 };
		conn *c = NULL;
		int rc = conn_open(w->target, &w->o, &c, &e);
		pthread_mutex_lock(&w->mu);
		if (rc == 0) {
			w->c = c;
			w->st.state = TC_UP;
			w->st.attempts = 0;
			poke(w);
			return;
		}
		snprintf(w->st.why, sizeof w->st.why, "%.250s", e.msg);
		delay = delay * 2 > 30000 ? 30000 : delay * 2;
	}
}

/* A lazy worker's connection for the job in hand, opened now (closed after
 * the job). Unlocked; on failure the job fails with the reason. */
static int lazy_open(twork *w, tjob *j)
{
	conn *c = NULL;
	if (conn_open(w->target, &w->o, &c, &j->err) < 0) {
		j->rc = -1;
		return -1;
	}
	pthread_mutex_lock(&w->mu);
	w->c = c;
	w->st.state = TC_UP;
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static void run_one(twork *w, tjob *j)
{
	long long t0 = now_ms();
	j->rc = runners[j->kind](w, j);
	j->ms = now_ms() - t0;
	if (j->rc < 0 && !j->err.msg[0])
		lc_err_set(&j->err, LC_ESQL, "the request failed");
}

/* After a job: a lost connection goes (the loop reconnects), and a lazy
 * worker's goes anyway. Locked; returns the conn to free once unlocked
 * (closing one may wait on the network), or NULL. */
static conn *after_job(twork *w, const tjob *j)
{
	conn *gone = w->c;
	if (!lost(j) && !w->lazy)
		return NULL;
	w->c = NULL;
	w->st.state = lost(j) ? TC_DOWN : TC_CLOSED;
	if (lost(j))
		snprintf(w->st.why, sizeof w->st.why, "%.250s", j->err.msg);
	return gone;
}

static void *worker(void *arg)
{
	twork *w = arg;
	conn_interrupt_scope(&w->cancel);  /* twork_cancel stops this thread's job only */
	pthread_mutex_lock(&w->mu);
	while (!w->quit) {
		if (!w->c && !w->lazy) {
			reconnect(w);
			continue;
		}
		tjob *j = w->todo;
		if (!j) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		w->todo = j->next;
		w->running_id = j->id;
		w->st.busy = 1;
		w->st.busy_kind = j->kind;
		w->st.busy_since = now_ms();
		pthread_mutex_unlock(&w->mu);
		conn_interrupt_reset();
		if (w->c || lazy_open(w, j) == 0)  /* only this thread sets w->c */
			run_one(w, j);
		pthread_mutex_lock(&w->mu);
		w->running_id = 0;
		w->st.busy = 0;
		conn *gone = after_job(w, j);
		pthread_mutex_unlock(&w->mu);
		post(w, j);  /* the result first, then the close */
		conn_free(gone);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void copy_dbs(twork *w, conn *c)
{
	w->ndb = conn_ndb(c);
	w->schema = xcalloc((size_t)w->ndb + 1, sizeof *w->schema);
	w->path = xcalloc((size_t)w->ndb + 1, sizeof *w->path);
	for (int i = 0; i < w->ndb; i++) {
		const char *s = "", *p = "";
		conn_db(c, i, &s, &p);
		w->schema[i] = xstrdup(s ? s : "");
		w->path[i] = xstrdup(p ? p : "");
	}
}

static twork *make(const char *target, const conn_opts *o)
{
	twork *w = xcalloc(1, sizeof *w);
	if (pipe2(w->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->target = xstrdup(target);
	w->o = *o;
	/* The screen is curses': a connection opened here must never prompt on
	 * the terminal (a key's passphrase, an unknown host). ssh-agent works. */
	w->ssh = o->ssh ? *o->ssh : (ssh_args){ 0 };
	if (w->ssh.nopts < SSHC_MAX_LIST)
		w->ssh.opts[w->ssh.nopts++] = "BatchMode=yes";
	w->o.ssh = &w->ssh;
	return w;
}

static twork *launch(twork *w)
{
	if (pthread_create(&w->th, NULL, worker, w) != 0) {
		w->c = NULL;  /* the caller still owns it */
		twork_stop(w);
		return NULL;
	}
	w->started = 1;
	return w;
}

twork *twork_start(conn *c, const char *target, const conn_opts *o)
{
	twork *w = make(target, o);
	if (!w)
		return NULL;
	w->c = c;
	w->peer = xstrdup(c->peer ? c->peer : c->ops->kind);
	w->local = c->local;
	copy_dbs(w, c);
	return launch(w);
}

twork *twork_start_lazy(const char *target, const conn_opts *o)
{
	twork *w = make(target, o);
	if (!w)
		return NULL;
	w->lazy = 1;
	w->st.state = TC_CLOSED;
	w->peer = xstrdup("");
	return launch(w);
}

static void free_list(tjob *j)
{
	while (j) {
		tjob *n = j->next;
		tjob_free(j);
		j = n;
	}
}

void twork_stop(twork *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	if (w->running_id)
		atomic_store(&w->cancel, 1);
	pthread_cond_broadcast(&w->cv);
	int started = w->started;
	pthread_mutex_unlock(&w->mu);
	if (started)
		pthread_join(w->th, NULL);
	conn_free(w->c);
	free_list(w->todo);
	free_list(w->done);
	for (int i = 0; i < w->ndb; i++)
		free(w->schema[i]), free(w->path[i]);
	free(w->schema);
	free(w->path);
	free(w->peer);
	free(w->target);
	close(w->wake[0]);
	close(w->wake[1]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

int twork_fd(const twork *w)
{
	return w->wake[0];
}

int twork_submit(twork *w, tjob *j)
{
	static atomic_int next_id = 1;  /* one sequence for every worker: ids never collide */
	pthread_mutex_lock(&w->mu);
	j->id = atomic_fetch_add(&next_id, 1);
	j->next = NULL;
	tjob **p = &w->todo;
	while (*p)
		p = &(*p)->next;
	*p = j;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return j->id;
}

tjob *twork_take(twork *w)
{
	char drain[64];
	while (read(w->wake[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&w->mu);
	tjob *j = w->done;
	if (j)
		w->done = j->next;
	pthread_mutex_unlock(&w->mu);
	if (j) {
		j->next = NULL;
		poke(w);  /* more may wait: come back */
	}
	return j;
}

void twork_cancel(twork *w, int id)
{
	pthread_mutex_lock(&w->mu);
	if (w->running_id == id) {
		atomic_store(&w->cancel, 1);
		pthread_mutex_unlock(&w->mu);
		return;
	}
	tjob **p = &w->todo, *j = NULL;
	while (*p && (*p)->id != id)
		p = &(*p)->next;
	if (*p) {
		j = *p;
		*p = j->next;
	}
	pthread_mutex_unlock(&w->mu);
	if (j) {
		j->rc = -1;
		lc_err_set(&j->err, LC_ECANCEL, "cancelled");
		post(w, j);
	}
}

void twork_state(twork *w, tstate *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->st;
	pthread_mutex_unlock(&w->mu);
}

int twork_check_output(const twork *w, const char *path, lc_err *e)
{
	return w->local ? store_check_output(path, (const char *const *)w->path, w->ndb, e) : 0;
}

const char *twork_peer(const twork *w)
{
	return w->peer;
}

int twork_ndb(const twork *w)
{
	return w->ndb;
}

const char *twork_schema(const twork *w, int i)
{
	return i >= 0 && i < w->ndb ? w->schema[i] : NULL;
}

const char *twork_path(const twork *w, int i)
{
	return i >= 0 && i < w->ndb ? w->path[i] : NULL;
}
