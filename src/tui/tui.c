/*
 * tui.c: the TUI's app: set-up and tear-down, the one event loop (poll on
 * the terminal and the worker's pipe, with the next refresh or clock tick
 * as the timeout), the view stack, the status bar, the alert line, the
 * hint/prompt line and the sparkline series. Commands (":") live in
 * cmd.c, views in their own files.
 */
#define _GNU_SOURCE
#include "tui.h"
#include "tui_app.h"
#include "tui_draw.h"
#include "tui_prompt.h"
#include "config.h"
#include "stats.h"
#include "util.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NSAMPLES 60
#define MAXSERIES 12
#define MAXVIEWS 32
#define OPENERS_MS 10000

typedef struct series {
	char key[80];
	double v[NSAMPLES];
	int n;
} series;

typedef struct alert {
	int error;
	char text[400];
} alert;

struct app {
	const cli *o;
	twork *w;                  /* the dashboard's connection: refreshes, queries */
	twork *bw;                 /* backups, on a connection of their own while one runs */
	theme th;
	int colour;
	view *stack[MAXVIEWS];
	int nv;
	inspect_report *rep;       /* owned: the latest inspection */
	long long rep_at;          /* now_ms() it came in */
	int refresh_ms;
	int refresh_job;
	long long next_refresh;
	long long openers_at;      /* now_ms() of the last scan for openers */
	long long rtt_ms;
	series ser[MAXSERIES];
	int nser;
	alert alerts[8];
	int nalerts;
	char msg[300];
	int msg_el;
	long long msg_until;
	prompt pr;                 /* ':' or '/' line, when open */
	tcat cat;
	int cat_job;
	int cat_next;              /* next schema to load */
	int quit;
	int backup_job;
	char backup_dest[512];
	backup_opts bo;            /* :backup's defaults: the command line's */
	int backup_full;           /* the running backup runs integrity_check */
	char queue_schema[64];
	int small;                 /* the terminal is under 80x24 */
};

view *view_new(const view_class *cls, void *st, const char *title)
{
	view *v = xcalloc(1, sizeof *v);
	v->cls = cls;
	v->st = st;
	snprintf(v->title, sizeof v->title, "%s", title ? title : cls->name);
	return v;
}

static void view_free(view *v)
{
	if (v && v->cls->free)
		v->cls->free(v);
	free(v);
}

/* ---- for views ---- */

void app_push(app *a, view *v)
{
	if (a->nv == MAXVIEWS) {
		view_free(a->stack[1]);  /* the oldest above the dashboard goes */
		memmove(a->stack + 1, a->stack + 2, sizeof *a->stack * (size_t)(MAXVIEWS - 2));
		a->nv--;
	}
	a->stack[a->nv++] = v;
}

void app_pop(app *a)
{
	if (a->nv <= 1)
		return;
	view *v = a->stack[--a->nv];
	if (v->job)
		twork_cancel(a->w, v->job);  /* its result has nowhere to go */
	view_free(v);
}

view *app_top(app *a)
{
	return a->stack[a->nv - 1];
}

int app_query(app *a, view *v, char *sql, size_t max_rows, int cancellable)
{
	tjob *j = xcalloc(1, sizeof *j);
	j->kind = JOB_QUERY;
	j->sql = sql;
	j->max_rows = max_rows;
	if (v->job)
		twork_cancel(a->w, v->job);
	v->job = twork_submit(a->w, j);
	v->job_t0 = now_ms();
	v->job_cancellable = cancellable;
	return v->job;
}

void app_msg(app *a, int el, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_el = el;
	a->msg_until = now_ms() + 5000;
}

const inspect_report *app_report(const app *a)
{
	return a->rep;
}

const cli *app_cli(const app *a)
{
	return a->o;
}

twork *app_work(app *a)
{
	return a->w;
}

const char *app_queue_schema(const app *a)
{
	return a->queue_schema[0] ? a->queue_schema : NULL;
}

const char *app_orders_table(const app *a)
{
	return a->o->orders ? a->o->orders : "orders";
}

int app_series(const app *a, const char *key, const double **v)
{
	for (int i = 0; i < a->nser; i++)
		if (strcmp(a->ser[i].key, key) == 0) {
			*v = a->ser[i].v;
			return a->ser[i].n;
		}
	return 0;
}

