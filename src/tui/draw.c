/*
 * draw.c: curses set-up and the drawing primitives of tui_draw.h: theme
 * elements as colour pairs, escaped and width-clipped text, frames and
 * sparklines (block characters on UTF-8, ASCII otherwise).
 */
#include "tui_draw.h"
#include "textesc.h"
#include "util.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	SCREEN *scr;       /* ours, from newterm */
	int on;            /* curses is up */
	int utf8;
	attr_t attr[TH_COUNT];
	buf scratch;       /* escaped text */
} D;

int draw_utf8(void)
{
	return D.utf8;
}

/* A 256-colour index on a terminal with fewer colours. */
static short fit_colour(short c)
{
	if (c < 0 || c < COLORS)
		return c;
	if (c < 16)
		return (short)(c - 8);
	if (c >= 232)
		return c < 244 ? COLOR_BLACK : COLOR_WHITE;
	int i = c - 16, r = i / 36, g = i / 6 % 6, b = i % 6, hi = r > 2 || g > 2 || b > 2 ? 3 : 1;
	return (short)((r >= hi ? 1 : 0) | (g >= hi ? 2 : 0) | (b >= hi ? 4 : 0));
}

static attr_t attrs_of(unsigned a)
{
	static const struct {
		unsigned bit;
		attr_t a;
	} map[] = {
		{ TA_BOLD, A_BOLD }, { TA_DIM, A_DIM }, { TA_UNDERLINE, A_UNDERLINE },
		{ TA_REVERSE, A_REVERSE }, { TA_ITALIC, A_ITALIC }, { TA_BLINK, A_BLINK },
	};
	attr_t out = 0;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (a & map[i].bit)
			out |= map[i].a;
	return out;
}

void draw_theme(const theme *t, int colour)
{
	int pairs = colour && has_colors();
	for (int i = 0; i < TH_COUNT; i++) {
		const tstyle *s = &t->el[i];
		D.attr[i] = attrs_of(s->attr);
		if (pairs && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1), fit_colour(s->fg), fit_colour(s->bg));
			D.attr[i] |= COLOR_PAIR(i + 1);
		}
	}
	if (pairs)
		bkgdset(' ' | D.attr[TH_normal]);
}

int draw_begin(const theme *t, int colour)
{
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	D.utf8 = cs && strcmp(cs, "UTF-8") == 0;
	if (!(D.scr = newterm(NULL, stdout, stdin)))
		return -1;
	D.on = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (colour && has_colors()) {
		start_color();
		use_default_colors();
	}
	draw_theme(t, colour);
	return 0;
}

void draw_end(void)
{
	if (!D.on)
		return;
	D.on = 0;
	curs_set(1);
	endwin();
	delscreen(D.scr);
	D.scr = NULL;
	buf_free(&D.scratch);
}

int draw_width(const char *s, size_t n)
{
	buf_reset(&D.scratch);
	return esc_display(&D.scratch, s, n, 0);
}

int draw_text(int y, int x, int w, const char *s, size_t n, int el)
{
	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	buf_reset(&D.scratch);
	esc_display(&D.scratch, s, n, 0);
	int used = 0;
	const char *p = D.scratch.p ? D.scratch.p : "";
	size_t k = u8_fit(p, D.scratch.len, w, &used);
	attrset((int)D.attr[el]);
	if (D.utf8) {
		mvaddnstr(y, x, p, (int)k);
	} else {  /* no UTF-8: one '?' per non-ASCII character */
		move(y, x);
		for (size_t i = 0; i < k; i++)
			if (((unsigned char)p[i] & 0xc0) != 0x80)
				addch((unsigned char)p[i] < 0x80 ? (chtype)(unsigned char)p[i] : '?');
	}
	attrset((int)D.attr[TH_normal]);
	return used;
}

int draw_str(int y, int x, int w, const char *s, int el)
{
	return draw_text(y, x, w, s, strlen(s), el);
}

int draw_fmt(int y, int x, int w, int el, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return draw_str(y, x, w, tmp, el);
}

void draw_right(int y, int x, int w, const char *s, int el)
{
	int sw = draw_width(s, strlen(s));
	if (sw > w)
		sw = w;
	draw_str(y, x + w - sw, sw, s, el);
}

void draw_fill(int y, int x, int w, int el)
{
	if (y < 0 || y >= LINES || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attrset((int)D.attr[el]);
	mvhline(y, x, ' ', w);
	attrset((int)D.attr[TH_normal]);
}

void draw_frame(int y, int x, int h, int w, const char *title, int focused)
{
	if (h < 2 || w < 4)
		return;
	int el = focused ? TH_focus : TH_border;
	attrset((int)D.attr[el]);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset((int)D.attr[TH_normal]);
	if (title && *title) {
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		draw_str(y, x + 2, w - 4, t, focused ? TH_focus : TH_title);
	}
}

void draw_spark(int y, int x, int w, const double *v, int n, int el)
{
	static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[] = "_.-=+*#@";
	int from = n > w ? n - w : 0;
	double max = 0;
	for (int i = from; i < n; i++)
		if (v[i] > max)
			max = v[i];
	attrset((int)D.attr[el]);
	move(y, x);
	for (int i = from; i < n; i++) {
		int lvl = max > 0 ? (int)(v[i] / max * 7.0 + 0.5) : 0;
		lvl = lvl < 0 ? 0 : lvl > 7 ? 7 : lvl;
		if (D.utf8)
			addstr(blocks[lvl]);
		else
			addch((chtype)ascii[lvl]);
	}
	attrset((int)D.attr[TH_normal]);
}
