/*
 * stream.h: a byte stream to a litecon-agent: a pipe to a local child
 * process, or an SSH exec channel. The agent conn speaks frames over any of
 * them. Reads wait at most a given time and return early when the operator
 * presses Ctrl-C (conn_interrupted()), so a CANCEL can be sent.
 */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>
#include <sys/types.h>
#include "lc.h"

enum { STREAM_EOF = 0, STREAM_ERR = -1, STREAM_INTR = -2, STREAM_TIMEOUT = -3 };

typedef struct lc_stream lc_stream;
struct lc_stream {
	/* Read up to n bytes, waiting at most timeout_ms (-1: no limit).
	 * Returns bytes read (> 0), STREAM_EOF, STREAM_ERR (e filled),
	 * STREAM_INTR (interrupted by Ctrl-C) or STREAM_TIMEOUT. */
	ssize_t (*read)(lc_stream *s, void *p, size_t n, int timeout_ms, lc_err *e);
	/* Write all n bytes; 0, or -1 with e filled. */
	int (*write)(lc_stream *s, const void *p, size_t n, lc_err *e);
	/* What the other side wrote on stderr so far (for messages); may be "". */
	const char *(*errtext)(lc_stream *s);
	/* Close and free. graceful: say goodbye and wait briefly; otherwise
	 * just drop the transport (after an error). */
	void (*close)(lc_stream *s, int graceful);
	/* 1: the bytes cross a network (SSH), so a backup's pages are worth
	 * compressing; 0: a local pipe. */
	int remote;
};

/* A stream to a child process running argv (stdin/stdout pipes, stderr
 * collected). Returns NULL with e filled when it cannot be started. */
lc_stream *stream_spawn(const char *const *argv, lc_err *e);

#endif
