/*
 * shell_pager.c: one command's output, paged only when it needs to be. A
 * stdio stream (fopencookie) keeps what is written (in memory, then in an
 * unlinked temporary file past SPOOL_MEM) and counts the screen rows it
 * takes (wide lines wrap). When the command ends, output that fits above
 * the next prompt goes to the terminal; taller output goes to $PAGER, run
 * by /bin/sh with the spool as its standard input. The pager starts only
 * after the statement has finished: a person reading in less never holds a
 * read transaction open (DESIGN.md, read-only rule 5), and quitting the
 * pager early cancels nothing.
 */
#define _GNU_SOURCE
#include "shell.h"
#include "textesc.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPOOL_MEM (1 << 20)

struct pager {
	FILE *out;           /* not owned: the terminal */
	FILE *f;             /* owned: the stream handed out */
	FILE *spool;         /* owned: temporary file once past SPOOL_MEM */
	char *cmd;           /* owned */
	int rows, cols;
	int used;            /* screen rows of the complete lines so far */
	int tall;            /* more than fits above the prompt */
	buf held;            /* what was written, while it is small */
	buf line;            /* the line being written (until its '\n') */
};

/* Screen rows of one line of w columns. */
static int height(const pager *pg, int w)
{
	return w > pg->cols ? (w + pg->cols - 1) / pg->cols : 1;
}

static void count(pager *pg, const char *p, size_t n)
{
	while (n && !pg->tall) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;
		buf_add(&pg->line, p, k);
		if (nl) {
			pg->used += height(pg, u8_width(pg->line.p ? pg->line.p : "", pg->line.len));
			buf_reset(&pg->line);
			k++;
		} else if (pg->line.len > (size_t)pg->rows * (size_t)pg->cols * 4) {
			pg->tall = 1;  /* one line longer than the screen */
		}
		pg->tall |= pg->used > pg->rows - 1;
		p += k;
		n -= k;
	}
	if (pg->tall)
		buf_free(&pg->line);
}

static ssize_t pg_write(void *c, const char *p, size_t n)
{
	pager *pg = c;
	count(pg, p, n);
	if (!pg->spool && pg->held.len + n > SPOOL_MEM && (pg->spool = tmpfile()) != NULL) {
		fwrite(pg->held.p, 1, pg->held.len, pg->spool);
		buf_free(&pg->held);
	}
	if (pg->spool)
		return fwrite(p, 1, n, pg->spool) == n ? (ssize_t)n : -1;
	buf_add(&pg->held, p, n);
	return (ssize_t)n;
}

pager *pager_open(FILE *out, int rows, int cols, const char *cmd)
{
	static const cookie_io_functions_t io = { .write = pg_write };
	pager *pg = xcalloc(1, sizeof *pg);
	pg->out = out;
	pg->rows = rows > 2 ? rows : 24;
	pg->cols = cols > 0 ? cols : 80;
	pg->cmd = xstrdup(cmd);
	pg->f = fopencookie(pg, "w", io);
	if (!pg->f) {
		free(pg->cmd);
		free(pg);
		return NULL;
	}
	return pg;
}

FILE *pager_stream(pager *p)
{
	return p->f;
}

/* Copy the spool to the terminal. */
static void spool_out(pager *pg)
{
	char tmp[1 << 14];
	size_t n;
	rewind(pg->spool);
	while ((n = fread(tmp, 1, sizeof tmp, pg->spool)) > 0)
		fwrite(tmp, 1, n, pg->out);
}

/* Run the pager on the spool and wait for it; -1 when it could not start. */
static int page(pager *pg)
{
	int st;
	fflush(pg->out);
	fflush(pg->spool);
	rewind(pg->spool);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fileno(pg->spool), 0);
		execl("/bin/sh", "sh", "-c", pg->cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return 0;
}

void pager_close(pager *pg)
{
	if (!pg)
		return;
	fclose(pg->f);       /* flushes into pg_write */
	if (pg->tall && !pg->spool && (pg->spool = tmpfile()) != NULL) {
		fwrite(pg->held.p, 1, pg->held.len, pg->spool);
		buf_free(&pg->held);
	}
	int paged = pg->tall && pg->spool && page(pg) == 0;
	if (!paged && pg->spool)
		spool_out(pg);
	else if (!paged)
		fwrite(pg->held.p ? pg->held.p : "", 1, pg->held.len, pg->out);
	fflush(pg->out);
	if (pg->spool)
		fclose(pg->spool);
	buf_free(&pg->held);
	buf_free(&pg->line);
	free(pg->cmd);
	free(pg);
}
