/*
 * stream_fd.c: a stream to a local child process over pipes: how tests and
 * `--agent PATH` on a local target run litecon-agent with no SSH. The
 * child's stderr is kept (the last 4 KiB) for error messages.
 */
#define _GNU_SOURCE
#include "stream.h"
#include "conn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct fd_stream {
	lc_stream s;      /* must be first */
	int in, out, err; /* child's stdout (we read), stdin (we write), stderr */
	pid_t pid;
	char errbuf[4096];
	size_t errlen;
} fd_stream;

static void drain_err(fd_stream *f)
{
	char tmp[1024];
	ssize_t n = read(f->err, tmp, sizeof tmp);
	if (n <= 0) {
		close(f->err);
		f->err = -1;
		return;
	}
	if (f->errlen + (size_t)n >= sizeof f->errbuf)
		f->errlen = 0;
	memcpy(f->errbuf + f->errlen, tmp, (size_t)n);
	f->errlen += (size_t)n;
	f->errbuf[f->errlen] = 0;
}

static ssize_t fd_read(lc_stream *s, void *p, size_t n, int timeout_ms, lc_err *e)
{
	fd_stream *f = (fd_stream *)s;
	long long end = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	for (;;) {
		struct pollfd pf[2] = { { f->in, POLLIN, 0 }, { f->err, POLLIN, 0 } };
		int wait = timeout_ms < 0 ? 250 : (int)(end - now_ms());
		if (conn_interrupted())
			return STREAM_INTR;
		if (timeout_ms >= 0 && wait <= 0)
			return STREAM_TIMEOUT;
		int r = poll(pf, f->err >= 0 ? 2 : 1, wait > 250 ? 250 : wait);
		if (r < 0 && errno != EINTR)
			return lc_err_set(e, LC_ECONNECT, "poll: %s", strerror(errno));
		if (r > 0 && f->err >= 0 && (pf[1].revents & (POLLIN | POLLHUP)))
			drain_err(f);
		if (r > 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t k = read(f->in, p, n);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return lc_err_set(e, LC_ECONNECT, "reading from the helper: %s", strerror(errno));
			return k;
		}
	}
}

/* Write with SIGPIPE blocked, so a dead helper is an error here and not
 * the end of litecon (stdout keeps the default: `litecon ... | head`). */
static int fd_write(lc_stream *s, const void *p, size_t n, lc_err *e)
{
	fd_stream *f = (fd_stream *)s;
	const char *c = p;
	sigset_t pipe_set, old;
	int rc = 0;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	while (n) {
		ssize_t k = write(f->out, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = lc_err_set(e, LC_ECONNECT, "the helper is gone (%s)", strerror(errno));
			struct timespec zero = { 0, 0 };
			sigtimedwait(&pipe_set, NULL, &zero);
			break;
		}
		c += k, n -= (size_t)k;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static const char *fd_errtext(lc_stream *s)
{
	return ((fd_stream *)s)->errbuf;
}

static void fd_close(lc_stream *s, int graceful)
{
	fd_stream *f = (fd_stream *)s;
	close(f->out);  /* EOF: the agent exits by itself */
	if (!graceful)
		kill(f->pid, SIGTERM);
	for (int i = 0; i < 100 && waitpid(f->pid, NULL, WNOHANG) == 0; i++)
		usleep(10000);
	if (waitpid(f->pid, NULL, WNOHANG) == 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
	}
	close(f->in);
	if (f->err >= 0)
		close(f->err);
	free(f);
}

lc_stream *stream_spawn(const char *const *argv, lc_err *e)
{
	int to[2], from[2], err[2];
	if (pipe2(to, O_CLOEXEC) < 0 || pipe2(from, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		lc_err_set(e, LC_ECONNECT, "pipe: %s", strerror(errno));
		return NULL;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(to[0], 0), dup2(from[1], 1), dup2(err[1], 2);
		signal(SIGINT, SIG_IGN);
		execv(argv[0], (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(to[0]), close(from[1]), close(err[1]);
	if (pid < 0) {
		close(to[1]), close(from[0]), close(err[0]);
		lc_err_set(e, LC_ECONNECT, "fork: %s", strerror(errno));
		return NULL;
	}
	fd_stream *f = xcalloc(1, sizeof *f);
	f->s = (lc_stream){ fd_read, fd_write, fd_errtext, fd_close, 0 };
	f->in = from[0], f->out = to[1], f->err = err[0], f->pid = pid;
	return &f->s;
}
