/*
 * test_misc.c: store short names, dot-command word splitting, the pragma
 * allow-list, and the output modes through an in-memory stream.
 */
#define _GNU_SOURCE
#include "dot.h"
#include "guard.h"
#include "render.h"
#include "store.h"
#include "unit.h"

#include <stdlib.h>

static void short_name(const char *file, const char *stem, const char *want)
{
	char *s = store_short_name(file, stem);
	CHECK_STR(s, want, file);
	free(s);
}

void test_store(void)
{
	short_name("production.sqlite3", "production", "main");
	short_name("production_queue.sqlite3", "production", "queue");
	short_name("production_cache.sqlite3", "production", "cache");
	short_name("production-cable.sqlite3", "production", "cable");
	short_name("test.sqlite3", "", "test");
	short_name("x_main.sqlite3", "x", "db_main");
	short_name("x_temp.sqlite3", "x", "db_temp");
	char *s = store_short_name("production_\033]52;c;aGk=\a.sqlite3", "production");
	CHECK_STR(s, "_]52;c;aGk=_", "control bytes of a file name become _ in its schema name");
	free(s);
	short_name("production_日本.sqlite3", "production", "______");
}

void test_dot(void)
{
	char **v;
	int n = dot_split("mode  csv", &v);
	CHECK(n == 2 && !strcmp(v[0], "mode") && !strcmp(v[1], "csv"), "split on blanks");
	dot_free_args(n, v);
	n = dot_split("print 'a b' \"c\\td\" e", &v);
	CHECK(n == 4 && !strcmp(v[1], "a b") && !strcmp(v[2], "c\td") && !strcmp(v[3], "e"), "quotes and escapes");
	dot_free_args(n, v);
	n = dot_split("   ", &v);
	CHECK(n == 0, "blank line has no words");
	dot_free_args(n, v);
	n = dot_split("print 'unterminated", &v);
	CHECK(n == 2 && !strcmp(v[1], "unterminated"), "unterminated quote ends at the line");
	dot_free_args(n, v);
}

void test_guard(void)
{
	CHECK(guard_pragma_allowed("table_info", 1) == 2, "table_info(t) allowed");
	CHECK(guard_pragma_allowed("journal_mode", 0) == 1, "bare journal_mode allowed");
	CHECK(guard_pragma_allowed("journal_mode", 1) == 0, "journal_mode=X not allowed");
	CHECK(guard_pragma_allowed("wal_checkpoint", 0) == 0, "wal_checkpoint not allowed");
	CHECK(guard_pragma_allowed("query_only", 1) == 0, "query_only=0 not allowed");
	char why[GUARD_REASON];
	CHECK(guard_write_kind("  /* c */ -- x\n reindex", why, sizeof why) == 1, "REINDEX after comments is a write");
	CHECK(guard_write_kind("select 1", why, sizeof why) == 0, "SELECT is not a write");
	CHECK(guard_write_kind("with x as (select 1) select * from x", why, sizeof why) == 0, "WITH ... SELECT passes the keyword check");
}

static char *emit(const char *mode, int ncol, const char *const *names, const lc_value *v, int nrows)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	render *r = render_new(f, 0);
	render_set_mode(r, mode);
	const lc_sink *k = render_sink();
	k->begin(r, ncol, names);
	for (int i = 0; i < nrows; i++)
		k->row(r, ncol, v + i * ncol);
	k->end(r, nrows);
	render_free(r);
	fclose(f);
	return p;
}

void test_render(void)
{
	const char *names[] = { "id", "name" };
	lc_value v[] = { { .type = LC_INT, .i = 1 }, { .type = LC_TEXT, .p = "a,b", .n = 3 },
			 { .type = LC_INT, .i = 2 }, { .type = LC_NULL } };
	char *s = emit("csv", 2, names, v, 2);
	CHECK_STR(s, "1,\"a,b\"\n2,\n", "csv quotes a field with a comma; NULL empty");
	free(s);
	s = emit("json", 2, names, v, 2);
	CHECK_STR(s, "[{\"id\":1,\"name\":\"a,b\"},\n{\"id\":2,\"name\":null}]\n", "json array");
	free(s);
	s = emit("json", 2, names, v, 0);
	CHECK_STR(s, "[]\n", "json empty result");
	free(s);
	CHECK(render_mode_find("box") >= 0 && render_mode_find("nope") < 0, "mode lookup");
}
