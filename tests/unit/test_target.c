/*
 * test_target.c: TARGET parsing, including hostile strings.
 */
#include "target.h"
#include "unit.h"

static void ok_parse(const char *s, int kind, const char *user, const char *host, int port,
		     const char *path, const char *name)
{
	target t;
	lc_err e = { 0 };
	int rc = target_parse(s, &t, &e);
	int good = rc == 0 && t.kind == kind && t.port == port &&
		   (!user || (t.user && strcmp(t.user, user) == 0)) && (user || !t.user) &&
		   (!host || (t.host && strcmp(t.host, host) == 0)) &&
		   (!path || (t.path && strcmp(t.path, path) == 0));
	(void)name;
	CHECK(good, s);
	target_clear(&t);
}

static void bad_parse(const char *s, const char *name)
{
	target t;
	lc_err e = { 0 };
	CHECK(target_parse(s, &t, &e) < 0 && e.code == LC_EUSAGE, name);
	target_clear(&t);
}

void test_target(void)
{
	ok_parse("db.sqlite3", TARGET_LOCAL, NULL, NULL, 0, "db.sqlite3", NULL);
	ok_parse("/srv/storage/", TARGET_LOCAL, NULL, NULL, 0, "/srv/storage/", NULL);
	ok_parse("./a:b", TARGET_LOCAL, NULL, NULL, 0, "./a:b", NULL);
	ok_parse("dir/a:b", TARGET_LOCAL, NULL, NULL, 0, "dir/a:b", NULL);
	ok_parse("host:/var/db", TARGET_SSH, NULL, "host", 0, "/var/db", NULL);
	ok_parse("deploy@host:/var/db", TARGET_SSH, "deploy", "host", 0, "/var/db", NULL);
	ok_parse("host:", TARGET_SSH, NULL, "host", 0, ".", NULL);
	ok_parse("[::1]:/db", TARGET_SSH, NULL, "::1", 0, "/db", NULL);
	ok_parse("ssh://u@h:2222/srv/x", TARGET_SSH, "u", "h", 2222, "/srv/x", NULL);
	ok_parse("ssh://h/srv/x", TARGET_SSH, NULL, "h", 0, "/srv/x", NULL);
	ok_parse("ssh://[::1]:22/x", TARGET_SSH, NULL, "::1", 22, "/x", NULL);
	ok_parse("@store", TARGET_NAMED, NULL, NULL, 0, NULL, "store");
	bad_parse("", "empty target refused");
	bad_parse("@", "bare @ refused");
	bad_parse("-oProxyCommand=x:/p", "option-like host refused");
	bad_parse("u@-x:/p", "option-like host after user refused");
	bad_parse("-u@h:/p", "option-like user refused");
	bad_parse("h\n:/p", "control characters refused");
	bad_parse("ssh://h", "ssh:// without a path refused");
	bad_parse("ssh://h:99999/x", "bad port refused");
	bad_parse("ssh://h:2x/x", "non-numeric port refused");
}