void app_refresh(app *a)
{
	a->next_refresh = 0;
}

void tui_set_refresh(app *a, int ms)
{
	a->refresh_ms = ms;
	if (!a->refresh_job)
		a->next_refresh = now_ms() + ms;
}

void tui_quit(app *a)
{
	a->quit = 1;
}

const backup_opts *tui_backup_defaults(const app *a)
{
	return &a->bo;
}

void tui_backup(app *a, const char *dest, const backup_opts *bo)
{
	if (a->backup_job) {
		app_msg(a, TH_error, "a backup is already running");
		return;
	}
	tjob *j = xcalloc(1, sizeof *j);
	j->kind = JOB_BACKUP;
	j->dest = xstrdup(dest);
	j->bo = *bo;
	a->backup_full = bo->verify_full;
	a->backup_job = twork_submit(a->bw, j);
	snprintf(a->backup_dest, sizeof a->backup_dest, "%s", dest);
}

static void backup_done(app *a, tjob *j)
{
	tstate ts;
	twork_state(a->bw, &ts);
	a->backup_job = 0;
	if (j->rc < 0)
		app_msg(a, TH_error, "backup to %s failed: %s", a->backup_dest, j->err.msg);
	else if (ts.b_count > 1)
		app_msg(a, TH_ok, "backup of %d databases to %s done in %.1f s, each verified (%s, SHA-256)",
			ts.b_count, a->backup_dest, (double)j->ms / 1000.0,
			a->backup_full ? "integrity_check" : "quick_check");
	else if (ts.b_line[0])
		app_msg(a, TH_ok, "%s", ts.b_line);
	else
		app_msg(a, TH_ok, "backup to %s done in %.1f s, verified", a->backup_dest, (double)j->ms / 1000.0);
	a->msg_until = now_ms() + 15000;  /* the summary stays a while */
}

/* The bottom line while a backup runs: a bar, pages, MB/s and ETA. */
static int draw_backup(app *a, int y)
{
	if (!a->backup_job)
		return 0;
	tstate bs, *ts = &bs;
	twork_state(a->bw, &bs);
	double s = (double)(now_ms() - ts->b_t0) / 1000.0, frac = ts->b_total ? (double)ts->b_done / ts->b_total : 0;
	double rate = s > 0 ? (double)ts->b_done / s : 0, eta = rate > 0 ? (ts->b_total - ts->b_done) / rate : 0;
	int width = 30, fill = (int)(frac * width);
	char bar[64];
	memset(bar, '=', (size_t)fill);
	memset(bar + fill, ' ', (size_t)(width - fill));
	bar[width] = 0;
	draw_fmt(y, 0, COLS, TH_info, " backup %s %s [%s] %lld/%lld pages  %3.0f%%  ETA %d:%02d  -> %s",
		 ts->b_schema[0] ? ts->b_schema : "...", ts->state == TC_UP ? "" : "(connecting)", bar, ts->b_done,
		 ts->b_total, frac * 100, (int)eta / 60, (int)eta % 60, a->backup_dest);
	return 1;
}

int app_theme(app *a, const char *name)
{
	lc_err e = { 0 };
	theme t;
	if (theme_load(&t, name, &e) < 0) {
		app_msg(a, TH_error, "theme %s kept: %s", a->th.name, e.msg);
		return -1;
	}
	a->th = t;
	draw_theme(&a->th, a->colour);
	clearok(stdscr, TRUE);
	app_msg(a, TH_ok, "theme %s", t.name);
	return 0;
}

/* ---- the catalog (loaded one schema per job, in the background) ---- */

static void catalog_next(app *a)
{
	if (a->cat_job || a->cat_next >= twork_ndb(a->w))
		return;
	tjob *j = xcalloc(1, sizeof *j);
	j->kind = JOB_QUERY;
	j->sql = tcat_sql(twork_schema(a->w, a->cat_next));
	j->max_rows = 200000;
	a->cat_job = twork_submit(a->w, j);
}

const tcat *app_catalog(app *a)
{
	if (!a->cat.loaded && !a->cat_job)
		catalog_next(a);
	return &a->cat;
}

static void catalog_done(app *a, tjob *j)
{
	a->cat_job = 0;
	if (j->rc == 0 && j->res)
		tcat_fill(&a->cat, j->res);
	if (j->rc < 0 && j->err.code == LC_ECONNECT)
		return;  /* again after the reconnect */
	a->cat_next++;
	if (a->cat_next >= twork_ndb(a->w))
		a->cat.loaded = 1;
	else
		catalog_next(a);
}

