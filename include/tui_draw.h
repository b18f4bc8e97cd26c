/*
 * tui_draw.h: the TUI's drawing primitives over ncursesw, the only place
 * that knows about curses colours. Every string goes through textesc's
 * escaping before it reaches the screen (a byte from a database can never
 * move the cursor or set the clipboard), and is clipped by display width,
 * so wide characters never spill past a pane.
 */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include <stddef.h>
#include "theme.h"

/* Start curses on the terminal (raw keys, no echo, keypad, colours when
 * the terminal has them and colour is set). Returns -1 when the terminal
 * cannot be used (TERM unknown). */
int draw_begin(const theme *t, int colour);
/* Apply another theme (colour pairs are re-made). */
void draw_theme(const theme *t, int colour);
/* Leave curses and restore the terminal. Safe to call twice. */
void draw_end(void);
/* Is the locale UTF-8 (box drawing and sparklines), or plain ASCII? */
int draw_utf8(void);

/* Put s[0..n) at (y, x), escaped, clipped to w columns, in element el.
 * Returns the columns used. */
int draw_text(int y, int x, int w, const char *s, size_t n, int el);
/* The same for a C string, and printf-style. */
int draw_str(int y, int x, int w, const char *s, int el);
int draw_fmt(int y, int x, int w, int el, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Right-align s in [x, x + w). */
void draw_right(int y, int x, int w, const char *s, int el);
/* Blank w columns at (y, x) in el. */
void draw_fill(int y, int x, int w, int el);
/* A frame of h x w with a title; focused frames use the focus element. */
void draw_frame(int y, int x, int h, int w, const char *title, int focused);
/* A sparkline of the last w of v[0..n) (oldest first), scaled to its max. */
void draw_spark(int y, int x, int w, const double *v, int n, int el);
/* Display width of s (escaped as draw_text would). */
int draw_width(const char *s, size_t n);

#endif
