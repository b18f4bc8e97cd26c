/*
 * theme.c: theme files (see theme.h): the element table, the style parser
 * and formatter, and the search for a theme by name. Pure C, no curses.
 */
#include "theme.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const el_names[] = {
#define THEME_NAME(name, def) #name,
	THEME_ELEMENTS(THEME_NAME)
#undef THEME_NAME
};
static const char *const el_defaults[] = {
#define THEME_DEF(name, def) def,
	THEME_ELEMENTS(THEME_DEF)
#undef THEME_DEF
};

const char *const theme_shipped[] = {
	"default", "light", "solarized-dark", "high-contrast", "mono", NULL,
};

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attrs[] = {
	{ "bold", TA_BOLD }, { "bright", TA_BOLD }, { "dim", TA_DIM }, { "underline", TA_UNDERLINE },
	{ "underscore", TA_UNDERLINE }, { "reverse", TA_REVERSE }, { "italics", TA_ITALIC },
	{ "italic", TA_ITALIC }, { "blink", TA_BLINK }, { "none", 0 },
};

int theme_element_find(const char *name, size_t n)
{
	for (int i = 0; i < TH_COUNT; i++)
		if (strlen(el_names[i]) == n && memcmp(el_names[i], name, n) == 0)
			return i;
	return -1;
}

const char *theme_element_name(int i)
{
	return i >= 0 && i < TH_COUNT ? el_names[i] : NULL;
}

static int word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

