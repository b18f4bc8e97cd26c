/*
 * guard.h: the read-only policy layers that sit on a connection: the
 * authorizer (reads, an allow-list of read-only pragmas, functions not on a
 * deny list, no ATTACH/DETACH/transactions) and the words that explain a
 * refusal. Used by engine.c only.
 */
#ifndef GUARD_H
#define GUARD_H

#include <stddef.h>

#define GUARD_REASON 256

typedef struct guard {
	int open;                   /* nonzero while the engine sets itself up */
	char reason[GUARD_REASON];  /* why the last refusal happened, or "" */
	char pending[GUARD_REASON]; /* a write seen but let through to a later check */
	int pragma_ok;              /* the statement is a pragma on the allow-list:
	                               SQLite calls some (journal_mode) writes even bare */
} guard;

/* sqlite3_set_authorizer callback; ctx is a struct guard *. */
int guard_authorize(void *ctx, int op, const char *a1, const char *a2,
		    const char *db, const char *trigger);

/* Explain why a statement that sqlite3_stmt_readonly() says writes counts
 * as a write, from its leading keywords. Writes into out (size n). */
void guard_explain(const char *sql, char *out, size_t n);

/* Is sql (one statement) a write by its kind (INSERT, CREATE, REINDEX,
 * BEGIN, ...), whatever it would touch? Returns 1 and the reason in out. */
int guard_write_kind(const char *sql, char *out, size_t n);

/* Is name a pragma litecon allows (with or without an argument)? For docs
 * and tests: returns 1 if allowed bare, 2 if allowed with an argument too. */
int guard_pragma_allowed(const char *name, int with_arg);

#endif
