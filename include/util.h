/*
 * util.h: allocation that cannot fail quietly, and a growable byte buffer.
 * Out-of-memory is a broken invariant here: xmalloc & co. print one line and
 * exit(1) rather than let half-built state escape.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a malloc'd formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable buffer. Always NUL-terminated after any append (p may be NULL
 * only while len == 0 and nothing was appended). Owns p; free with buf_free. */
typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

void buf_add(buf *b, const void *p, size_t n);
void buf_adds(buf *b, const char *s);
void buf_addc(buf *b, char c);
void buf_addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(buf *b);
/* Room for n more bytes at b->p + b->len (len unchanged): the address to
 * fill; then buf_grew(b, bytes filled). */
char *buf_reserve(buf *b, size_t n);
void buf_grew(buf *b, size_t n);
void buf_free(buf *b);

/* A companion program: $env when set, else name beside this binary
 * (/proc/self/exe). Returns a malloc'd path (not checked to exist), or
 * NULL when neither can be worked out. */
char *companion_path(const char *env, const char *name);

/* Current monotonic time in milliseconds. */
long long now_ms(void);

#endif
