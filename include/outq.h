/*
 * outq.h: the helper's output, in order, written by a thread of its own.
 * The main thread queues frames and goes on reading the snapshot; the
 * thread compresses page payloads into ZPAGES frames (one whole zstd frame
 * each) and writes everything to the frame descriptor. The queue holds at
 * most max_bytes: beyond that the producer waits, so a slow network slows
 * the read instead of filling the host's memory.
 */
#ifndef OUTQ_H
#define OUTQ_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

typedef struct outq outq;

/* Start the writer on fd (not owned). A write that fails (the client is
 * gone) ends the process with _exit(0), as the helper always has. */
outq *outq_start(int fd, size_t max_bytes);
/* Queue the bytes of b (whole frames) and take its memory: b is left empty. */
void outq_put(outq *q, buf *b);
/* Queue raw, a PAGES payload (u32 count, then u32 pgno + page each), to go
 * out as a ZPAGES frame for request id; takes raw's memory like outq_put. */
void outq_zpages(outq *q, uint32_t id, buf *raw);
/* Write n bytes now, on the caller's thread, after everything queued:
 * no hand-over for a plain request's answer. */
void outq_write(outq *q, const void *p, size_t n);
/* Wait until everything queued has been written. */
void outq_drain(outq *q);
/* After outq_drain: 1 if a payload could not be compressed since the last
 * call (it and the payloads after it were not sent), else 0. */
int outq_zfailed(outq *q);
/* Drain, stop the thread and free q. */
void outq_stop(outq *q);

#endif
