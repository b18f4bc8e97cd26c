/*
 * outq.c: the helper's ordered output queue and the thread that writes it
 * (outq.h). Items are whole frames, or page payloads the thread turns into
 * ZPAGES frames: each payload one complete zstd frame at level 1, so the
 * compressor works on one contiguous buffer (its fastest path) while the
 * main thread reads the next pages, and the network carries the previous.
 */
#define _GNU_SOURCE
#include "outq.h"
#include "proto.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <zstd.h>

typedef struct item {
	struct item *next;
	buf b;         /* owned: frames, or a raw page payload */
	uint32_t id;   /* ZPAGES: the request; 0: b is frames */
	int zpages;
} item;

struct outq {
	int fd;
	size_t max, queued;    /* bytes waiting (items not yet written) */
	item *head, *tail;     /* owned */
	int busy, stop, zbad;  /* writing an item; told to end; a payload failed */
	pthread_mutex_t mu;
	pthread_cond_t more;   /* an item, or stop */
	pthread_cond_t room;   /* queued fell, or all written */
	pthread_t thread;
	ZSTD_CCtx *z;          /* owned by the thread, made at the first payload */
	buf frame;             /* the thread's: the ZPAGES frame being built */
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(0);  /* EPIPE: the client is gone */
		p += k, n -= (size_t)k;
	}
}

/* it->b as one ZPAGES frame in q->frame; -1 if zstd failed. */
static int compress_item(outq *q, const item *it)
{
	if (!q->z && (q->z = ZSTD_createCCtx()) &&
	    ZSTD_isError(ZSTD_CCtx_setParameter(q->z, ZSTD_c_compressionLevel, 1)))
		ZSTD_freeCCtx(q->z), q->z = NULL;
	if (!q->z)
		return -1;
	size_t bound = ZSTD_compressBound(it->b.len);
	buf_reset(&q->frame);
	size_t at = proto_begin(&q->frame, P_ZPAGES, it->id);
	proto_u32(&q->frame, (uint32_t)it->b.len);
	size_t n = ZSTD_compress2(q->z, buf_reserve(&q->frame, bound), bound, it->b.p, it->b.len);
	if (ZSTD_isError(n))
		return -1;
	buf_grew(&q->frame, n);
	proto_end(&q->frame, at);
	return 0;
}

/* Send one item (without the lock). A payload after a failed one is
 * dropped: the client must not get pages with a hole before them. */
static void send_item(outq *q, item *it, int zbad, int *failed)
{
	*failed = 0;
	if (!it->zpages)
		write_all(q->fd, it->b.p, it->b.len);
	else if (!zbad && compress_item(q, it) == 0)
		write_all(q->fd, q->frame.p, q->frame.len);
	else
		*failed = 1;
}

static void *writer(void *arg)
{
	outq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->more, &q->mu);
		item *it = q->head;
		if (!it)
			break;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		q->busy = 1;
		int zbad = q->zbad, failed;
		pthread_mutex_unlock(&q->mu);
		send_item(q, it, zbad, &failed);
		pthread_mutex_lock(&q->mu);
		q->zbad |= failed;
		q->queued -= it->b.len;
		q->busy = 0;
		pthread_cond_broadcast(&q->room);
		buf_free(&it->b);
		free(it);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

outq *outq_start(int fd, size_t max_bytes)
{
	outq *q = xcalloc(1, sizeof *q);
	q->fd = fd;
	q->max = max_bytes;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->room, NULL);
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		static const char msg[] = "litecon-agent: cannot start its writer thread\n";
		write_all(2, msg, sizeof msg - 1);
		exit(1);
	}
	return q;
}

static void enqueue(outq *q, buf *b, uint32_t id, int zpages)
{
	if (!b->len)
		return;
	item *it = xcalloc(1, sizeof *it);
	it->b = *b, it->id = id, it->zpages = zpages;
	*b = (buf){ 0 };
	pthread_mutex_lock(&q->mu);
	while (q->queued && q->queued + it->b.len > q->max)  /* one item always fits */
		pthread_cond_wait(&q->room, &q->mu);
	q->queued += it->b.len;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
}

void outq_put(outq *q, buf *b) { enqueue(q, b, 0, 0); }
void outq_zpages(outq *q, uint32_t id, buf *raw) { enqueue(q, raw, id, 1); }

void outq_drain(outq *q)
{
	pthread_mutex_lock(&q->mu);
	while (q->head || q->busy)
		pthread_cond_wait(&q->room, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

void outq_write(outq *q, const void *p, size_t n)
{
	outq_drain(q);  /* only the caller queues: the queue stays empty while it writes */
	write_all(q->fd, p, n);
}

int outq_zfailed(outq *q)
{
	pthread_mutex_lock(&q->mu);
	int bad = q->zbad;
	q->zbad = 0;
	pthread_mutex_unlock(&q->mu);
	return bad;
}

void outq_stop(outq *q)
{
	if (!q)
		return;
	outq_drain(q);
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	ZSTD_freeCCtx(q->z);
	buf_free(&q->frame);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	free(q);
}
