/*
 * guard.c: layer 3 of litecon's read-only promise, the authorizer. It allows
 * reads, read-only pragmas from a documented allow-list, and functions not on
 * a deny list. Everything else is refused with a sentence that says why the
 * statement counts as a write. The tables below are the policy; docs/
 * architecture.md lists them for operators.
 */
#include "guard.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

/* Authorizer actions that write, with the words that explain them.
 * %s is the object name the authorizer passes (may be empty). */
static const struct {
	int op;
	const char *why;
} write_ops[] = {
	{ SQLITE_INSERT, "INSERT adds rows to table %s" },
	{ SQLITE_UPDATE, "UPDATE changes rows of table %s" },
	{ SQLITE_DELETE, "DELETE removes rows from table %s" },
	{ SQLITE_CREATE_TABLE, "CREATE TABLE %s changes the schema" },
	{ SQLITE_CREATE_INDEX, "CREATE INDEX %s changes the schema" },
	{ SQLITE_CREATE_VIEW, "CREATE VIEW %s changes the schema" },
	{ SQLITE_CREATE_TRIGGER, "CREATE TRIGGER %s changes the schema" },
	{ SQLITE_CREATE_VTABLE, "CREATE VIRTUAL TABLE %s changes the schema" },
	{ SQLITE_CREATE_TEMP_TABLE, "CREATE TEMP TABLE %s creates a table (litecon creates nothing)" },
	{ SQLITE_CREATE_TEMP_INDEX, "CREATE TEMP INDEX %s creates an index (litecon creates nothing)" },
	{ SQLITE_CREATE_TEMP_VIEW, "CREATE TEMP VIEW %s creates a view (litecon creates nothing)" },
	{ SQLITE_CREATE_TEMP_TRIGGER, "CREATE TEMP TRIGGER %s creates a trigger (litecon creates nothing)" },
	{ SQLITE_DROP_TABLE, "DROP TABLE %s changes the schema" },
	{ SQLITE_DROP_INDEX, "DROP INDEX %s changes the schema" },
	{ SQLITE_DROP_VIEW, "DROP VIEW %s changes the schema" },
	{ SQLITE_DROP_TRIGGER, "DROP TRIGGER %s changes the schema" },
	{ SQLITE_DROP_VTABLE, "DROP TABLE %s changes the schema" },
	{ SQLITE_DROP_TEMP_TABLE, "DROP TABLE %s changes the schema" },
	{ SQLITE_DROP_TEMP_INDEX, "DROP INDEX %s changes the schema" },
	{ SQLITE_DROP_TEMP_VIEW, "DROP VIEW %s changes the schema" },
	{ SQLITE_DROP_TEMP_TRIGGER, "DROP TRIGGER %s changes the schema" },
	{ SQLITE_ALTER_TABLE, "ALTER TABLE changes the schema of %s" },
	{ SQLITE_REINDEX, "REINDEX rewrites indexes" },
	{ SQLITE_ANALYZE, "ANALYZE writes statistics tables" },
	{ SQLITE_ATTACH, "ATTACH opens another database file (which could create it)" },
	{ SQLITE_DETACH, "DETACH changes the databases of the session" },
	{ SQLITE_TRANSACTION, "%s would hold a transaction open, and litecon runs each statement in its own short snapshot so checkpoints keep running" },
	{ SQLITE_SAVEPOINT, "SAVEPOINT would hold a transaction open, and litecon runs each statement in its own short snapshot" },
};

/* Read-only pragmas. arg: 0 = only bare (`PRAGMA x`), 1 = also with an
 * argument that names a table/index or a limit (`PRAGMA table_info(t)`). */
