/*
 * session.c: run statements, dot-commands and scripts for one-liners,
 * scripts and the shell, with sqlite3's rules: a script goes on after an
 * error unless -bail; the exit status is the first failure's.
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
	if (!s->status)
		s->status = e->code ? e->code : LC_ESQL;
	if (e->code == LC_ECANCEL) {
		s->status = LC_ECANCEL;
		s->stop = 1;
	}
	if (s->bail)
		s->stop = 1;
}

int session_sql(session *s, const char *sql)
{
	lc_err e = { 0 };
	long long t0 = now_ms();
	int rc = conn_exec(s->c, sql, render_sink(), s->r, &e);
	fflush(render_out(s->r));
	if (s->timer)
		fprintf(s->err, "Run Time: real %.3f\n", (now_ms() - t0) / 1000.0);
	if (rc < 0)
		session_fail(s, &e);
	return rc;
}

/* Only blanks and complete SQL comments? */
static int blank(const char *p)
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

/* Run the statement collected in b (if any) and forget it. */
static void flush_stmt(session *s, buf *b)
{
	if (b->len && !blank(b->p))
		session_sql(s, b->p);
	buf_reset(b);
}

int session_script(session *s, FILE *in, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, start = 0;
	buf stmt = { 0 };
	s->src = name;
	while (!s->stop && (n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (stmt.len == 0 || blank(stmt.p)) {
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
	s->line = 0;
	free(line);
	buf_free(&stmt);
	return s->status ? -1 : 0;
}
