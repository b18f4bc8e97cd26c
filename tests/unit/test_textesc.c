/*
 * test_textesc.c: terminal escaping, JSON escaping, UTF-8 decoding, widths.
 */
#include "textesc.h"
#include "unit.h"

#include <stdlib.h>

static char *disp(const char *s, size_t n, int flags, int *w)
{
	buf b = { 0 };
	int width = esc_display(&b, s, n, flags);
	if (w)
		*w = width;
	return b.p ? b.p : calloc(1, 1);
}

static char *json(const char *s, size_t n)
{
	buf b = { 0 };
	esc_json(&b, s, n);
	return b.p ? b.p : calloc(1, 1);
}

static void t(const char *s, size_t n, int flags, const char *want, const char *name)
{
	char *got = disp(s, n, flags, NULL);
	CHECK_STR(got, want, name);
	free(got);
}

static void j(const char *s, size_t n, const char *want, const char *name)
{
	char *got = json(s, n);
	CHECK_STR(got, want, name);
	free(got);
}

void test_textesc(void)
{
	int w;
	t("a\x1b[31mb", 7, 0, "a^[[31mb", "ESC shows as ^[");
	t("\x07\x7f", 2, 0, "^G^?", "BEL and DEL in caret notation");
	t("a\tb\nc", 5, 0, "a^Ib^Jc", "tab and newline escaped in grids");
	t("a\tb\nc", 5, ESC_KEEP_TAB | ESC_KEEP_NL, "a\tb\nc", "tab and newline kept in list");
	t("\xc2\x9b" "2J", 4, 0, "\\u009b2J", "C1 CSI escaped");
	t("\xff\xfe", 2, 0, "\\xff\\xfe", "invalid bytes as \\xNN");
	t("\xc0\xaf", 2, 0, "\\xc0\\xaf", "overlong encoding rejected");
	t("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80", "surrogate rejected");
	t("\xe6\x97", 2, 0, "\\xe6\\x97", "truncated sequence rejected");
	t("a\0b", 3, 0, "a^@b", "NUL shows as ^@");
	char *s = disp("日本語", strlen("日本語"), 0, &w);
	CHECK(w == 6, "CJK is two columns each");
	free(s);
	s = disp("🙂é", strlen("🙂é"), 0, &w);
	CHECK(w == 3, "emoji two columns, é one");
	free(s);
	CHECK(u8_width("e\xcc\x81", 3) == 1, "combining accent takes no column");
	int used;
	CHECK(u8_fit("日本語", 9, 5, &used) == 6 && used == 4, "u8_fit stops before a wide char that does not fit");
	j("a\"b\\c", 5, "a\\\"b\\\\c", "JSON quotes and backslashes");
	j("\n\t\x01\x1b", 4, "\\n\\t\\u0001\\u001b", "JSON control characters");
	j("\x7f\xc2\x85", 3, "\\u007f\\u0085", "JSON DEL and C1 escaped");
	j("x\xffy", 3, "x\\ufffdy", "JSON invalid UTF-8 becomes U+FFFD");
	j("é/日", strlen("é/日"), "é/日", "JSON keeps valid UTF-8 and '/'");
}