static const struct {
	const char *name;
	int arg;
} pragma_ok[] = {
	{ "application_id", 0 }, { "auto_vacuum", 0 }, { "automatic_index", 0 },
	{ "busy_timeout", 0 }, { "cache_size", 0 }, { "cache_spill", 0 },
	{ "cell_size_check", 0 }, { "collation_list", 0 }, { "compile_options", 0 },
	{ "data_version", 0 }, { "database_list", 0 }, { "encoding", 0 },
	{ "foreign_key_check", 1 }, { "foreign_key_list", 1 }, { "foreign_keys", 0 },
	{ "freelist_count", 0 }, { "function_list", 0 }, { "index_info", 1 },
	{ "index_list", 1 }, { "index_xinfo", 1 }, { "integrity_check", 1 },
	{ "journal_mode", 0 }, { "journal_size_limit", 0 }, { "locking_mode", 0 },
	{ "max_page_count", 0 }, { "mmap_size", 0 }, { "module_list", 0 },
	{ "page_count", 0 }, { "page_size", 0 }, { "pragma_list", 0 },
	{ "query_only", 0 }, { "quick_check", 1 }, { "read_uncommitted", 0 },
	{ "recursive_triggers", 0 }, { "schema_version", 0 }, { "secure_delete", 0 },
	{ "synchronous", 0 }, { "table_info", 1 }, { "table_list", 1 },
	{ "table_xinfo", 1 }, { "temp_store", 0 }, { "trusted_schema", 0 },
	{ "user_version", 0 }, { "wal_autocheckpoint", 0 },
};

/* Pragmas with side effects even when bare, and what they do. */
static const struct {
	const char *name;
	const char *why;
} pragma_bad[] = {
	{ "wal_checkpoint", "PRAGMA wal_checkpoint runs a checkpoint, which writes the database file" },
	{ "optimize", "PRAGMA optimize runs ANALYZE, which writes statistics tables" },
	{ "incremental_vacuum", "PRAGMA incremental_vacuum frees pages, which writes the database file" },
	{ "writable_schema", "PRAGMA writable_schema lets statements write the schema" },
	{ "shrink_memory", "PRAGMA shrink_memory is not on litecon's read-only list" },
};

