/*
 * session.c: run statements, dot-commands and scripts for one-liners,
 * scripts and the shell, with sqlite3's rules: a script goes on after an
 * error unless -bail; the exit status is the first failure's. Also the
 * per-statement extras dot-commands switch on (.eqp, .limit, .timer) and
 * where output goes (.output, .once).
 */
#define _GNU_SOURCE
#include "session.h"
#include "dot.h"
#include "sqlval.h"
#include "textesc.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void session_fail(session *s, const lc_err *e)
{
	buf b = { 0 };
	esc_display(&b, e->msg, strlen(e->msg), 0);
	if (s->src && s->line)
		fprintf(s->err, "litecon: %s:%d: %s\n", s->src, s->line, b.p ? b.p : "");
	else
		fprintf(s->err, "litecon: %s\n", b.p ? b.p : "");
	fflush(s->err);
	buf_free(&b);
	if (strstr(e->msg, "no such table") || strstr(e->msg, "no such column"))
		s->schema_stale = 1;
	if (!s->status)
		s->status = e->code ? e->code : LC_ESQL;
	if (e->code == LC_ECANCEL) {
		s->status = LC_ECANCEL;
		s->stop = 1;
	}
	if (s->bail)
		s->stop = 1;
}

/* ---- .eqp: the query plan as sqlite3 draws it ---- */

typedef struct plan {
	size_t n;
	long long *id, *parent;
	char **detail;      /* owned, escaped for display */
} plan;

static int plan_row(void *ctx, int ncol, const lc_value *v)
{
	plan *p = ctx;
	buf b = { 0 };
	if (ncol < 4)
		return 0;
	p->id = xrealloc(p->id, (p->n + 1) * sizeof *p->id);
	p->parent = xrealloc(p->parent, (p->n + 1) * sizeof *p->parent);
	p->detail = xrealloc(p->detail, (p->n + 1) * sizeof *p->detail);
	p->id[p->n] = v[0].type == LC_INT ? v[0].i : 0;
	p->parent[p->n] = v[1].type == LC_INT ? v[1].i : 0;
	if (v[3].type == LC_TEXT)
		esc_display(&b, v[3].p, v[3].n, 0);
	p->detail[p->n++] = b.p ? b.p : xstrdup("");
	return 0;
}

static void plan_tree(const plan *p, long long parent, buf *prefix, buf *out)
{
	size_t at = prefix->len;
	for (size_t i = 0; i < p->n; i++) {
		if (p->parent[i] != parent)
			continue;
		size_t next = i + 1;
		while (next < p->n && p->parent[next] != parent)
			next++;
		int last = next == p->n;
		buf_add(out, prefix->p, prefix->len);
		buf_addf(out, "%s%s\n", last ? "`--" : "|--", p->detail[i]);
		buf_adds(prefix, last ? "   " : "|  ");
		plan_tree(p, p->id[i], prefix, out);
		prefix->len = at;
		prefix->p[at] = 0;
	}
}

/* Print the plan of one statement; quietly nothing when EXPLAIN fails (the
 * statement itself reports why). */
static void show_plan(session *s, const char *stmt)
{
	plan p = { 0 };
	lc_sink k = { NULL, plan_row, NULL };
	lc_err e = { 0 };
	char *sql = sql_printf("EXPLAIN QUERY PLAN %s", stmt);
	if (conn_exec(s->c, sql, &k, &p, &e) == 0 && p.n) {
		buf out = { 0 }, prefix = { 0 };
		buf_adds(&prefix, "");
		buf_adds(&out, "QUERY PLAN\n");
		plan_tree(&p, 0, &prefix, &out);
		fwrite(out.p, 1, out.len, render_out(s->r));
		buf_free(&out);
		buf_free(&prefix);
	}
	for (size_t i = 0; i < p.n; i++)
		free(p.detail[i]);
	free(p.id);
	free(p.parent);
	free(p.detail);
	free(sql);
}

/* ---- .limit: a sink in front of the render that stops after N rows ---- */

typedef struct cut {
	session *s;
	long long rows;
	int hit;            /* more rows than the limit: stopped */
} cut;

static int cut_begin(void *ctx, int ncol, const char *const *names)
{
	cut *c = ctx;
	c->rows = 0;
	return render_sink()->begin(c->s->r, ncol, names);
}

static int cut_row(void *ctx, int ncol, const lc_value *v)
{
	cut *c = ctx;
	if (c->s->limit > 0 && c->rows >= c->s->limit) {
		c->hit = 1;
		render_sink()->end(c->s->r, c->rows);  /* box and friends print now */
		return 1;
	}
	c->rows++;
	return render_sink()->row(c->s->r, ncol, v);
}

static int cut_end(void *ctx, long long nrows)
{
	cut *c = ctx;
	return render_sink()->end(c->s->r, nrows);
}