/* ---- samples and alerts from a new report ---- */

static void sample(app *a, const char *key, double v)
{
	series *s = NULL;
	for (int i = 0; i < a->nser && !s; i++)
		if (strcmp(a->ser[i].key, key) == 0)
			s = &a->ser[i];
	if (!s) {
		if (a->nser == MAXSERIES)
			return;
		s = &a->ser[a->nser++];
		snprintf(s->key, sizeof s->key, "%s", key);
	}
	if (s->n == NSAMPLES)
		memmove(s->v, s->v + 1, sizeof s->v[0] * (NSAMPLES - 1)), s->n--;
	s->v[s->n++] = v;
}

static double num(const lc_value *v)
{
	return !v ? 0 : v->type == LC_INT ? (double)v->i : v->type == LC_REAL ? v->r : 0;
}

static void take_samples(app *a)
{
	const isect *f = inspect_find(a->rep, "files"), *q = inspect_find(a->rep, "queues");
	char key[80];
	for (size_t i = 0; f && i < f->nrows; i++) {
		const lc_value *s = isect_get(f, i, "schema");
		snprintf(key, sizeof key, "wal:%.*s", s && s->type == LC_TEXT ? (int)s->n : 0, s ? s->p : "");
		sample(a, key, num(isect_get(f, i, "wal_frames")));
	}
	if (q && !q->absent) {
		double depth = 0;
		for (size_t i = 0; i < q->nrows; i++)
			depth += num(isect_get(q, i, "ready"));
		sample(a, "queue", depth);
	}
}

static void on_finding(void *ctx, int error, const char *check, const char *message)
{
	app *a = ctx;
	(void)check;
	if (a->nalerts == (int)(sizeof a->alerts / sizeof *a->alerts))
		return;
	alert *al = &a->alerts[a->nalerts++];
	al->error = error;
	snprintf(al->text, sizeof al->text, "%s", message);
}

static void find_queue_schema(app *a)
{
	const isect *q = inspect_find(a->rep, "queues");
	a->queue_schema[0] = 0;
	if (!q || q->absent)
		return;
	for (int i = 0; i < twork_ndb(a->w); i++)
		if (strcmp(twork_schema(a->w, i), "queue") == 0)
			return (void)snprintf(a->queue_schema, sizeof a->queue_schema, "queue");
	snprintf(a->queue_schema, sizeof a->queue_schema, "main");
}

/* Copy section s of an earlier report into r (the openers between scans). */
static void carry(inspect_report *r, const isect *s)
{
	if (!s)
		return;
	isect *n = inspect_add(r, s->name, s->ncol, (const char *const *)s->cols);
	for (size_t i = 0; i < s->nrows; i++)
		isect_row(n, s->cells + i * (size_t)s->ncol);
	if (s->absent)
		isect_absent(n, "%s", s->absent);
	if (s->note)
		isect_note(n, "%s", s->note);
}

static void refresh_done(app *a, tjob *j)
{
	a->refresh_job = 0;
	a->next_refresh = now_ms() + a->refresh_ms;
	if (j->rc < 0) {
		if (j->err.code != LC_ECONNECT)
			app_msg(a, TH_error, "refresh failed: %s", j->err.msg);
		return;
	}
	if (!inspect_find(j->rep, "openers") && a->rep)
		carry(j->rep, inspect_find(a->rep, "openers"));
	inspect_free(a->rep);
	a->rep = j->rep;
	j->rep = NULL;
	a->rep_at = now_ms();
	if (j->rtt_ms >= 0)
		a->rtt_ms = j->rtt_ms;
	take_samples(a);
	app_catalog(a);  /* completion and :table need it: load it now */
	a->nalerts = 0;
	check_rules(a->o, a->rep, on_finding, a);
	find_queue_schema(a);
	for (int i = 0; i < a->nv; i++)
		if (a->stack[i]->cls->refreshed)
			a->stack[i]->cls->refreshed(a, a->stack[i]);
}

