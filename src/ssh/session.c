/*
 * session.c: one SSH connection: TCP (or ProxyJump through `ssh -W` on a
 * socketpair), handshake with the host-key preference taken from
 * known_hosts, verification, authentication; then exec channels and SFTP.
 * Blocking calls always carry a session timeout; after a transport error
 * the session is freed without a polite goodbye, which would only wait on
 * a dead peer (reference/ssh.md §5, §6).
 */
#define _GNU_SOURCE
#include "sshc.h"
#include "knownhosts.h"
#include "sshauth.h"
#include "conn.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct sshc {
	LIBSSH2_SESSION *s;
	int fd;
	pid_t jump;          /* ssh -W helper, or 0 */
	int dead;            /* transport failed */
	int alive_ms;        /* keepalive interval */
	int alive_count;
	char *host;          /* for messages */
};

int sshc_dead(const sshc *s)
{
	return s->dead;
}

static int tcp_connect(const ssh_cfg *c, lc_err *e)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char port[16];
	int fd = -1, gai;
	snprintf(port, sizeof port, "%d", c->port);
	if ((gai = getaddrinfo(c->hostname, port, &hints, &res)) != 0)
		return lc_err_set(e, LC_ECONNECT, "cannot resolve %s: %s", c->hostname, gai_strerror(gai));
	int err = 0;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
			err = errno, close(fd), fd = -1;
			continue;
		}
		struct pollfd p = { fd, POLLOUT, 0 };
		socklen_t sl = sizeof err;
		int r = poll(&p, 1, c->connect_timeout * 1000);
		if (r <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0 || err) {
			err = r == 0 ? ETIMEDOUT : err;
			close(fd), fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		return lc_err_set(e, LC_ECONNECT, "cannot connect to %s port %d: %s", c->hostname, c->port,
				  strerror(err ? err : ECONNREFUSED));
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* ProxyJump: OpenSSH's client makes the hop (its own config, keys and
 * known_hosts) and hands us a byte stream on a socketpair. */