static const lc_sink cut_sink = { cut_begin, cut_row, cut_end };

/* Run sql (one statement when .eqp or .limit is on, else any number). */
static int run(session *s, const char *sql)
{
	lc_err e = { 0 };
	cut c = { .s = s };
	long long t0 = now_ms();
	if (s->eqp)
		show_plan(s, sql);
	int rc = conn_exec(s->c, sql, &cut_sink, &c, &e);
	fflush(render_out(s->r));
	if (s->timer)
		fprintf(s->err, "Run Time: real %.3f\n", (now_ms() - t0) / 1000.0);
	if (rc < 0 && c.hit && e.code != LC_ECANCEL) {
		fprintf(s->err, "(more rows not shown: .limit %lld is set; .limit 0 shows all)\n", s->limit);
		rc = 0;
	}
	if (rc < 0)
		session_fail(s, &e);
	return rc;
}

int session_blank(const char *p)
{
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return 0;
			p = e + 2;
		} else {
			return *p == 0;
		}
	}
}

/* Length of the first statement of sql: up to the ';' that completes it,
 * or all of it. */
static size_t first_stmt(const char *sql)
{
	size_t n = strlen(sql);
	for (const char *p = sql; (p = strchr(p, ';')) != NULL; p++) {
		char *head = xstrndup(sql, (size_t)(p - sql) + 1);
		int done = sql_complete(head);
		free(head);
		if (done)
			return (size_t)(p - sql) + 1;
	}
	return n;
}

int session_sql(session *s, const char *sql)
{
	int rc = 0;
	if (!s->eqp && !s->limit) {
		rc = run(s, sql);
	} else {
		while (*sql && !s->stop) {
			size_t n = first_stmt(sql);
			char *one = xstrndup(sql, n);
			if (!session_blank(one) && run(s, one) < 0)
				rc = -1;
			free(one);
			sql += n;
		}
	}
	session_done(s);
	return rc;
}

/* ---- where output goes ---- */

static void base_init(session *s)
{
	if (s->base)
		return;
	s->base = render_out(s->r);
	s->base_tty = isatty(fileno(s->base));
}

void session_reroute(session *s)
{
	base_init(s);
	render_set_out(s->r, s->out ? s->out : s->base, !s->out && s->base_tty);
}

void session_close(session *s)
{
	if (!s->out)
		return;
	if (s->out_pipe)
		pclose(s->out);
	else
		fclose(s->out);
	s->out = NULL;
	s->once = 0;
	session_reroute(s);
}

int session_output(session *s, const char *path, int once)
{
	base_init(s);
	fflush(render_out(s->r));
	session_close(s);
	if (!path)
		return 0;
	int pipe = path[0] == '|';
	lc_err e;
	if (!pipe && s->c && conn_check_output(s->c, path, &e) < 0) {  /* .output production.sqlite3 */
		session_fail(s, &e);
		return -1;
	}
	FILE *f = pipe ? popen(path + 1, "w") : fopen(path, "w");
	if (!f) {
		lc_err_set(&e, LC_EUSAGE, "cannot write %s: %s", path, strerror(errno));
		session_fail(s, &e);
		return -1;
	}
	s->out = f;
	s->out_pipe = pipe;
	s->once = once ? 2 : 0;  /* this command, then the next one */
	session_reroute(s);
	return 0;
}

void session_done(session *s)
{
	if (s->once && --s->once == 0)
		session_close(s);
}

/* ---- scripts ---- */

/* Run the statement collected in b (if any) and forget it. */
static void flush_stmt(session *s, buf *b)
{
	if (b->len && !session_blank(b->p))
		session_sql(s, b->p);
	buf_reset(b);
}

int session_script(session *s, FILE *in, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, start = 0, outer_line = s->line;
	const char *outer_src = s->src;
	buf stmt = { 0 };
	s->src = name;
	while (!s->stop && (n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (stmt.len == 0 || session_blank(stmt.p)) {
			buf_reset(&stmt);
			start = lineno;
			if (line[strspn(line, " \t")] == '.') {
				s->line = lineno;
				session_dot(s, line + strspn(line, " \t"));
				continue;
			}
		}
		buf_add(&stmt, line, (size_t)n);
		if (sql_complete(stmt.p)) {
			s->line = start;
			flush_stmt(s, &stmt);
		}
	}
	if (!s->stop && conn_interrupted()) {
		lc_err e = { LC_ECANCEL, "cancelled" };
		session_fail(s, &e);
	}
	if (!s->stop) {
		s->line = start;
		flush_stmt(s, &stmt);
	}
	s->src = outer_src;
	s->line = outer_line;
	free(line);
	buf_free(&stmt);
	return s->status ? -1 : 0;
}
