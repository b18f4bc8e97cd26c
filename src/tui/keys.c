/*
 * keys.c: the key table of tui_keys.h; help and hints are made from it.
 */
#include "tui_keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define FN(k) (TK_FN | (k))

const tkey keys_table[] = {
	{ 'q', "q", KC_ALL, A_QUIT, 1, "quit (from the dashboard; elsewhere: back)" },
	{ '?', "?", KC_ALL, A_HELP, 1, "help: every key, made from the key table" },
	{ ':', ":", KC_ALL, A_COMMAND, 1, "command mode (Tab completes): tables, table NAME, query, orders, queue, wal, backup [DEST], theme NAME, refresh S, export FILE, q" },
	{ '/', "/", KC_ALL, A_FILTER, 1, "filter the list or grid (empty: clear)" },
	{ 'r', "r", KC_ALL, A_REFRESH, 1, "refresh now" },
	{ 27, "Esc", KC_ALL, A_BACK, 1, "back (cancels a running query first)" },
	{ TK_CTRL('c'), "Ctrl-C", KC_ALL, A_CANCEL, 0, "cancel the running query" },
	{ 'e', "e", KC_ALL, A_EDITOR, 1, "editor: write and run a query" },
	{ 't', "t", KC_ALL, A_TABLES, 1, "tables of every database" },
	{ 'b', "b", KC_ALL, A_BACKUP, 0, "back up the target (same as :backup)" },
	{ '\t', "Tab", KC_DASH, A_NEXT_PANE, 1, "next pane" },
	{ FN(KEY_BTAB), "Shift-Tab", KC_DASH, A_PREV_PANE, 0, "the previous pane" },
	{ '\r', "Enter", KC_DASH, A_ENTER, 1, "open: an order, a queue's jobs, a file's tables, a sequence's table" },
	{ 'f', "f", KC_DASH, A_FAILED, 0, "the failed jobs of the queue in focus" },
	{ FN(KEY_UP), "Up k", KC_ALL, A_UP, 0, "move up" },
	{ 'k', "k", KC_ALL, A_UP, 0, NULL },
	{ FN(KEY_DOWN), "Down j", KC_ALL, A_DOWN, 0, "move down" },
	{ 'j', "j", KC_ALL, A_DOWN, 0, NULL },
	{ FN(KEY_LEFT), "Left h", KC_ALL, A_LEFT, 0, "the column to the left (scrolls)" },
	{ 'h', "h", KC_ALL, A_LEFT, 0, NULL },
	{ FN(KEY_RIGHT), "Right l", KC_ALL, A_RIGHT, 0, "the column to the right (scrolls)" },
	{ 'l', "l", KC_ALL, A_RIGHT, 0, NULL },
	{ FN(KEY_PPAGE), "PgUp ^B", KC_ALL, A_PGUP, 0, "a screen up (past the top, the grid reads the page before)" },
	{ TK_CTRL('b'), "Ctrl-B", KC_ALL, A_PGUP, 0, NULL },
	{ FN(KEY_NPAGE), "PgDn ^F", KC_ALL, A_PGDN, 0, "a screen down (past the bottom, the grid reads the next page)" },
	{ TK_CTRL('f'), "Ctrl-F", KC_ALL, A_PGDN, 0, NULL },
	{ 'g', "g Home", KC_ALL, A_HOME, 0, "the first row (a table grid reads its first page)" },
	{ FN(KEY_HOME), "Home", KC_ALL, A_HOME, 0, NULL },
	{ 'G', "G End", KC_ALL, A_END, 0, "the last row (a table grid reads its last page)" },
	{ FN(KEY_END), "End", KC_ALL, A_END, 0, NULL },
	{ '\r', "Enter", KC_LIST, A_ENTER, 1, "open: a table's rows, a row's detail" },
	{ 's', "s", KC_LIST, A_SORT_ASC, 1, "sort by the current column (again: descending)" },
	{ 'S', "S", KC_LIST, A_SORT_DESC, 0, "sort by the current column, descending" },
	{ 'd', "d", KC_LIST, A_SCHEMA, 1, "describe: the table's CREATE statement and indexes" },
	{ FN(KEY_F(5)), "F5", KC_EDIT, A_RUN, 1, "run the query (also Ctrl-G)" },
	{ TK_CTRL('g'), "Ctrl-G", KC_EDIT, A_RUN, 0, NULL },
	{ '\t', "Tab", KC_EDIT, A_COMPLETE, 1, "complete a keyword, table or column" },
	{ TK_CTRL('p'), "Ctrl-P", KC_EDIT, A_HIST_PREV, 1, "history: the previous query (shared with the shell)" },
	{ TK_CTRL('n'), "Ctrl-N", KC_EDIT, A_HIST_NEXT, 0, "the next query in the history" },
	{ FN(KEY_F(6)), "F6", KC_EDIT, A_NONE, 1, "grid: move between the query and its result" },
	{ 27, "Esc", KC_EDIT, A_BACK, 1, "back (cancels a running query first)" },
	{ 0, NULL, 0, 0, 0, NULL },
};

static const char *const ctx_names[KC_COUNT] = {
	[KC_ALL] = "Everywhere", [KC_DASH] = "Dashboard", [KC_LIST] = "Tables and grids",
	[KC_EDIT] = "Query editor", [KC_TEXT] = "Detail and text",
};

const char *keys_ctx_name(int ctx)
{
	return ctx >= 0 && ctx < KC_COUNT ? ctx_names[ctx] : "";
}

int keys_action(int ctx, int key)
{
	for (const tkey *k = keys_table; k->label; k++)
		if (k->ctx == ctx && k->key == key)
			return k->action;
	for (const tkey *k = keys_table; k->label; k++)
		if (k->ctx == KC_ALL && k->key == key)
			return k->action;
	return A_NONE;
}

/* Does ctx hint a key of its own for action? */
static int hinted(int ctx, int action)
{
	for (const tkey *k = keys_table; k->label; k++)
		if (k->ctx == ctx && k->hint && k->action == action)
			return 1;
	return 0;
}

void keys_hints(int ctx, char *out, size_t len)
{
	size_t n = 0;
	out[0] = 0;
	for (int pass = 0; pass < 2; pass++)
		for (const tkey *k = keys_table; k->label && n < len; k++) {
			if (!k->hint || !k->help || k->ctx != (pass ? KC_ALL : ctx) || (pass == 0 && ctx == KC_ALL))
				continue;
			if (pass && (ctx == KC_EDIT || keys_action(ctx, k->key) != k->action))
				continue;  /* typed in the editor, or the context's own meaning */
			if (pass && ctx != KC_ALL && hinted(ctx, k->action))
				continue;
			const char *sp = strchr(k->help, ' ');
			const char *word = k->help;
			size_t wl = sp ? (size_t)(sp - word) : strlen(word);
			while (wl && (word[wl - 1] == ':' || word[wl - 1] == ','))
				wl--;
			int w = snprintf(out + n, len - n, "%s%s %.*s", n ? "  " : "", k->label, (int)wl, word);
			if (w < 0)
				break;
			n += (size_t)w;
		}
	if (n >= len)
		out[len - 1] = 0;
}
