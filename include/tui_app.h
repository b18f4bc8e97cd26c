/*
 * tui_app.h: what the TUI's modules share: the app (event loop state,
 * the connection worker, the latest inspection), the view stack, and the
 * constructors of each view. Views are const classes (htop's panels): one
 * file each, with draw / key / done / filter / free. Everything a view
 * shows from a database goes through tui_draw.h, which escapes it.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stddef.h>
#include "cli.h"
#include "inspect.h"
#include "theme.h"
#include "tui_keys.h"
#include "tui_work.h"

typedef struct app app;
typedef struct view view;

/* What a key handler did. */
enum { VK_PASS = 0, VK_DONE = 1 };

typedef struct view_class {
	const char *name;
	int ctx;                                                /* enum key_ctx */
	void (*draw)(app *a, view *v, int y, int x, int h, int w);
	int (*key)(app *a, view *v, int action, int key);       /* VK_* */
	void (*done)(app *a, view *v, tjob *j);                 /* its job finished (j freed after) */
	void (*filter)(app *a, view *v, const char *text);      /* "/" (NULL: not filterable) */
	void (*refreshed)(app *a, view *v);                     /* a new inspection came in */
	void (*free)(view *v);
} view_class;

struct view {
	const view_class *cls;
	void *st;               /* owned by cls */
	char title[200];
	char filter[128];
	int job;                /* id of this view's job in flight, 0 = none */
	long long job_t0;       /* now_ms() when it started */
	int job_cancellable;    /* a query the user may cancel */
};

/* A new view of cls with state st (owned by the view from now on). */
view *view_new(const view_class *cls, void *st, const char *title);

/* ---- the app, for views ---- */

void app_push(app *a, view *v);          /* v owned by the app */
void app_pop(app *a);
view *app_top(app *a);
/* Run sql for v (sql owned from now on); v->done gets the result. */
int app_query(app *a, view *v, char *sql, size_t max_rows, int cancellable);
/* A message on the hint line for a few seconds (el: a theme element). */
void app_msg(app *a, int el, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const inspect_report *app_report(const app *a);
const cli *app_cli(const app *a);
twork *app_work(app *a);
/* The schema holding solid_queue_* tables, or NULL. */
const char *app_queue_schema(const app *a);
/* The schema of the orders table (main). */
const char *app_orders_table(const app *a);
/* A sparkline history of the latest n samples for key ("wal:main", "queue"). */
int app_series(const app *a, const char *key, const double **v);
/* Run a ':' command line (also what some keys do). */
void app_command(app *a, const char *line);
/* Change the theme by name; -1 with a message shown. */
int app_theme(app *a, const char *name);
/* Ask for a refresh now. */
void app_refresh(app *a);
void tui_set_refresh(app *a, int ms);
void tui_quit(app *a);
/* Start a backup of the target to dest (a job; progress on the hint line). */
void tui_backup(app *a, const char *dest, const backup_opts *bo);
/* The command line's backup options, which :backup's own words change. */
const backup_opts *tui_backup_defaults(const app *a);
/* The usage line of ':' command i, NULL past the end (for the help). */
const char *cmd_usage(int i);

/* ---- the catalog: tables and columns of every database (completion, tables view) ---- */
typedef struct tcat_table {
	char *schema, *name, *type;  /* owned */
	char **cols;                 /* owned */
	int ncols;
	int without_rowid;
} tcat_table;

typedef struct tcat {
	tcat_table *t;
	int n;
	int loaded;
} tcat;

const tcat *app_catalog(app *a);  /* loads it on first use (async: may be empty) */
void tcat_clear(tcat *c);
/* Fill c from rows (schema, name, type, sql, column) of a catalog query. */
void tcat_fill(tcat *c, const tres *r);
/* The SQL that lists schema's tables and columns for tcat_fill. */
char *tcat_sql(const char *schema);
const tcat_table *tcat_find(const tcat *c, const char *schema, const char *name);

/* ---- views ---- */
view *dash_new(app *a);
view *tables_new(app *a, const char *schema);     /* schema NULL: all */
/* A grid over a table with keyset paging; from_end opens on its last page. */
view *grid_table(app *a, const char *schema, const char *table, int from_end);
/* A grid of one query's result (the first 10000 rows). */
view *grid_sql(app *a, const char *title, char *sql);
/* Row detail: one field per line, JSON pretty-printed; extra SQL (owned,
 * may be NULL) adds a result below (an order's items). */
view *detail_new(app *a, const char *title, const tres *r, size_t row, char *extra_sql);
/* The same for the first row of row_sql (owned), then extra_sql (owned, or NULL). */
view *detail_query(app *a, const char *title, char *row_sql, char *extra_sql);
view *text_new(app *a, const char *title, const char *text);
/* Text from the first column of each row of sql (owned). */
view *text_query(app *a, const char *title, char *sql);
view *help_new(app *a);
view *editor_new(app *a);
void editor_set(view *v, const char *sql);
/* Focus the dashboard's pane called name ("Queue", "WAL"). */
void dash_focus(view *v, const char *name);
/* An empty grid to embed (the editor's results), and its pieces. */
view *grid_empty(app *a, const char *title);
void grid_set_result(view *v, tres *r);      /* r owned from now on */
void grid_set_error(view *v, const char *msg);
void grid_draw_in(app *a, view *v, int y, int x, int h, int w);
int grid_key_in(app *a, view *v, int action, int key);
/* The grid's result for export; NULL when the view has none. */
const tres *grid_result(view *v);
int view_is_grid(const view *v);

/* ---- helpers shared by views ---- */
/* A copy of an inspection section as a result table (owned). */
tres *tres_from_isect(const isect *s);
/* A value as display text into b (NULL as "NULL", blobs as x'..' up to a limit). */
struct buf;
void tui_value_text(struct buf *b, const lc_value *v, size_t limit);
/* Does a cell's text contain the filter (case-insensitive ASCII)? */
int tui_match(const lc_value *v, const char *filter);
/* History shared with the shell: $XDG_STATE_HOME/litecon/history. */
int hist_count(void);
const char *hist_get(int i);          /* 0 = oldest */
void hist_add(const char *entry);     /* appended to the file too */
void hist_free(void);
/* Export r to path: CSV (.csv) or JSON (anything else); -1 with e. */
int tui_export(const tres *r, const char *path, lc_err *e);

#endif