static void refresh_start(app *a)
{
	tstate ts;
	twork_state(a->w, &ts);
	if (a->refresh_job || ts.state != TC_UP)
		return;
	tjob *j = xcalloc(1, sizeof *j);
	j->kind = JOB_REFRESH;
	/* Scanning /proc for the openers is the dearest part of a refresh on the
	 * host, and who holds the files changes seldom: every OPENERS_MS. */
	int openers = now_ms() - a->openers_at >= OPENERS_MS || a->openers_at == 0;
	if (openers)
		a->openers_at = now_ms();
	j->io = (inspect_opts){ .orders_table = app_orders_table(a), .latest = 12, .stale_s = 300, .openers = openers };
	a->refresh_job = twork_submit(a->w, j);
}

/* A finished job goes to whoever asked for it. */
static void dispatch(app *a, tjob *j)
{
	if (j->id == a->refresh_job) {
		refresh_done(a, j);
	} else if (j->id == a->cat_job) {
		catalog_done(a, j);
	} else if (j->id == a->backup_job) {
		backup_done(a, j);
	} else {
		for (int i = a->nv - 1; i >= 0; i--)
			if (a->stack[i]->job == j->id) {
				view *v = a->stack[i];
				v->job = 0;
				if (v->cls->done)
					v->cls->done(a, v, j);
				break;
			}
	}
	tjob_free(j);
}

/* ---- drawing ---- */

static const char *state_name(const tstate *ts)
{
	static const char *const names[] = { "up", "down", "reconnecting", "closed" };
	return names[ts->state];
}

static void draw_status(app *a, const tstate *ts)
{
	char left[600], right[200], when[32];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%H:%M:%S", localtime(&now));
	const conn *c = NULL;
	(void)c;
	double age = a->rep_at ? (double)(now_ms() - a->rep_at) / 1000.0 : -1;
	char target[40];
	size_t tn = strlen(a->o->target);
	if (tn <= 32)  /* a long target keeps its head and its tail */
		snprintf(target, sizeof target, "%s", a->o->target);
	else
		snprintf(target, sizeof target, "%.12s...%s", a->o->target, a->o->target + tn - 17);
	snprintf(left, sizeof left, " %s  %s %s  rtt %lld ms  %s", target, ts->state == TC_UP ? "●" : "○", state_name(ts),
		 a->rtt_ms, twork_peer(a->w));
	if (age >= 0)
		snprintf(right, sizeof right, "every %ds  %.1fs ago  %s ", a->refresh_ms / 1000, age, when);
	else
		snprintf(right, sizeof right, "every %ds  loading  %s ", a->refresh_ms / 1000, when);
	draw_fill(0, 0, COLS, TH_status);
	int rw = draw_width(right, strlen(right));
	draw_str(0, 0, COLS - rw - 1, left, TH_status);
	draw_right(0, 0, COLS, right, TH_status);
}

static void draw_alerts(app *a, const tstate *ts)
{
	draw_fill(1, 0, COLS, TH_normal);
	if (ts->state != TC_UP) {
		long long in = (ts->next_try - now_ms() + 999) / 1000;
		draw_fmt(1, 0, COLS, TH_crit, " connection lost: reconnecting%s (attempt %d%s%lld s): %s ",
			 ts->state == TC_RECONNECTING ? "" : "", ts->attempts + 1, in > 0 ? ", next in " : ", ",
			 in > 0 ? in : 0LL, ts->why);
		return;
	}
	if (!a->rep) {
		draw_str(1, 1, COLS - 1, "reading the store...", TH_dim);
		return;
	}
	if (!a->nalerts) {
		draw_str(1, 1, COLS - 1, draw_utf8() ? "✓ no findings" : "ok: no findings", TH_ok);
		return;
	}
	const alert *al = &a->alerts[0];
	for (int i = 1; i < a->nalerts; i++)
		if (a->alerts[i].error > al->error)
			al = &a->alerts[i];
	char more[32] = "";
	if (a->nalerts > 1)
		snprintf(more, sizeof more, " (+%d more)", a->nalerts - 1);
	draw_fmt(1, 0, COLS, al->error ? TH_crit : TH_warn, " %s %s%s ", al->error ? "ERROR" : "WARNING", al->text, more);
}

