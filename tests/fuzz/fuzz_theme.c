/*
 * fuzz_theme.c: libFuzzer target for the theme parser (src/tui/theme.c:
 * theme_parse over a theme file's text, theme_style_parse over one
 * style). Built only once src/tui/theme.c is in the tree (mk/fuzz.mk).
 * Oracles besides ASan/UBSan and leaks: a refusal is a usage error naming
 * FILE:LINE; every style parsed has colours in range and known attributes,
 * and formatting it and parsing that again gives the same style.
 */
#include "theme.h"

#include <stdlib.h>
#include <string.h>

#define ATTRS (TA_BOLD | TA_DIM | TA_UNDERLINE | TA_REVERSE | TA_ITALIC | TA_BLINK)

static void check_style(const tstyle *s)
{
	if (s->fg < THEME_DEFAULT_COLOUR || s->fg > 255 || s->bg < THEME_DEFAULT_COLOUR || s->bg > 255)
		abort();
	if (s->attr & ~(unsigned)ATTRS)
		abort();
	char text[128];
	tstyle again = { 0, 0, 0 };
	const char *why = NULL;
	theme_style_format(s, text, sizeof text);
	if (theme_style_parse(text, strlen(text), &again, &why) < 0 || again.fg != s->fg || again.bg != s->bg ||
	    again.attr != s->attr)
		abort();  /* format and parse disagree */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	theme t;
	lc_err e = { 0 };
	theme_builtin(&t);
	if (theme_parse(&t, (const char *)data, size, "fuzz.theme", &e) == 0) {
		if (!memchr(t.name, 0, sizeof t.name))
			abort();
		for (int i = 0; i < TH_COUNT; i++)
			check_style(&t.el[i]);
	} else if (e.code != LC_EUSAGE || strncmp(e.msg, "fuzz.theme:", 11) != 0) {
		abort();
	}
	tstyle s = { 0, 0, 0 };
	const char *why = NULL;
	if (theme_style_parse((const char *)data, size, &s, &why) == 0)
		check_style(&s);
	else if (!why || !*why)
		abort();
	return 0;
}
