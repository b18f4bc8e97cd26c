/*
 * tui_keys.h: the TUI's key bindings, one table. A key means an action in
 * a context (the view on top, or everywhere); the help screen (`?`) and
 * the hint line are generated from the same table. Keys are wide
 * characters, or TK_FN | a curses KEY_ code for function keys.
 */
#ifndef TUI_KEYS_H
#define TUI_KEYS_H

#include <stddef.h>

#define TK_FN 0x40000000
#define TK_CTRL(c) ((c) & 0x1f)

enum key_ctx { KC_ALL, KC_DASH, KC_LIST, KC_EDIT, KC_TEXT, KC_COUNT };

enum key_action {
	A_NONE,
	A_QUIT, A_HELP, A_COMMAND, A_FILTER, A_REFRESH, A_BACK, A_CANCEL,
	A_NEXT_PANE, A_PREV_PANE, A_UP, A_DOWN, A_LEFT, A_RIGHT, A_PGUP, A_PGDN, A_HOME, A_END,
	A_ENTER, A_SORT_ASC, A_SORT_DESC, A_SCHEMA, A_TABLES, A_EDITOR, A_BACKUP, A_FAILED,
	A_RUN, A_COMPLETE, A_HIST_PREV, A_HIST_NEXT,
};

typedef struct tkey {
	int key;
	const char *label;   /* as the help shows it */
	int ctx;             /* enum key_ctx */
	int action;          /* enum key_action */
	int hint;            /* shown on the hint line of its context */
	const char *help;    /* NULL: an alias, not listed on its own */
} tkey;

/* The action of key in context ctx (falling back to KC_ALL), or A_NONE. */
int keys_action(int ctx, int key);
/* The table (NULL-label terminated) and a context's title. */
extern const tkey keys_table[];
const char *keys_ctx_name(int ctx);
/* The hint line for ctx into out ("q quit  ? help  : command ..."). */
void keys_hints(int ctx, char *out, size_t len);

#endif