static void draw_bottom(app *a)
{
	int y = LINES - 1;
	draw_fill(y, 0, COLS, TH_normal);
	if (a->pr.open) {
		prompt_draw(&a->pr, y, COLS);
		return;
	}
	view *v = app_top(a);
	if (draw_backup(a, y))
		return;
	if (v->job && v->job_cancellable) {
		static const char spin[] = "|/-\\";
		draw_fmt(y, 0, COLS, TH_warn, " %c running (%.1f s): Esc or Ctrl-C cancels", spin[(now_ms() / 150) % 4],
			 (double)(now_ms() - v->job_t0) / 1000.0);
		return;
	}
	if (a->msg_until > now_ms()) {
		draw_str(y, 1, COLS - 1, a->msg, a->msg_el);
		return;
	}
	char hints[600];
	keys_hints(v->cls->ctx, hints, sizeof hints);
	draw_str(y, 1, COLS - 1, hints, TH_dim);
}

static void draw_all(app *a)
{
	tstate ts;
	twork_state(a->w, &ts);
	erase();
	curs_set(0);  /* the prompt and the editor show it again */
	a->small = COLS < 80 || LINES < 24;
	if (a->small) {
		char m[2][80];
		snprintf(m[0], sizeof m[0], "litecon needs at least 80x24; this terminal is %dx%d.", COLS, LINES);
		snprintf(m[1], sizeof m[1], "Make it larger, or press q to quit.");
		for (int i = 0; i < 2; i++)
			draw_str(LINES / 2 - 1 + i, 0, COLS, m[i], TH_warn);
		refresh();
		return;
	}
	draw_status(a, &ts);
	draw_alerts(a, &ts);
	view *v = app_top(a);
	v->cls->draw(a, v, 2, 0, LINES - 3, COLS);
	draw_bottom(a);
	refresh();
}

/* ---- keys ---- */

static void on_key(app *a, int key)
{
	if (a->pr.open) {
		char *line = NULL;
		int kind = a->pr.kind;
		if (prompt_key(&a->pr, a, key, &line) && line) {
			if (kind == ':')
				app_command(a, line);
			else if (app_top(a)->cls->filter) {
				view *v = app_top(a);
				snprintf(v->filter, sizeof v->filter, "%s", line);
				v->cls->filter(a, v, line);
			}
		}
		free(line);
		return;
	}
	view *v = app_top(a);
	int act = keys_action(v->cls->ctx, key);
	if (a->small && act != A_QUIT)
		return;
	if (v->cls->key(a, v, act, key) == VK_DONE)
		return;
	switch (act) {
	case A_QUIT:
		if (a->nv > 1)
			app_pop(a);
		else
			a->quit = 1;
		break;
	case A_BACK:
		if (v->job && v->job_cancellable)
			twork_cancel(a->w, v->job);
		else
			app_pop(a);
		break;
	case A_CANCEL:
		if (v->job)
			twork_cancel(a->w, v->job);
		break;
	case A_COMMAND:
		prompt_open(&a->pr, ':', "");
		break;
	case A_FILTER:
		if (v->cls->filter)
			prompt_open(&a->pr, '/', v->filter);
		else
			app_msg(a, TH_dim, "nothing to filter here");
		break;
	case A_HELP:
		app_push(a, help_new(a));
		break;
	case A_REFRESH:
		app_refresh(a);
		break;
	case A_EDITOR:
		app_command(a, "query");
		break;
	case A_TABLES:
		app_command(a, "tables");
		break;
	case A_BACKUP:
		app_command(a, "backup");
		break;
	}
}

static int read_keys(app *a)
{
	wint_t wc;
	int rc, n = 0;
	while ((rc = get_wch(&wc)) != ERR) {
		n++;
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE)
			continue;  /* the next draw uses the new size */
		on_key(a, rc == KEY_CODE_YES ? (int)(TK_FN | (int)wc) : (int)wc);
		if (a->quit)
			break;
	}
	return n;
}

/* ---- the loop ---- */

static int timeout_ms(app *a)
{
	long long now = now_ms(), t = 1000 - now % 1000;  /* the clock */
	view *v = app_top(a);
	if (v->job || a->refresh_job || a->pr.open || a->backup_job)
		t = t < 150 ? t : 150;  /* spinner, age, the backup's bar */
	if (!a->refresh_job && a->next_refresh - now < t)
		t = a->next_refresh - now;
	return t < 0 ? 0 : (int)t;
}

/* LITECON_KEYLOG=FILE (for bench/tui_keys.sh): for each wake-up with keys,
 * the microseconds from poll()'s return to the screen drawn after them. */