static int jump_connect(const ssh_cfg *c, pid_t *pid, lc_err *e)
{
	int sv[2];
	char target[600];
	snprintf(target, sizeof target, "%s:%d", c->hostname, c->port);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return lc_err_set(e, LC_ECONNECT, "socketpair: %s", strerror(errno));
	*pid = fork();
	if (*pid == 0) {
		dup2(sv[1], 0), dup2(sv[1], 1);
		signal(SIGINT, SIG_IGN);
		if (c->config_file)
			execlp("ssh", "ssh", "-F", c->config_file, "-o", "BatchMode=yes", "-W", target, "--", c->proxyjump,
			       (char *)NULL);
		execlp("ssh", "ssh", "-o", "BatchMode=yes", "-W", target, "--", c->proxyjump, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	if (*pid < 0) {
		close(sv[0]);
		return lc_err_set(e, LC_ECONNECT, "fork: %s", strerror(errno));
	}
	return sv[0];
}

static const char *ssh_errmsg(LIBSSH2_SESSION *s)
{
	char *msg = NULL;
	libssh2_session_last_error(s, &msg, NULL, 0);
	return msg ? msg : "unknown error";
}

static int handshake(sshc *h, const ssh_cfg *c, lc_err *e)
{
	/* OpenSSH's order when nothing is on file (libssh2 alone would pick ECDSA). */
	static const char fallback[] = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa";
	char *prefs = kh_prefs(h->s, c);
	libssh2_session_method_pref(h->s, LIBSSH2_METHOD_HOSTKEY, prefs ? prefs : fallback);
	int rc = libssh2_session_handshake(h->s, h->fd);
	if (rc != 0) {
		h->dead = 1;
		if (rc == LIBSSH2_ERROR_TIMEOUT)
			lc_err_set(e, LC_ECONNECT, "%s did not answer the SSH handshake within %d s", c->hostname, c->connect_timeout);
		else if (prefs && rc == LIBSSH2_ERROR_KEX_FAILURE)
			lc_err_set(e, LC_EHOSTKEY, "%s offers none of the host key types known_hosts has for it (%s)",
				   c->hostname, prefs);
		else
			lc_err_set(e, LC_ECONNECT, "SSH handshake with %s failed: %s", c->hostname, ssh_errmsg(h->s));
	}
	free(prefs);
	return rc ? -1 : 0;
}

int sshc_connect(const ssh_cfg *c, sshc **out, lc_err *e)
{
	sshc *h = xcalloc(1, sizeof *h);
	h->fd = -1;
	h->host = xstrdup(c->hostname);
	h->alive_ms = c->alive_interval * 1000;
	h->alive_count = c->alive_count;
	*out = NULL;
	static int inited;
	if (!inited++ && libssh2_init(0) != 0) {
		lc_err_set(e, LC_ECONNECT, "cannot initialise libssh2");
		goto fail;
	}
	h->fd = c->proxyjump ? jump_connect(c, &h->jump, e) : tcp_connect(c, e);
	if (h->fd < 0)
		goto fail;
	h->s = libssh2_session_init();
	if (!h->s) {
		lc_err_set(e, LC_ECONNECT, "cannot start an SSH session");
		goto fail;
	}
	libssh2_session_set_blocking(h->s, 1);
	libssh2_session_set_timeout(h->s, (long)c->connect_timeout * 1000);
	if (handshake(h, c, e) < 0 || kh_verify(h->s, c, e) < 0 || ssh_auth(h->s, c, e) < 0)
		goto fail;
	/* Only now: a keepalive configured before the handshake breaks the key
	 * exchange in libssh2 1.10 ("Unable to exchange encryption keys"). */
	libssh2_keepalive_config(h->s, 1, (unsigned)c->alive_interval);
	*out = h;
	return 0;
fail:
	h->dead = 1;
	sshc_free(h, 0);
	return -1;
}

void sshc_free(sshc *h, int graceful)
{
	if (!h)
		return;
	if (!graceful || h->dead)
		shutdown(h->fd, SHUT_RDWR);  /* a dead or frozen peer: nothing below may wait on it */
	if (h->s) {
		if (graceful && !h->dead) {
			libssh2_session_set_timeout(h->s, 2000);
			libssh2_session_disconnect(h->s, "bye");
		}
		/* Blocking with a short timeout: free must not wait long on a dead
		 * peer, and a non-blocking free may give up without freeing. */
		libssh2_session_set_blocking(h->s, 1);
		libssh2_session_set_timeout(h->s, 1000);
		libssh2_session_free(h->s);
	}
	if (h->fd >= 0)
		close(h->fd);
	if (h->jump > 0) {
		kill(h->jump, SIGTERM);
		waitpid(h->jump, NULL, 0);
	}
	free(h->host);
	free(h);
}

/* A transport error: remember it and say what happened in words. */
static int transport(sshc *h, int rc, lc_err *e)
{
	h->dead = 1;
	if (rc == LIBSSH2_ERROR_TIMEOUT)
		return lc_err_set(e, LC_ECONNECT, "%s stopped answering (timeout); the connection is lost", h->host);
	if (rc == LIBSSH2_ERROR_SOCKET_RECV || rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_DISCONNECT)
		return lc_err_set(e, LC_ECONNECT, "the connection to %s was lost", h->host);
	return lc_err_set(e, LC_ECONNECT, "SSH error with %s: %s", h->host, ssh_errmsg(h->s));
}

static LIBSSH2_CHANNEL *open_exec(sshc *h, const char *cmd, lc_err *e)
{
	/* A 6 MiB window (libssh2 defaults to 2 MiB): a bulk result streams
	 * without waiting for window adjustments. */
	LIBSSH2_CHANNEL *ch = libssh2_channel_open_ex(h->s, "session", sizeof "session" - 1, 6u << 20,
						      LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
	if (!ch) {
		transport(h, libssh2_session_last_errno(h->s), e);
		return NULL;
	}
	if (libssh2_channel_exec(ch, cmd) != 0) {
		lc_err_set(e, LC_ECONNECT, "%s refused to run a command: %s", h->host, ssh_errmsg(h->s));
		libssh2_channel_free(ch);
		return NULL;
	}
	return ch;
}

int sshc_run(sshc *h, const char *cmd, buf *out, buf *err, int *status, lc_err *e)
{
	char tmp[16384];
	LIBSSH2_CHANNEL *ch = open_exec(h, cmd, e);
	if (!ch)
		return -1;
	for (;;) {
		ssize_t n = libssh2_channel_read(ch, tmp, sizeof tmp);
		ssize_t m = libssh2_channel_read_stderr(ch, tmp + 8192, 8192);
		if (n > 0 && out && out->len < (1u << 20))
			buf_add(out, tmp, (size_t)n);
		if (m > 0 && err && err->len < 8192)
			buf_add(err, tmp + 8192, (size_t)m);
		if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
			libssh2_channel_free(ch);
			return transport(h, (int)n, e);
		}
		if (n <= 0 && m <= 0 && libssh2_channel_eof(ch))
			break;
	}
	libssh2_channel_close(ch);
	libssh2_channel_wait_closed(ch);
	char *sig = NULL;
	libssh2_channel_get_exit_signal(ch, &sig, NULL, NULL, NULL, NULL, NULL);
	/* 1.10 says 0 when no exit status came: a signal means it did not finish. */
	*status = sig ? 128 : libssh2_channel_get_exit_status(ch);
	free(sig);
	libssh2_channel_free(ch);
	return 0;
}

/* ---- the exec channel as a stream ---- */

typedef struct ch_stream {
	lc_stream st;         /* must be first */
	sshc *h;              /* owned */
	LIBSSH2_CHANNEL *ch;
	long long last_rx;    /* ms: last time the peer sent anything */
	buf pre;              /* bytes read while starting, handed out first */
	size_t pre_off;
	char errbuf[4096];
	size_t errlen;
} ch_stream;

static void read_stderr(ch_stream *c)
{
	char tmp[2048];
	ssize_t n;
	while ((n = libssh2_channel_read_stderr(c->ch, tmp, sizeof tmp)) > 0) {
		if (c->errlen + (size_t)n >= sizeof c->errbuf)
			c->errlen = 0;
		memcpy(c->errbuf + c->errlen, tmp, (size_t)n);
		c->errlen += (size_t)n;
		c->errbuf[c->errlen] = 0;
	}
}

/* Wait for the socket in the directions libssh2 needs, at most ms; keep
 * the keepalive going and notice a silent peer. */
static int wait_socket(ch_stream *c, int ms, lc_err *e)
{
	int next = 0, dirs = libssh2_session_block_directions(c->h->s);
	struct pollfd p = { c->h->fd, 0, 0 };
	if (libssh2_keepalive_send(c->h->s, &next) < 0 && libssh2_session_last_errno(c->h->s) != LIBSSH2_ERROR_EAGAIN)
		return transport(c->h, libssh2_session_last_errno(c->h->s), e);
	if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND || !dirs)
		p.events |= POLLIN;
	if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		p.events |= POLLOUT;
	if (poll(&p, 1, ms) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
		c->last_rx = now_ms();
	long long silent = now_ms() - c->last_rx, limit = (long long)c->h->alive_ms * c->h->alive_count;
	if (limit > 0 && silent > limit + 1000) {
		c->h->dead = 1;
		return lc_err_set(e, LC_ECONNECT, "%s sent nothing for %lld s (ServerAliveInterval x ServerAliveCountMax); "
				  "the connection is lost", c->h->host, silent / 1000);
	}
	return 0;
}

static ssize_t ch_read(lc_stream *s, void *p, size_t n, int timeout_ms, lc_err *e)
{
	ch_stream *c = (ch_stream *)s;
	long long end = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	if (c->pre_off < c->pre.len) {
		size_t k = c->pre.len - c->pre_off < n ? c->pre.len - c->pre_off : n;
		memcpy(p, c->pre.p + c->pre_off, k);
		c->pre_off += k;
		return (ssize_t)k;
	}
	for (;;) {
		read_stderr(c);
		ssize_t k = libssh2_channel_read(c->ch, p, n);
		if (k > 0) {
			c->last_rx = now_ms();
			return k;
		}
		if (k < 0 && k != LIBSSH2_ERROR_EAGAIN)
			return transport(c->h, (int)k, e);
		if (libssh2_channel_eof(c->ch))
			return STREAM_EOF;
		if (conn_interrupted())
			return STREAM_INTR;
		if (timeout_ms >= 0 && now_ms() >= end)
			return STREAM_TIMEOUT;
		if (wait_socket(c, 250, e) < 0)
			return STREAM_ERR;
	}
}

static int ch_write(lc_stream *s, const void *p, size_t n, lc_err *e)
{
	ch_stream *c = (ch_stream *)s;
	const char *b = p;
	while (n) {
		ssize_t k = libssh2_channel_write(c->ch, b, n);  /* after EAGAIN: the same call again */
		if (k > 0) {
			b += k, n -= (size_t)k;
			continue;
		}
		if (k != LIBSSH2_ERROR_EAGAIN)
			return transport(c->h, (int)k, e);
		read_stderr(c);
		if (wait_socket(c, 250, e) < 0)
			return -1;
	}
	return 0;
}

static const char *ch_errtext(lc_stream *s)
{
	return ((ch_stream *)s)->errbuf;
}

static void ch_close(lc_stream *s, int graceful)
{
	ch_stream *c = (ch_stream *)s;
	if (!graceful || c->h->dead)
		shutdown(c->h->fd, SHUT_RDWR);  /* let every libssh2 call below fail at once */
	if (c->ch) {
		if (graceful && !c->h->dead) {
			libssh2_session_set_blocking(c->h->s, 1);
			libssh2_session_set_timeout(c->h->s, 2000);
			libssh2_channel_send_eof(c->ch);
			libssh2_channel_close(c->ch);
		}
		libssh2_channel_free(c->ch);
	}
	sshc_free(c->h, graceful);
	buf_free(&c->pre);
	free(c);
}

/* Read a fresh exec channel until the agent's magic shows up (1), or the
 * command ends without it (0; its stdout, then its stderr, are in out).
 * Both streams are drained: in libssh2 1.10 unread stderr keeps the
 * channel from ever reaching EOF. At most 20 s. */
static int await_magic(sshc *h, LIBSSH2_CHANNEL *ch, buf *out, lc_err *e)
{
	char tmp[4096];
	buf err = { 0 };
	long long end = now_ms() + 20000, last_rx = now_ms();
	int rc = 0;
	libssh2_session_set_blocking(h->s, 0);
	for (;;) {
		ssize_t n = libssh2_channel_read(ch, tmp, sizeof tmp);
		ssize_t m = libssh2_channel_read_stderr(ch, tmp + 2048, 2048);
		if (n > 0)
			buf_add(out, tmp, (size_t)n);
		if (m > 0 && err.len < 8192)
			buf_add(&err, tmp + 2048, (size_t)m);
		if (n > 0 && memmem(out->p, out->len, PROTO_MAGIC, sizeof PROTO_MAGIC - 1)) {
			rc = 1;
			break;
		}
		if ((n < 0 && n != LIBSSH2_ERROR_EAGAIN) || (m < 0 && m != LIBSSH2_ERROR_EAGAIN)) {
			rc = transport(h, (int)(n < 0 && n != LIBSSH2_ERROR_EAGAIN ? n : m), e);
			break;
		}
		if (out->len > PROTO_MAGIC_MAX || (n <= 0 && m <= 0 && libssh2_channel_eof(ch)))
			break;
		if (n > 0 || m > 0)
			last_rx = now_ms();
		if (n <= 0 && m <= 0) {
			/* Giving up closes the session without a goodbye (dead): a
			 * frozen peer must not keep libssh2 from freeing it. */
			long long silent = now_ms() - last_rx, limit = (long long)h->alive_ms * h->alive_count;
			if (limit > 0 && silent > limit + 1000) {
				h->dead = 1;
				rc = lc_err_set(e, LC_ECONNECT, "%s sent nothing for %lld s (ServerAliveInterval x ServerAliveCountMax) "
						"while the helper started; the connection is lost", h->host, silent / 1000);
				break;
			}
			if (now_ms() > end) {
				h->dead = 1;
				rc = lc_err_set(e, LC_ECONNECT, "%s started the helper but it said nothing for 20 s", h->host);
				break;
			}
			int next = 0;
			libssh2_keepalive_send(h->s, &next);
			struct pollfd p = { h->fd, POLLIN, 0 };
			poll(&p, 1, 100);
		}
	}
	if (rc == 0 && err.len)
		buf_add(out, err.p, err.len);
	buf_free(&err);
	libssh2_session_set_blocking(h->s, 1);
	return rc;
}

lc_stream *sshc_exec_agent(sshc *h, const char *cmd, buf *out, lc_err *e)
{
	LIBSSH2_CHANNEL *ch = open_exec(h, cmd, e);
	int r = ch ? await_magic(h, ch, out, e) : -1;
	if (r <= 0) {
		if (ch)
			libssh2_channel_free(ch);
		return NULL;
	}
	ch_stream *c = xcalloc(1, sizeof *c);
	c->st = (lc_stream){ ch_read, ch_write, ch_errtext, ch_close, 1 };
	c->h = h;
	c->ch = ch;
	c->pre = *out;  /* the magic and what followed it are read again by the agent conn */
	*out = (buf){ 0 };
	c->last_rx = now_ms();
	libssh2_session_set_blocking(h->s, 0);
	return &c->st;
}

/* ---- SFTP ---- */

static int sftp_fail(sshc *h, LIBSSH2_SFTP *sftp, const char *what, const char *path, lc_err *e)
{
	unsigned long code = sftp ? libssh2_sftp_last_error(sftp) : 0;
	static const struct { unsigned long code; const char *text; } texts[] = {
		{ LIBSSH2_FX_PERMISSION_DENIED, "permission denied" }, { LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM, "the disk is full" },
		{ LIBSSH2_FX_NO_SUCH_FILE, "no such file or directory" }, { LIBSSH2_FX_QUOTA_EXCEEDED, "quota exceeded" },
		{ LIBSSH2_FX_WRITE_PROTECT, "the filesystem is read-only" },
	};
	const char *why = ssh_errmsg(h->s);
	int transport_err = libssh2_session_last_errno(h->s);
	if (transport_err == LIBSSH2_ERROR_TIMEOUT || transport_err == LIBSSH2_ERROR_SOCKET_RECV ||
	    transport_err == LIBSSH2_ERROR_SOCKET_SEND || transport_err == LIBSSH2_ERROR_SOCKET_DISCONNECT)
		h->dead = 1;  /* the peer, not the file: free the session without waiting on it */
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (texts[i].code == code)
			why = texts[i].text;
	return lc_err_set(e, LC_ECONNECT, "cannot %s %s on %s: %s", what, path, h->host, why);
}

static void sftp_mkdirs(LIBSSH2_SFTP *sftp, const char *path)
{
	char *d = xstrdup(path);
	for (char *p = d + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		libssh2_sftp_mkdir(sftp, d, 0700);
		*p = '/';
	}
	free(d);
}

static int sftp_copy(sshc *h, LIBSSH2_SFTP *sftp, int in, const char *remote, int mode, lc_err *e)
{
	static char chunk[256 * 1024];  /* >= 256 KiB per call: libssh2 pipelines within one write */
	LIBSSH2_SFTP_HANDLE *f = libssh2_sftp_open(sftp, remote, LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC, mode);
	ssize_t n;
	int rc = 0;
	if (!f)
		return sftp_fail(h, sftp, "create", remote, e);
	while (rc == 0 && (n = read(in, chunk, sizeof chunk)) > 0)
		for (ssize_t done = 0; rc == 0 && done < n;) {
			ssize_t w = libssh2_sftp_write(f, chunk + done, (size_t)(n - done));
			if (w <= 0)
				rc = sftp_fail(h, sftp, "write", remote, e);
			else
				done += w;
		}
	if (rc < 0 && h->dead)
		shutdown(h->fd, SHUT_RDWR);  /* the clean-up below must not wait on a frozen peer */
	if (libssh2_sftp_close(f) != 0 && rc == 0)
		rc = sftp_fail(h, sftp, "write", remote, e);
	return rc;
}

int sshc_upload(sshc *h, const char *local, const char *remote, int mode, lc_err *e)
{
	int in = open(local, O_RDONLY | O_CLOEXEC), rc;
	if (in < 0)
		return lc_err_set(e, LC_ECONNECT, "cannot read %s: %s", local, strerror(errno));
	LIBSSH2_SFTP *sftp = libssh2_sftp_init(h->s);
	if (!sftp) {
		close(in);
		return lc_err_set(e, LC_ECONNECT, "%s offers no SFTP to upload the helper: %s", h->host, ssh_errmsg(h->s));
	}
	sftp_mkdirs(sftp, remote);
	rc = sftp_copy(h, sftp, in, remote, mode, e);
	if (rc < 0 && !h->dead)
		libssh2_sftp_unlink(sftp, remote);
	libssh2_sftp_shutdown(sftp);
	close(in);
	return rc;
}

void sshc_unlink(sshc *h, const char *path)
{
	LIBSSH2_SFTP *sftp = libssh2_sftp_init(h->s);
	if (sftp) {
		libssh2_sftp_unlink(sftp, path);
		libssh2_sftp_shutdown(sftp);
	}
}
