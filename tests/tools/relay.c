/*
 * relay.c: a small TCP relay for fault tests (SSH cut / stall / slow link).
 *
 *   relay [OPTIONS] LISTEN_PORT TARGET_HOST TARGET_PORT
 *
 * Listens on 127.0.0.1:LISTEN_PORT (0 = let the kernel pick one) and prints
 * the port it listens on as the first line of stdout, then flushes. Every
 * accepted connection gets its own connection to TARGET and bytes flow both
 * ways, with half-closes passed on. Several connections at once (up to 64).
 *
 * Control by signals:
 *   SIGUSR1  freeze: stop forwarding both ways and stop accepting; sockets
 *            stay open (a black hole). New connections wait in the backlog.
 *   SIGHUP   resume after a freeze.
 *   SIGUSR2  cut: close every connection at once with a RST (SO_LINGER 0),
 *            frozen or not; the relay keeps listening.
 *   SIGTERM / SIGINT  exit (status 0).
 *
 * Options:
 *   --delay-ms N     hold every chunk read for N ms before passing it on
 *   --rate KBPS      at most KBPS kilobytes (1000 bytes) per second in each
 *                    direction of each connection
 *   --cut-after B    cut every connection (as SIGUSR2) once B bytes in total
 *                    went server->client; exactly B bytes are passed. Once.
 *   --max-seconds N  exit by itself after N seconds (default 600), status 3
 *
 * Events go to stderr, one line each ("relay: ..."). Exit status: 0 on
 * SIGTERM/SIGINT, 1 on a setup error, 2 on a usage error, 3 on --max-seconds.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN 64
#define CHUNK 16384
#define QUEUE_MAX (1 << 20) /* per direction: stop reading above this */

struct chunk {
	struct chunk *next;
	int64_t due; /* monotonic us: not written before */
	size_t len, off;
	unsigned char data[];
};

struct dir { /* one direction: src fd -> dst fd */
	struct chunk *head, *tail;
	size_t queued;
	int eof;         /* the source sent EOF */
	int shut;        /* EOF passed on: shutdown(dst, SHUT_WR) */
	int64_t next_ok; /* --rate: earliest time of the next write */
};

struct conn { /* fd[0] client, fd[1] server; d[0] client->server, d[1] server->client */
	int fd[2];
	struct dir d[2];
};

static struct conn conns[MAXCONN];
static int sigw = -1;
static int frozen;
static int64_t delay_us, rate_bps, cut_after = -1, total_s2c;
static struct addrinfo *target;

static void on_signal(int sig)
{
	int e = errno;
	char c = sig == SIGUSR1 ? 'F' : sig == SIGUSR2 ? 'C' : sig == SIGHUP ? 'H' : 'T';
	ssize_t r = write(sigw, &c, 1);
	(void)r;
	errno = e;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void close_rst(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}

static void free_dir(struct dir *d)
{
	while (d->head) {
		struct chunk *n = d->head->next;
		free(d->head);
		d->head = n;
	}
	memset(d, 0, sizeof *d);
}

static void conn_end(struct conn *c, int rst)
{
	for (int i = 0; i < 2; i++) {
		if (rst)
			close_rst(c->fd[i]);
		else if (c->fd[i] >= 0)
			close(c->fd[i]);
		c->fd[i] = -1;
		free_dir(&c->d[i]);
	}
}

static void cut_all(const char *why)
{
	int n = 0;
	for (int i = 0; i < MAXCONN; i++)
		if (conns[i].fd[0] >= 0) {
			conn_end(&conns[i], 1);
			n++;
		}
	fprintf(stderr, "relay: cut %d connection(s) (%s)\n", n, why);
}

/* the direction's first chunk may be written now */
static int write_ready(const struct dir *d, int64_t now)
{
	return d->head && d->head->due <= now && (!rate_bps || d->next_ok <= now);
}

/* move bytes from src to the queue; returns -1 when the connection ended */
static int do_read(struct conn *c, int k, int64_t now)
{
	struct dir *d = &c->d[k];
	unsigned char buf[CHUNK];
	ssize_t r = recv(c->fd[k], buf, sizeof buf, 0);
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		conn_end(c, 1); /* pass a reset on as a reset */
		return -1;
	}
	if (r == 0) {
		d->eof = 1;
		return 0;
	}
	struct chunk *ch = malloc(sizeof *ch + (size_t)r);
	if (!ch) {
		conn_end(c, 1);
		return -1;
	}
	ch->next = NULL;
	ch->due = now + delay_us;
	ch->len = (size_t)r;
	ch->off = 0;
	memcpy(ch->data, buf, (size_t)r);
	if (d->tail)
		d->tail->next = ch;
	else
		d->head = ch;
	d->tail = ch;
	d->queued += (size_t)r;
	return 0;
}

