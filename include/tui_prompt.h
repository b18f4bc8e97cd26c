/*
 * tui_prompt.h: text editing for the TUI: a UTF-8 buffer with a cursor
 * (ted, used by the query editor), and the one-line prompt at the bottom
 * for `:` commands and `/` filters, with Tab completion of commands,
 * table names and themes.
 */
#ifndef TUI_PROMPT_H
#define TUI_PROMPT_H

#include <stddef.h>
#include "util.h"

/* ---- ted: text + cursor (byte offset, always on a character boundary) ---- */
typedef struct ted {
	buf b;            /* owned */
	size_t cur;
} ted;

void ted_set(ted *t, const char *s);
void ted_insert(ted *t, const char *s, size_t n);
void ted_insert_wc(ted *t, int wc);      /* a typed character */
void ted_backspace(ted *t);
void ted_delete(ted *t);
void ted_left(ted *t);
void ted_right(ted *t);
void ted_home(ted *t);                   /* start of the line */
void ted_end(ted *t);                    /* end of the line */
void ted_up(ted *t);
void ted_down(ted *t);
void ted_kill_line(ted *t);              /* Ctrl-U: the line before the cursor */
const char *ted_text(const ted *t);
/* The word before the cursor (identifier characters and '.'): its start. */
size_t ted_word_start(const ted *t);
void ted_free(ted *t);

/* Handle an editing key (printable, Backspace, Delete, arrows, Home, End,
 * Ctrl-A/E/U/K); 1 when it was one. multiline: Enter inserts a newline
 * and Up/Down move between lines. */
int ted_key(ted *t, int key, int multiline);

/* ---- the bottom prompt ---- */
struct app;

typedef struct prompt {
	int open;
	int kind;         /* ':' or '/' */
	ted t;
	char **cand;      /* owned: completion candidates (whole lines) */
	int ncand, icand;
} prompt;

void prompt_open(prompt *p, int kind, const char *init);
/* A key while open: 1 when the prompt closed; then *line is the entered
 * text (malloc'd) after Enter, NULL after Esc. */
int prompt_key(prompt *p, struct app *a, int key, char **line);
void prompt_draw(prompt *p, int y, int w);
void prompt_clear(prompt *p);

/* ':' completion (cmd.c): candidates for the whole line, NULL-terminated
 * malloc'd array of malloc'd lines, or NULL. */
char **cmd_complete(struct app *a, const char *line);

#endif