/* A number 0..max written in p[0..n), or -1. */
static int small_number(const char *p, size_t n, int max)
{
	int v = 0;
	if (n == 0 || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v <= max ? v : -1;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* #rrggbb -> the nearest colour of xterm's 6x6x6 cube or grey ramp. */
static int from_rgb(const char *p, size_t n)
{
	int v[3];
	if (n != 7)
		return -1;
	for (int i = 0; i < 3; i++) {
		int h = hexval(p[1 + 2 * i]), l = hexval(p[2 + 2 * i]);
		if (h < 0 || l < 0)
			return -1;
		v[i] = h * 16 + l;
	}
	int q[3];
	for (int i = 0; i < 3; i++)
		q[i] = v[i] < 48 ? 0 : v[i] < 115 ? 1 : (v[i] - 35) / 40;
	int cube = 16 + 36 * q[0] + 6 * q[1] + q[2];
	if (v[0] == v[1] && v[1] == v[2] && v[0] > 8 && v[0] < 238)
		return 232 + (v[0] - 8) / 10;
	return cube;
}

/* A colour word -> 0..255 or THEME_DEFAULT_COLOUR; -2 when it is none. */
static int colour_parse(const char *p, size_t n)
{
	if (word_is(p, n, "default") || word_is(p, n, "terminal"))
		return THEME_DEFAULT_COLOUR;
	for (int i = 0; i < 8; i++) {
		if (word_is(p, n, colour_names[i]))
			return i;
		if (n > 6 && strncasecmp(p, "bright", 6) == 0 && word_is(p + 6, n - 6, colour_names[i]))
			return 8 + i;
	}
	if (n > 6 && strncasecmp(p, "colour", 6) == 0)
		return small_number(p + 6, n - 6, 255) >= 0 ? small_number(p + 6, n - 6, 255) : -2;
	if (n > 5 && strncasecmp(p, "color", 5) == 0)
		return small_number(p + 5, n - 5, 255) >= 0 ? small_number(p + 5, n - 5, 255) : -2;
	if (n && p[0] == '#')
		return from_rgb(p, n) >= 0 ? from_rgb(p, n) : -2;
	return -2;
}

static void trim(const char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t'))
		(*p)++, (*n)--;
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\r'))
		(*n)--;
}

/* One comma-separated word of a style into s. */
static int style_word(const char *p, size_t n, tstyle *s, const char **why)
{
	trim(&p, &n);
	if (n == 0)
		return 0;
	if (n > 3 && (strncmp(p, "fg=", 3) == 0 || strncmp(p, "bg=", 3) == 0)) {
		int c = colour_parse(p + 3, n - 3);
		if (c == -2)
			return *why = "unknown colour (use default, red, brightblue, colour0-255 or #rrggbb)", -1;
		if (p[0] == 'f')
			s->fg = (short)c;
		else
			s->bg = (short)c;
		return 0;
	}
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
		if (word_is(p, n, attrs[i].name)) {
			s->attr = attrs[i].bit ? s->attr | attrs[i].bit : 0;
			return 0;
		}
	if (n > 2 && strncmp(p, "no", 2) == 0)
		for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
			if (attrs[i].bit && word_is(p + 2, n - 2, attrs[i].name)) {
				s->attr &= ~attrs[i].bit;
				return 0;
			}
	return *why = "unknown word (use fg=, bg=, bold, dim, underline, reverse, italics, blink, none)", -1;
}

int theme_style_parse(const char *text, size_t n, tstyle *s, const char **why)
{
	tstyle t = { THEME_DEFAULT_COLOUR, THEME_DEFAULT_COLOUR, 0 };
	size_t i = 0;
	while (i <= n) {
		size_t k = i;
		while (k < n && text[k] != ',')
			k++;
		if (style_word(text + i, k - i, &t, why) < 0)
			return -1;
		i = k + 1;
	}
	*s = t;
	return 0;
}

static void colour_format(char *out, size_t len, const char *key, int c)
{
	if (c == THEME_DEFAULT_COLOUR)
		snprintf(out, len, "%s=default", key);
	else if (c < 8)
		snprintf(out, len, "%s=%s", key, colour_names[c]);
	else if (c < 16)
		snprintf(out, len, "%s=bright%s", key, colour_names[c - 8]);
	else
		snprintf(out, len, "%s=colour%d", key, c);
}

void theme_style_format(const tstyle *s, char *out, size_t len)
{
	char fg[32], bg[32];
	colour_format(fg, sizeof fg, "fg", s->fg);
	colour_format(bg, sizeof bg, "bg", s->bg);
	int n = snprintf(out, len, "%s,%s", fg, bg);
	static const char *const an[] = { "bold", "dim", "underline", "reverse", "italics", "blink" };
	for (int i = 0; i < 6 && n > 0 && (size_t)n < len; i++)
		if (s->attr & (1u << i))
			n += snprintf(out + n, len - (size_t)n, ",%s", an[i]);
}

void theme_builtin(theme *t)
{
	snprintf(t->name, sizeof t->name, "default");
	for (int i = 0; i < TH_COUNT; i++) {
		const char *why;
		if (theme_style_parse(el_defaults[i], strlen(el_defaults[i]), &t->el[i], &why) < 0)
			abort();  /* the table above is wrong */
	}
}

void theme_mono(theme *t)
{
	theme_builtin(t);
	snprintf(t->name, sizeof t->name, "mono");
	for (int i = 0; i < TH_COUNT; i++)
		t->el[i].fg = t->el[i].bg = THEME_DEFAULT_COLOUR;
	t->el[TH_status].attr |= TA_REVERSE;
	t->el[TH_select].attr |= TA_REVERSE;
	t->el[TH_crit].attr |= TA_REVERSE;
}

/* One line: blank, a comment, or `element = style`. */
static int parse_line(theme *t, const char *p, size_t n, const char **why)
{
	/* '#' starts a comment only at the start or after blank space (not #rrggbb) */
	for (size_t i = 0; i < n; i++)
		if (p[i] == '#' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t')) {
			n = i;
			break;
		}
	trim(&p, &n);
	if (n == 0)
		return 0;
	const char *eq = memchr(p, '=', n);
	if (!eq)
		return *why = "expected ELEMENT = STYLE", -1;
	const char *name = p;
	size_t nn = (size_t)(eq - p);
	trim(&name, &nn);
	int el = theme_element_find(name, nn);
	if (el < 0)
		return *why = "unknown element (see the list in themes/default.theme)", -1;
	return theme_style_parse(eq + 1, n - (size_t)(eq + 1 - p), &t->el[el], why);
}

int theme_parse(theme *t, const char *text, size_t n, const char *file, lc_err *e)
{
	size_t i = 0;
	int line = 1;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t k = nl ? (size_t)(nl - text) : n;
		const char *why = NULL;
		if (memchr(text + i, '\0', k - i))
			return lc_err_set(e, LC_EUSAGE, "%s:%d: a NUL byte in a theme file", file, line);
		if (parse_line(t, text + i, k - i, &why) < 0)
			return lc_err_set(e, LC_EUSAGE, "%s:%d: %s", file, line, why);
		i = k + 1;
		line++;
	}
	return 0;
}

/* Read a whole (small) file; NULL with errno set. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	buf b = { 0 };
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, k);
	int bad = ferror(f) || b.len >= (1 << 20);
	fclose(f);
	if (bad) {
		buf_free(&b);
		errno = EFBIG;
		return NULL;
	}
	*n = b.len;
	return b.p ? b.p : xstrdup("");
}

/* Directories to look for NAME.theme in, as malloc'd strings into dirs. */
static int theme_dirs(char **dirs, int max)
{
	int n = 0;
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (x && *x == '/')
		dirs[n++] = xasprintf("%s/litecon/themes", x);
	else if (home && *home == '/')
		dirs[n++] = xasprintf("%s/.config/litecon/themes", home);
	char exe[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (k > 0) {
		exe[k] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		dirs[n++] = xasprintf("%s/../themes", exe);
		dirs[n++] = xasprintf("%s/../../themes", exe);
		dirs[n++] = xasprintf("%s/../share/litecon/themes", exe);
	}
	dirs[n++] = xstrdup("/usr/local/share/litecon/themes");
	dirs[n++] = xstrdup("/usr/share/litecon/themes");
	return n < max ? n : max;
}

static int is_path(const char *name)
{
	size_t n = strlen(name);
	return strchr(name, '/') || (n > 6 && strcmp(name + n - 6, ".theme") == 0);
}

/* The file for name, malloc'd, or NULL. */
static char *theme_find(const char *name)
{
	if (is_path(name))
		return xstrdup(name);
	char *dirs[8], *found = NULL;
	int n = theme_dirs(dirs, 8);
	for (int i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s.theme", dirs[i], name);
		if (!found && access(p, R_OK) == 0)
			found = p;
		else
			free(p);
		free(dirs[i]);
	}
	return found;
}

static int valid_name(const char *name)
{
	return *name && strlen(name) < 64 && !strchr(name, '\n');
}

int theme_load(theme *t, const char *name, lc_err *e)
{
	theme_builtin(t);
	if (!valid_name(name))
		return lc_err_set(e, LC_EUSAGE, "no theme called '%.60s'", name);
	char *file = theme_find(name);
	if (!file) {
		if (strcmp(name, "default") == 0)
			return 0;
		if (strcmp(name, "mono") == 0)
			return theme_mono(t), 0;
		return lc_err_set(e, LC_EUSAGE, "no theme called %s (shipped: default, light, solarized-dark, high-contrast, mono)",
				  name);
	}
	size_t n;
	char *text = slurp(file, &n);
	if (!text) {
		lc_err_set(e, LC_EUSAGE, "cannot read theme %s: %s", file, strerror(errno));
		free(file);
		return -1;
	}
	int rc = theme_parse(t, text, n, file, e);
	free(text);
	free(file);
	if (rc < 0) {
		theme_builtin(t);
		return -1;
	}
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	snprintf(t->name, sizeof t->name, "%.*s", (int)strcspn(base, "."), base);
	return 0;
}
