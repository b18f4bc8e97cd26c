/*
 * prompt.c: UTF-8 text editing with a cursor (ted) and the bottom prompt
 * line for ':' commands and '/' filters (see tui_prompt.h).
 */
#include "tui_prompt.h"
#include "tui_app.h"
#include "tui_draw.h"
#include "tui_keys.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* ---- ted ---- */

const char *ted_text(const ted *t)
{
	return t->b.p ? t->b.p : "";
}

void ted_set(ted *t, const char *s)
{
	buf_reset(&t->b);
	buf_adds(&t->b, s);
	t->cur = t->b.len;
}

void ted_insert(ted *t, const char *s, size_t n)
{
	buf_add(&t->b, s, n);  /* grow, then open the gap */
	memmove(t->b.p + t->cur + n, t->b.p + t->cur, t->b.len - n - t->cur);
	memcpy(t->b.p + t->cur, s, n);
	t->cur += n;
}

void ted_insert_wc(ted *t, int wc)
{
	char u[4];
	size_t n;
	if (wc < 0x80)
		u[0] = (char)wc, n = 1;
	else if (wc < 0x800)
		u[0] = (char)(0xc0 | wc >> 6), u[1] = (char)(0x80 | (wc & 0x3f)), n = 2;
	else if (wc < 0x10000)
		u[0] = (char)(0xe0 | wc >> 12), u[1] = (char)(0x80 | (wc >> 6 & 0x3f)), u[2] = (char)(0x80 | (wc & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | wc >> 18), u[1] = (char)(0x80 | (wc >> 12 & 0x3f)), u[2] = (char)(0x80 | (wc >> 6 & 0x3f)),
		u[3] = (char)(0x80 | (wc & 0x3f)), n = 4;
	ted_insert(t, u, n);
}

static size_t prev_char(const ted *t, size_t at)
{
	while (at > 0 && ((unsigned char)t->b.p[--at] & 0xc0) == 0x80)
		;
	return at;
}

static size_t next_char(const ted *t, size_t at)
{
	if (at >= t->b.len)
		return t->b.len;
	at++;
	while (at < t->b.len && ((unsigned char)t->b.p[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void cut(ted *t, size_t from, size_t to)
{
	memmove(t->b.p + from, t->b.p + to, t->b.len - to + 1);
	t->b.len -= to - from;
	t->cur = from;
}

void ted_backspace(ted *t)
{
	if (t->cur)
		cut(t, prev_char(t, t->cur), t->cur);
}

void ted_delete(ted *t)
{
	if (t->cur < t->b.len)
		cut(t, t->cur, next_char(t, t->cur));
}

void ted_left(ted *t)
{
	t->cur = prev_char(t, t->cur);
}

void ted_right(ted *t)
{
	t->cur = next_char(t, t->cur);
}

static size_t line_start(const ted *t, size_t at)
{
	while (at > 0 && t->b.p[at - 1] != '\n')
		at--;
	return at;
}

static size_t line_end(const ted *t, size_t at)
{
	while (at < t->b.len && t->b.p[at] != '\n')
		at++;
	return at;
}

void ted_home(ted *t)
{
	t->cur = line_start(t, t->cur);
}

void ted_end(ted *t)
{
	t->cur = line_end(t, t->cur);
}

/* Move to column col (in characters) of the line starting at s. */
static void to_column(ted *t, size_t s, size_t col)
{
	size_t e = line_end(t, s);
	t->cur = s;
	while (col-- && t->cur < e)
		t->cur = next_char(t, t->cur);
}

static size_t column(const ted *t)
{
	size_t n = 0;
	for (size_t at = line_start(t, t->cur); at < t->cur; at = next_char(t, at))
		n++;
	return n;
}

void ted_up(ted *t)
{
	size_t s = line_start(t, t->cur);
	if (s == 0)
		return;
	size_t col = column(t);
	to_column(t, line_start(t, s - 1), col);
}

void ted_down(ted *t)
{
	size_t e = line_end(t, t->cur);
	if (e >= t->b.len)
		return;
	size_t col = column(t);
	to_column(t, e + 1, col);
}

void ted_kill_line(ted *t)
{
	cut(t, line_start(t, t->cur), t->cur);
}

static void kill_to_end(ted *t)
{
	size_t c = t->cur;
	cut(t, c, line_end(t, c));
}

size_t ted_word_start(const ted *t)
{
	size_t at = t->cur;
	while (at > 0) {
		unsigned char c = (unsigned char)t->b.p[at - 1];
		if (!(c == '_' || c == '.' || c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z')))
			break;
		at--;
	}
	return at;
}

void ted_free(ted *t)
{
	buf_free(&t->b);
	t->cur = 0;
}

int ted_key(ted *t, int key, int multiline)
{
	static const struct {
		int key;
		void (*fn)(ted *);
		int multi;  /* only in a multi-line editor */
	} keys[] = {
		{ TK_FN | KEY_BACKSPACE, ted_backspace, 0 }, { 127, ted_backspace, 0 }, { 8, ted_backspace, 0 },
		{ TK_FN | KEY_DC, ted_delete, 0 }, { TK_FN | KEY_LEFT, ted_left, 0 }, { TK_FN | KEY_RIGHT, ted_right, 0 },
		{ TK_FN | KEY_HOME, ted_home, 0 }, { TK_CTRL('a'), ted_home, 0 }, { TK_FN | KEY_END, ted_end, 0 },
		{ TK_CTRL('e'), ted_end, 0 }, { TK_CTRL('u'), ted_kill_line, 0 }, { TK_CTRL('k'), kill_to_end, 0 },
		{ TK_FN | KEY_UP, ted_up, 1 }, { TK_FN | KEY_DOWN, ted_down, 1 },
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (keys[i].key == key && (multiline || !keys[i].multi)) {
			keys[i].fn(t);
			return 1;
		}
	if (multiline && (key == '\r' || key == '\n' || key == (TK_FN | KEY_ENTER))) {
		ted_insert(t, "\n", 1);
		return 1;
	}
	if (key >= 0x20 && key != 127 && key < 0x110000 && !(key & TK_FN)) {
		ted_insert_wc(t, key);
		return 1;
	}
	return 0;
}

/* ---- the prompt ---- */

static void cand_free(prompt *p)
{
	for (int i = 0; i < p->ncand; i++)
		free(p->cand[i]);
	free(p->cand);
	p->cand = NULL;
	p->ncand = p->icand = 0;
}

void prompt_open(prompt *p, int kind, const char *init)
{
	p->open = 1;
	p->kind = kind;
	ted_set(&p->t, init);
	cand_free(p);
}

void prompt_clear(prompt *p)
{
	cand_free(p);
	ted_free(&p->t);
	p->open = 0;
}

/* Tab: complete to the longest common prefix, then cycle the candidates. */
static void complete(prompt *p, app *a)
{
	if (p->kind != ':')
		return;
	if (p->ncand > 1) {
		p->icand = (p->icand + 1) % p->ncand;
		ted_set(&p->t, p->cand[p->icand]);
		return;
	}
	cand_free(p);
	char **c = cmd_complete(a, ted_text(&p->t));
	if (!c)
		return;
	while (c[p->ncand])
		p->ncand++;
	p->cand = c;
	size_t common = strlen(c[0]);
	for (int i = 1; i < p->ncand; i++)
		for (size_t k = 0; k < common; k++)
			if (c[i][k] != c[0][k]) {
				common = k;
				break;
			}
	if (p->ncand == 1 || common > strlen(ted_text(&p->t))) {
		char *pre = xstrndup(c[0], common);
		ted_set(&p->t, pre);
		free(pre);
		if (p->ncand == 1)
			cand_free(p);
		else
			p->icand = -1;
	} else {
		p->icand = 0;
		ted_set(&p->t, c[0]);
	}
}

int prompt_key(prompt *p, app *a, int key, char **line)
{
	*line = NULL;
	if (key == 27 || key == TK_CTRL('c') || key == TK_CTRL('g')) {
		prompt_clear(p);
		return 1;
	}
	if (key == '\r' || key == '\n' || key == (TK_FN | KEY_ENTER)) {
		*line = xstrdup(ted_text(&p->t));
		prompt_clear(p);
		return 1;
	}
	if (key == '\t') {
		complete(p, a);
		return 0;
	}
	if (p->ncand > 1 && key != '\t')
		cand_free(p);
	if ((key == 127 || key == (TK_FN | KEY_BACKSPACE) || key == 8) && p->t.b.len == 0) {
		prompt_clear(p);  /* backspace on an empty prompt leaves it, as in vi */
		return 1;
	}
	ted_key(&p->t, key, 0);
	return 0;
}

void prompt_draw(prompt *p, int y, int w)
{
	char k[2] = { (char)p->kind, 0 };
	draw_str(y, 0, 1, k, TH_prompt);
	const char *s = ted_text(&p->t);
	int before = draw_width(s, p->t.cur);
	int off = before > w - 3 ? before - (w - 3) : 0;
	/* scroll by whole characters until the cursor fits */
	size_t from = 0;
	while (off > 0 && from < p->t.cur) {
		size_t n = from + 1;
		while (n < p->t.b.len && ((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
		off -= draw_width(s + from, n - from);
		from = n;
	}
	draw_text(y, 1, w - 2, s + from, p->t.b.len - from, TH_normal);
	int cx = 1 + draw_width(s + from, p->t.cur - from);
	if (p->ncand > 1) {
		char info[32];
		if (p->icand < 0)
			snprintf(info, sizeof info, " [%d matches: Tab]", p->ncand);
		else
			snprintf(info, sizeof info, " [%d/%d]", p->icand + 1, p->ncand);
		draw_right(y, 0, w, info, TH_dim);
	}
	move(y, cx < w ? cx : w - 1);
	curs_set(1);
}