static void keylog(FILE *f, const struct timespec *t0, int keys)
{
	struct timespec t1;
	if (!f || !keys)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(f, "%ld\n", (long)((t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000));
	fflush(f);
}

static void loop(app *a)
{
	struct pollfd p[3] = { { 0, POLLIN, 0 }, { twork_fd(a->w), POLLIN, 0 }, { twork_fd(a->bw), POLLIN, 0 } };
	const char *kl = getenv("LITECON_KEYLOG");
	FILE *log = kl && *kl ? fopen(kl, "a") : NULL;
	struct timespec woke = { 0, 0 };
	int keys = 0;
	while (!a->quit) {
		if (now_ms() >= a->next_refresh)
			refresh_start(a);
		draw_all(a);
		keylog(log, &woke, keys);
		int rc = poll(p, 3, timeout_ms(a));
		if (rc < 0 && errno != EINTR)
			break;
		clock_gettime(CLOCK_MONOTONIC, &woke);
		keys = read_keys(a);  /* also KEY_RESIZE after SIGWINCH */
		tjob *j;
		while ((j = twork_take(a->w)))
			dispatch(a, j);
		while ((j = twork_take(a->bw)))
			dispatch(a, j);
	}
	if (log)
		fclose(log);
}

/* ---- set-up ---- */

static void pick_theme(app *a, const char *cfg_theme)
{
	const char *name = a->o->theme ? a->o->theme : getenv("LITECON_THEME");
	if (!name || !*name)
		name = cfg_theme;
	const char *nc = getenv("NO_COLOR");
	a->colour = 1;
	if (nc && *nc && !a->o->theme) {
		theme_mono(&a->th);
		a->colour = 0;
		return;
	}
	lc_err e = { 0 };
	if (theme_load(&a->th, name && *name ? name : "default", &e) < 0)
		app_msg(a, TH_error, "using the default theme: %s", e.msg);
}

/* Theme and refresh from the config file for @name targets. */
static void from_config(app *a, const char **theme_out)
{
	*theme_out = NULL;
	if (a->o->refresh_ms > 0)
		a->refresh_ms = a->o->refresh_ms;
	if (a->o->target[0] != '@')
		return;
	lc_config cfg = { 0 };
	lc_err e = { 0 };
	if (config_load(NULL, &cfg, &e) == 0) {
		const lc_target_cfg *t = config_target(&cfg, a->o->target + 1);
		static char name[64];
		if (t && t->theme)
			*theme_out = (snprintf(name, sizeof name, "%s", t->theme), name);
		if (t && t->refresh > 0 && a->o->refresh_ms <= 0)
			a->refresh_ms = t->refresh * 1000;
	}
	config_free(&cfg);
}

int tui_main(const cli *o, conn *c, const conn_opts *co, const backup_opts *bo)
{
	app *a = xcalloc(1, sizeof *a);
	a->o = o;
	a->refresh_ms = 2000;
	const char *cfg_theme;
	from_config(a, &cfg_theme);
	pick_theme(a, cfg_theme);
	a->w = twork_start(c, o->target, co);
	a->bw = a->w ? twork_start_lazy(o->target, co) : NULL;
	if (!a->bw) {
		fprintf(stderr, "litecon: cannot start the connection workers\n");
		twork_stop(a->w);
		free(a);
		return LC_ECONNECT;
	}
	a->bo = *bo;  /* :backup's --verify, --compress, --max-rate */
	signal(SIGINT, SIG_IGN);  /* Ctrl-C is a key here */
	if (draw_begin(&a->th, a->colour) < 0) {
		fprintf(stderr, "litecon: this terminal cannot show the dashboard (TERM=%s); use `litecon shell` or give SQL\n",
			getenv("TERM") ? getenv("TERM") : "");
		twork_stop(a->bw);
		twork_stop(a->w);
		free(a);
		return LC_EUSAGE;
	}
	app_push(a, dash_new(a));
	loop(a);
	draw_end();
	while (a->nv)
		view_free(a->stack[--a->nv]);
	twork_stop(a->bw);  /* a backup still running stops: its .partial goes */
	twork_stop(a->w);
	inspect_free(a->rep);
	tcat_clear(&a->cat);
	prompt_clear(&a->pr);
	hist_free();
	free(a);
	return 0;
}