/* write due bytes to dst; returns -1 when the connection ended (or all were cut) */
static int do_write(struct conn *c, int k, int64_t now)
{
	struct dir *d = &c->d[k];
	int dst = c->fd[1 - k];
	while (write_ready(d, now)) {
		struct chunk *ch = d->head;
		size_t n = ch->len - ch->off;
		if (rate_bps) {
			size_t step = (size_t)(rate_bps / 50 > 256 ? rate_bps / 50 : 256);
			if (n > step)
				n = step;
		}
		if (k == 1 && cut_after >= 0) {
			if (total_s2c >= cut_after) {
				cut_after = -1;
				cut_all("--cut-after");
				return -1;
			}
			if ((int64_t)n > cut_after - total_s2c)
				n = (size_t)(cut_after - total_s2c);
		}
		ssize_t w = send(dst, ch->data + ch->off, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return 0;
			conn_end(c, 1);
			return -1;
		}
		ch->off += (size_t)w;
		d->queued -= (size_t)w;
		if (k == 1)
			total_s2c += w;
		if (rate_bps)
			d->next_ok = (d->next_ok > now ? d->next_ok : now) + w * 1000000 / rate_bps;
		if (ch->off == ch->len) {
			d->head = ch->next;
			if (!d->head)
				d->tail = NULL;
			free(ch);
		}
		if (k == 1 && cut_after >= 0 && total_s2c >= cut_after) {
			cut_after = -1;
			cut_all("--cut-after");
			return -1;
		}
		if ((size_t)w < n)
			return 0;
	}
	return 0;
}

/* pass EOFs on and end the connection when both directions are done */
static void settle(struct conn *c)
{
	for (int k = 0; k < 2; k++) {
		struct dir *d = &c->d[k];
		if (d->eof && !d->head && !d->shut) {
			shutdown(c->fd[1 - k], SHUT_WR);
			d->shut = 1;
		}
	}
	if (c->d[0].shut && c->d[1].shut)
		conn_end(c, 0);
}

static int connect_target(const struct addrinfo *ai)
{
	for (; ai; ai = ai->ai_next) {
		int s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (s < 0)
			continue;
		if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0)
			return s;
		close(s);
	}
	return -1;
}

static void accept_all(int lfd)
{
	for (;;) {
		int cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				fprintf(stderr, "relay: accept: %s\n", strerror(errno));
			return;
		}
		int slot = -1;
		for (int i = 0; i < MAXCONN && slot < 0; i++)
			if (conns[i].fd[0] < 0)
				slot = i;
		int sfd = slot < 0 ? -1 : connect_target(target);
		if (sfd < 0) {
			fprintf(stderr, "relay: %s; connection refused\n",
				slot < 0 ? "too many connections" : "cannot connect to the target");
			close_rst(cfd);
			continue;
		}
		int one = 1;
		setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		set_nonblock(cfd);
		set_nonblock(sfd);
		struct conn *c = &conns[slot];
		memset(c, 0, sizeof *c);
		c->fd[0] = cfd;
		c->fd[1] = sfd;
		fprintf(stderr, "relay: connection %d open\n", slot);
	}
}

/* leave: close every connection (FIN, not RST) and free everything */
static int finish(int status)
{
	for (int i = 0; i < MAXCONN; i++)
		if (conns[i].fd[0] >= 0)
			conn_end(&conns[i], 0);
	if (target)
		freeaddrinfo(target);
	target = NULL;
	return status;
}

