/*
 * lc.h: the few types every litecon module shares: exit codes, the error
 * record that crosses module boundaries, and the typed value a result row
 * is made of (the same five types the wire protocol carries).
 */
#ifndef LC_H
#define LC_H

#include <stddef.h>
#include <stdint.h>

#define LC_VERSION "0.1.0"

/* Exit status contract (DESIGN.md "Command line"); 130 = cancelled by SIGINT. */
enum lc_exit {
	LC_OK = 0,
	LC_ESQL = 1,       /* an SQL statement failed (also: check found problems) */
	LC_EUSAGE = 2,     /* bad command line */
	LC_EREADONLY = 3,  /* refused because it would write */
	LC_ECONNECT = 4,   /* cannot open / connect / authenticate */
	LC_EHOSTKEY = 5,   /* host key verification failed */
	LC_EVERIFY = 6,    /* backup failed verification */
	LC_ECANCEL = 130,  /* interrupted */
};

#define LC_ERRLEN 1024

/* An error: the exit class plus one sentence for the operator. Caller-owned,
 * usually on the stack; filled by lc_err_set(). */
typedef struct lc_err {
	int code;              /* enum lc_exit */
	char msg[LC_ERRLEN];   /* one sentence, no trailing newline */
} lc_err;

/* Fill e (if not NULL) with code and a printf-style message; returns -1 so
 * callers can `return lc_err_set(...)`. */
int lc_err_set(lc_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum lc_type { LC_NULL = 0, LC_INT = 1, LC_REAL = 2, LC_TEXT = 3, LC_BLOB = 4 };

/* One value of a row. p/n point into memory owned by whoever produced the
 * row and stay valid only for the duration of the callback. */
typedef struct lc_value {
	int type;           /* enum lc_type */
	int64_t i;          /* LC_INT */
	double r;           /* LC_REAL */
	const char *p;      /* LC_TEXT (UTF-8, not NUL-terminated), LC_BLOB */
	size_t n;           /* bytes at p */
} lc_value;

/* A sink receives the results of the exec (engine_exec, conn_exec). Each callback returns 0 to go
 * on, or nonzero to stop: the exec then fails with the lc_err the caller
 * passed to the exec (engine_exec, conn_exec), which the sink may have filled through its ctx
 * (otherwise LC_ESQL, "the output could not be written"). The names and
 * values are valid only during the call. Any callback may be NULL. */
typedef struct lc_sink {
	/* A statement that returns columns starts (also when it yields no rows). */
	int (*begin)(void *ctx, int ncol, const char *const *names);
	int (*row)(void *ctx, int ncol, const lc_value *vals);
	/* The statement finished normally, after nrows rows. */
	int (*end)(void *ctx, long long nrows);
} lc_sink;

#endif