/* Functions that reach outside the database or change the connection. */
static const struct {
	const char *name;
	const char *why;
} func_bad[] = {
	{ "load_extension", "load_extension() loads code into the process" },
	{ "fts3_tokenizer", "fts3_tokenizer() can register native code" },
	{ "readfile", "readfile() reads files outside the database" },
	{ "writefile", "writefile() writes files" },
	{ "edit", "edit() runs an editor" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

int guard_pragma_allowed(const char *name, int with_arg)
{
	for (size_t i = 0; i < N(pragma_ok); i++)
		if (strcasecmp(name, pragma_ok[i].name) == 0)
			return with_arg ? (pragma_ok[i].arg ? 2 : 0) : 1 + pragma_ok[i].arg;
	return 0;
}

static int deny(guard *g, const char *fmt, const char *arg)
{
	snprintf(g->reason, sizeof g->reason, fmt, arg ? arg : "");
	return SQLITE_DENY;
}

static int check_pragma(guard *g, const char *name, const char *arg)
{
	for (size_t i = 0; i < N(pragma_bad); i++)
		if (strcasecmp(name, pragma_bad[i].name) == 0)
			return deny(g, "%s", pragma_bad[i].why);
	int ok = guard_pragma_allowed(name, arg != NULL);
	if (ok) {
		g->pragma_ok = 1;
		return SQLITE_OK;
	}
	if (arg && guard_pragma_allowed(name, 0)) {
		snprintf(g->reason, sizeof g->reason,
			 "PRAGMA %s = %s changes a setting of the database or the session", name, arg);
		return SQLITE_DENY;
	}
	return deny(g, "PRAGMA %s is not on litecon's list of read-only pragmas", name);
}

static int check_function(guard *g, const char *name)
{
	for (size_t i = 0; i < N(func_bad); i++)
		if (name && strcasecmp(name, func_bad[i].name) == 0)
			return deny(g, "%s", func_bad[i].why);
	return SQLITE_OK;
}

/* Writes to the schema table come before the CREATE/DROP action itself. */
static int is_schema_table(int op, const char *table)
{
	static const char *const names[] = { "sqlite_master", "sqlite_temp_master", "sqlite_schema",
					     "sqlite_temp_schema" };
	if ((op != SQLITE_INSERT && op != SQLITE_UPDATE && op != SQLITE_DELETE) || !table)
		return 0;
	for (size_t i = 0; i < N(names); i++)
		if (strcasecmp(table, names[i]) == 0)
			return 1;
	return 0;
}

int guard_authorize(void *ctx, int op, const char *a1, const char *a2,
		    const char *db, const char *trigger)
{
	guard *g = ctx;
	(void)db;
	(void)trigger;
	if (g->open)
		return SQLITE_OK;  /* the engine's own statements while it sets up or pins */
	switch (op) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		return check_pragma(g, a1, a2);
	case SQLITE_FUNCTION:
		return check_function(g, a2);
	}
	if (is_schema_table(op, a1)) {
		/* The CREATE/DROP/ALTER action follows and is refused with its own
		 * words; if none does, the stmt_readonly layer refuses with these. */
		snprintf(g->pending, sizeof g->pending, "the statement changes the schema");
		return SQLITE_OK;
	}
	for (size_t i = 0; i < N(write_ops); i++)
		if (write_ops[i].op == op) {
			return deny(g, write_ops[i].why, op == SQLITE_ALTER_TABLE ? a2 : a1);
		}
	snprintf(g->reason, sizeof g->reason, "the statement asks for action %d, which is not a read", op);
	return SQLITE_DENY;
}

/* Leading keywords and why such a statement counts as a write. always:
 * refused whatever SQLite says (REINDEX of nothing, DROP ... IF EXISTS of
 * nothing still are writes by kind); otherwise only used to explain a
 * statement that sqlite3_stmt_readonly() reports as a write. */
static const struct {
	const char *kw;
	int always;
	const char *why;
} stmt_kw[] = {
	{ "INSERT", 1, "INSERT adds rows" },
	{ "REPLACE", 1, "REPLACE adds or overwrites rows" },
	{ "UPDATE", 1, "UPDATE changes rows" },
	{ "DELETE", 1, "DELETE removes rows" },
	{ "CREATE", 1, "CREATE changes the schema (TEMP objects too: litecon creates nothing)" },
	{ "DROP", 1, "DROP changes the schema" },
	{ "ALTER", 1, "ALTER changes the schema" },
	{ "VACUUM", 1, "VACUUM rewrites the database file, and VACUUM INTO writes a new one" },
	{ "REINDEX", 1, "REINDEX rewrites indexes" },
	{ "ANALYZE", 1, "ANALYZE writes statistics tables" },
	{ "ATTACH", 1, "ATTACH opens another database file (which could create it)" },
	{ "DETACH", 1, "DETACH changes the databases of the session" },
	{ "BEGIN", 1, "BEGIN would hold a transaction open (IMMEDIATE and EXCLUSIVE take the write lock), and litecon runs each statement in its own short snapshot" },
	{ "SAVEPOINT", 1, "SAVEPOINT would hold a transaction open" },
	{ "RELEASE", 1, "RELEASE ends a transaction, and litecon holds none" },
	{ "COMMIT", 1, "COMMIT ends a transaction, and litecon holds none" },
	{ "END", 1, "END ends a transaction, and litecon holds none" },
	{ "ROLLBACK", 1, "ROLLBACK ends a transaction, and litecon holds none" },
	{ "PRAGMA", 0, "this PRAGMA changes the database" },
	{ "WITH", 0, "the statement after WITH writes" },
};

/* Copy the first keyword of sql (after blanks and comments) into kw. */
static void first_word(const char *s, char *kw, size_t n)
{
	size_t k = 0;
	for (;;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
			continue;
		}
		if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");
			s = e ? e + 2 : s + strlen(s);
			continue;
		}
		break;
	}
	while (*s && isalpha((unsigned char)*s) && k + 1 < n)
		kw[k++] = (char)toupper((unsigned char)*s++);
	kw[k] = 0;
}

void guard_explain(const char *sql, char *out, size_t n)
{
	char kw[16];
	first_word(sql, kw, sizeof kw);
	for (size_t i = 0; i < N(stmt_kw); i++)
		if (strcmp(kw, stmt_kw[i].kw) == 0) {
			snprintf(out, n, "%s", stmt_kw[i].why);
			return;
		}
	snprintf(out, n, "SQLite reports that this %s statement writes", kw[0] ? kw : "");
}

int guard_write_kind(const char *sql, char *out, size_t n)
{
	char kw[16];
	first_word(sql, kw, sizeof kw);
	for (size_t i = 0; i < N(stmt_kw); i++)
		if (stmt_kw[i].always && strcmp(kw, stmt_kw[i].kw) == 0) {
			snprintf(out, n, "%s", stmt_kw[i].why);
			return 1;
		}
	return 0;
}