static int parse_num(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int usage(void)
{
	fputs("usage: relay [--delay-ms N] [--rate KBPS] [--cut-after BYTES] [--max-seconds N]\n"
	      "             LISTEN_PORT TARGET_HOST TARGET_PORT\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *pos[3];
	int npos = 0;
	long long max_seconds = 600, v;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-') {
			if (i + 1 >= argc)
				return usage();
			const char *val = argv[++i];
			if (!strcmp(a, "--delay-ms") && !parse_num(val, 0, 3600000, &v))
				delay_us = v * 1000;
			else if (!strcmp(a, "--rate") && !parse_num(val, 1, 10000000, &v))
				rate_bps = v * 1000;
			else if (!strcmp(a, "--cut-after") && !parse_num(val, 0, LLONG_MAX / 2, &v))
				cut_after = v;
			else if (!strcmp(a, "--max-seconds") && !parse_num(val, 1, 86400, &v))
				max_seconds = v;
			else
				return usage();
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			return usage();
		}
	}
	long long lport, tport;
	if (npos != 3 || parse_num(pos[0], 0, 65535, &lport) || parse_num(pos[2], 1, 65535, &tport))
		return usage();

	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	for (int i = 0; i < MAXCONN; i++)
		conns[i].fd[0] = conns[i].fd[1] = -1;
	int gai = getaddrinfo(pos[1], pos[2], &hints, &target);
	if (gai) {
		fprintf(stderr, "relay: %s: %s\n", pos[1], gai_strerror(gai));
		return 1;
	}

	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)lport)};
	socklen_t slen = sizeof sa;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof sa) || listen(lfd, 16) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &slen) || set_nonblock(lfd)) {
		fprintf(stderr, "relay: listen on 127.0.0.1:%lld: %s\n", lport, strerror(errno));
		return finish(1);
	}

	int sp[2];
	if (pipe(sp) || set_nonblock(sp[0]) || set_nonblock(sp[1])) {
		perror("relay: pipe");
		return finish(1);
	}
	sigw = sp[1];
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_handler = on_signal;
	sigemptyset(&act.sa_mask);
	int sigs[] = {SIGUSR1, SIGUSR2, SIGHUP, SIGTERM, SIGINT};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	printf("%d\n", ntohs(sa.sin_port));
	fflush(stdout);

	const int64_t deadline = now_us() + max_seconds * 1000000;
	struct pollfd pfd[2 + 2 * MAXCONN];
	for (;;) {
		int64_t now = now_us();
		if (now >= deadline) {
			fprintf(stderr, "relay: --max-seconds %lld reached, exiting\n", max_seconds);
			return finish(3);
		}
		int64_t wake = deadline; /* next timer: a delayed chunk, the rate limit */
		pfd[0] = (struct pollfd){.fd = sp[0], .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = frozen ? -1 : lfd, .events = POLLIN};
		for (int i = 0; i < MAXCONN; i++) {
			struct conn *c = &conns[i];
			for (int f = 0; f < 2; f++) {
				struct pollfd *p = &pfd[2 + 2 * i + f];
				p->fd = -1;
				p->events = 0;
				p->revents = 0;
				if (c->fd[0] < 0 || frozen)
					continue;
				struct dir *in = &c->d[f], *out = &c->d[1 - f]; /* fd f reads `in`, writes `out` */
				if (!in->eof && in->queued < QUEUE_MAX)
					p->events |= POLLIN;
				if (write_ready(out, now))
					p->events |= POLLOUT;
				else if (out->head) {
					int64_t t = out->head->due > out->next_ok || !rate_bps ? out->head->due : out->next_ok;
					if (t < wake)
						wake = t;
				}
				if (p->events)
					p->fd = c->fd[f];
			}
		}
		int64_t ms = (wake - now + 999) / 1000;
		int n = poll(pfd, 2 + 2 * MAXCONN, (int)(ms > 1000 ? 1000 : ms < 0 ? 0 : ms));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("relay: poll");
			return finish(1);
		}
		if (pfd[0].revents) {
			char b[64];
			ssize_t r;
			int any = 0;
			while ((r = read(sp[0], b, sizeof b)) > 0)
				for (ssize_t j = 0; j < r; j++) {
					any = 1;
					if (b[j] == 'T') {
						fputs("relay: exiting\n", stderr);
						return finish(0);
					} else if (b[j] == 'F') {
						frozen = 1;
						fputs("relay: frozen\n", stderr);
					} else if (b[j] == 'H') {
						frozen = 0;
						fputs("relay: resumed\n", stderr);
					} else if (b[j] == 'C') {
						cut_all("SIGUSR2");
					}
				}
			if (any)
				continue; /* the poll set may be stale */
		}
		if (n == 0)
			continue;
		now = now_us();
		if (pfd[1].revents & POLLIN)
			accept_all(lfd);
		for (int i = 0; i < MAXCONN; i++) {
			struct conn *c = &conns[i];
			for (int f = 0; f < 2 && c->fd[0] >= 0; f++) {
				short re = pfd[2 + 2 * i + f].revents;
				if (!re || pfd[2 + 2 * i + f].fd != c->fd[f])
					continue;
				if ((re & (POLLIN | POLLHUP | POLLERR)) && (pfd[2 + 2 * i + f].events & POLLIN) &&
				    do_read(c, f, now) < 0)
					break;
				if ((re & (POLLOUT | POLLHUP | POLLERR)) && (pfd[2 + 2 * i + f].events & POLLOUT) &&
				    do_write(c, 1 - f, now) < 0)
					break;
			}
			if (c->fd[0] >= 0)
				settle(c);
		}
	}
}
