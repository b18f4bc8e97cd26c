/* db.c (litecon-load): the store's connections and the few SQLite helpers every other file uses:
 * open, exec, one-integer queries, transactions, statement tables, format-driven binding, and the one
 * place where an SQLite failure becomes words (kept for init, printed and counted for run). */
#include "load_schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const load_db_file[DB_COUNT] = {
	"production.sqlite3", "production_queue.sqlite3", "production_cache.sqlite3", "production_cable.sqlite3",
};
const char *const load_db_name[DB_COUNT] = { "main", "queue", "cache", "cable" };

/* Names of the primary result codes an operator is likely to meet. */
static const struct { int code; const char *name; } code_names[] = {
	{ SQLITE_ERROR, "SQLITE_ERROR" }, { SQLITE_BUSY, "SQLITE_BUSY" }, { SQLITE_LOCKED, "SQLITE_LOCKED" },
	{ SQLITE_NOMEM, "SQLITE_NOMEM" }, { SQLITE_READONLY, "SQLITE_READONLY" }, { SQLITE_IOERR, "SQLITE_IOERR" },
	{ SQLITE_CORRUPT, "SQLITE_CORRUPT" }, { SQLITE_FULL, "SQLITE_FULL" }, { SQLITE_CANTOPEN, "SQLITE_CANTOPEN" },
	{ SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT" }, { SQLITE_MISUSE, "SQLITE_MISUSE" }, { SQLITE_NOTADB, "SQLITE_NOTADB" },
};

static const char *code_name(int code)
{
	size_t i;

	for (i = 0; i < sizeof code_names / sizeof code_names[0]; i++)
		if (code_names[i].code == (code & 0xff))
			return code_names[i].name;
	return "SQLite error";
}

int db_fail(struct store *st, int which, const char *what)
{
	sqlite3 *db = st->db[which];
	int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;

	snprintf(st->err, sizeof st->err, "%s: %s (%s, code %d) in: %s", load_db_name[which],
		 db ? sqlite3_errmsg(db) : "not open", code_name(code), code, what ? what : "?");
	if (st->report) {
		st->errors++;
		fprintf(stderr, "litecon-load: %s\n", st->err);
	}
	return -1;
}

int db_open(struct store *st, const char *dir, int which, int create)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	char *path = sqlite3_mprintf("%s/%s", dir, load_db_file[which]);
	int rc = -1;

	if (!path) {
		snprintf(st->err, sizeof st->err, "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(path, &st->db[which], flags, NULL) != SQLITE_OK) {
		snprintf(st->err, sizeof st->err, "cannot open %s: %s", path,
			 st->db[which] ? sqlite3_errmsg(st->db[which]) : "out of memory");
		sqlite3_close(st->db[which]);
		st->db[which] = NULL;
		goto out;
	}
	sqlite3_extended_result_codes(st->db[which], 1);
	rc = 0;
out:
	sqlite3_free(path);
	return rc;
}

void db_close_all(struct store *st)
{
	int i;

	for (i = 0; i < DB_COUNT; i++) {
		sqlite3_close(st->db[i]);
		st->db[i] = NULL;
	}
}

int db_exec(struct store *st, int which, const char *sql)
{
	if (sqlite3_exec(st->db[which], sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, which, sql);
	return 0;
}

int db_int(struct store *st, int which, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(st->db[which], sql, -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, which, sql);
		goto out;
	}
	step = sqlite3_step(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		db_fail(st, which, sql);
		goto out;
	}
	*out = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

int db_begin(struct store *st, int which)
{
	return db_exec(st, which, "BEGIN IMMEDIATE");
}

int db_commit(struct store *st, int which)
{
	return db_exec(st, which, "COMMIT");
}

void db_rollback(struct store *st, int which)
{
	if (!sqlite3_get_autocommit(st->db[which]))
		sqlite3_exec(st->db[which], "ROLLBACK", NULL, NULL, NULL);
}

int db_prepare_all(struct store *st, const struct stmt_def *defs, int n, sqlite3_stmt **out)
{
	int i;

	memset(out, 0, sizeof *out * (size_t)n);
	for (i = 0; i < n; i++) {
		if (sqlite3_prepare_v3(st->db[defs[i].db], defs[i].sql, -1, SQLITE_PREPARE_PERSISTENT, &out[i],
				       NULL) != SQLITE_OK) {
			db_fail(st, defs[i].db, defs[i].sql);
			db_finalize_all(out, n);
			return -1;
		}
	}
	return 0;
}

void db_finalize_all(sqlite3_stmt **s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		sqlite3_finalize(s[i]);
		s[i] = NULL;
	}
}

int db_which(const struct store *st, sqlite3_stmt *s)
{
	sqlite3 *h = sqlite3_db_handle(s);
	int i;

	for (i = 0; i < DB_COUNT; i++)
		if (st->db[i] == h)
			return i;
	return DB_MAIN;
}

static int bind_one(sqlite3_stmt *s, int i, char f, va_list *ap)
{
	const void *p;
	int64_t v;

	switch (f) {
	case 'i':
		return sqlite3_bind_int64(s, i, va_arg(*ap, int64_t));
	case 'd':
		return sqlite3_bind_double(s, i, va_arg(*ap, double));
	case 't':
		p = va_arg(*ap, const char *);
		return p ? sqlite3_bind_text(s, i, p, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
	case 'b':
		p = va_arg(*ap, const void *);
		return sqlite3_bind_blob(s, i, p, va_arg(*ap, int), SQLITE_STATIC);
	case 'z':
		v = va_arg(*ap, int64_t);
		return v ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
	case 'n':
		return sqlite3_bind_null(s, i);
	default:
		return SQLITE_MISUSE;
	}
}

static int bind_va(struct store *st, sqlite3_stmt *s, const char *fmt, va_list *ap)
{
	int i;

	for (i = 0; fmt[i]; i++) {
		if (bind_one(s, i + 1, fmt[i], ap) != SQLITE_OK) {
			db_fail(st, db_which(st, s), sqlite3_sql(s));
			sqlite3_reset(s);
			return -1;
		}
	}
	return 0;
}

int db_bind(struct store *st, sqlite3_stmt *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bind_va(st, s, fmt, &ap);
	va_end(ap);
	return rc;
}

int db_run(struct store *st, sqlite3_stmt *s, const char *fmt, ...)
{
	va_list ap;
	int rc = -1, step;

	va_start(ap, fmt);
	if (bind_va(st, s, fmt, &ap) != 0)
		goto out;
	step = sqlite3_step(s);
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_fail(st, db_which(st, s), sqlite3_sql(s));
		goto out;
	}
	rc = 0;
out:
	va_end(ap);
	sqlite3_reset(s);
	return rc;
}
