/*
 * theme.h: the TUI's colours as data. A theme gives every screen element a
 * style in tmux's syntax (`fg=COLOUR,bg=COLOUR,bold`); theme files in
 * themes/ hold one `element = style` line each, `#` starts a comment.
 * Colours: default, the eight names (black red green yellow blue magenta
 * cyan white), their bright* forms, colourN / colorN (0-255) and #rrggbb
 * (the nearest of the 256). Attributes: bold dim underline reverse italics
 * blink none. Elements a file leaves out keep the built-in default.
 * Nothing here touches curses: the parser is pure, so it can be fuzzed.
 */
#ifndef THEME_H
#define THEME_H

#include <stddef.h>
#include "lc.h"

/* The elements, in one list (X-macro): name, then the built-in default. */
#define THEME_ELEMENTS(X) \
	X(normal, "fg=default,bg=default") \
	X(status, "fg=black,bg=cyan") \
	X(title, "fg=cyan,bold") \
	X(border, "fg=blue") \
	X(focus, "fg=yellow,bold") \
	X(header, "fg=white,bold,underline") \
	X(select, "fg=black,bg=yellow") \
	X(dim, "fg=brightblack") \
	X(key, "fg=yellow,bold") \
	X(spark, "fg=green") \
	X(info, "fg=cyan") \
	X(warn, "fg=yellow,bold") \
	X(crit, "fg=white,bg=red,bold") \
	X(error, "fg=red,bold") \
	X(ok, "fg=green") \
	X(prompt, "fg=cyan,bold")

enum theme_el {
#define THEME_ENUM(name, def) TH_##name,
	THEME_ELEMENTS(THEME_ENUM)
#undef THEME_ENUM
	TH_COUNT
};

enum theme_attr {
	TA_BOLD = 1, TA_DIM = 2, TA_UNDERLINE = 4, TA_REVERSE = 8, TA_ITALIC = 16, TA_BLINK = 32,
};

#define THEME_DEFAULT_COLOUR (-1)

typedef struct tstyle {
	short fg, bg;      /* 0-255, or THEME_DEFAULT_COLOUR */
	unsigned attr;     /* enum theme_attr bits */
} tstyle;

typedef struct theme {
	char name[64];
	tstyle el[TH_COUNT];
} theme;

/* The built-in default (the same as themes/default.theme). */
void theme_builtin(theme *t);
/* No colour at all: every element keeps only its attributes (NO_COLOR). */
void theme_mono(theme *t);

/* Parse a style ("fg=red,bold") into *s. -1 with why (a short phrase in
 * a static string) when it is not one. */
int theme_style_parse(const char *text, size_t n, tstyle *s, const char **why);
/* Write s back in the same syntax into out (at least 64 bytes). */
void theme_style_format(const tstyle *s, char *out, size_t len);

/* Parse a theme file's text (n bytes, need not be NUL-terminated) over t
 * (which keeps what the text leaves out). file names the source in errors.
 * -1 with e (LC_EUSAGE, "FILE:LINE: ...") at the first bad line; t may be
 * partly changed then (callers reset it). */
int theme_parse(theme *t, const char *text, size_t n, const char *file, lc_err *e);

/* Load the theme called name: a path (contains '/' or ends in .theme), or
 * a name looked up in $XDG_CONFIG_HOME/litecon/themes, then the themes/
 * shipped beside the binary (../themes, ../share/litecon/themes), then
 * /usr/local/share and /usr/share. "default" without a file is the
 * built-in. -1 with e (t then holds the built-in default). */
int theme_load(theme *t, const char *name, lc_err *e);

/* The names of the shipped themes (for completion), NULL-terminated. */
extern const char *const theme_shipped[];

/* Index of element name, or -1; name of element i. */
int theme_element_find(const char *name, size_t n);
const char *theme_element_name(int i);

#endif
