/*
 * render.h: result output modes, spelled as in sqlite3: box table markdown
 * csv tsv (tabs) json jsonl line list. A render is an lc_sink: hand
 * render_sink() and the render to conn_exec and rows are written as they
 * arrive (box/table/markdown keep the rows of one statement to size the
 * columns). Escaping policy: display modes (box, table, markdown, line,
 * list) always escape control bytes; the exact machine modes (csv, tsv,
 * json, jsonl) keep bytes exact unless the output is a terminal (JSON
 * strings are always escaped per RFC 8259).
 */
#ifndef RENDER_H
#define RENDER_H

#include <stdio.h>
#include "lc.h"

typedef struct render render;

/* Index of the mode called name, or -1. */
int render_mode_find(const char *name);
/* Name of mode i, or NULL past the end (for help and completion). */
const char *render_mode_name(int i);

/* A render writing to out (not owned; it is not closed). tty: out is a
 * terminal, so the machine modes escape too. Starts in mode "list" with the
 * mode's default header. Free with render_free. */
render *render_new(FILE *out, int tty);
void render_free(render *r);

/* Settings, as the command line and dot-commands change them. s is copied.
 * render_set_mode returns -1 for an unknown mode and changes nothing; it
 * resets the separators to the new mode's defaults, and the header too
 * unless it was set explicitly. */
int render_set_mode(render *r, const char *mode);
const char *render_get_mode(const render *r);
void render_set_header(render *r, int on);
void render_set_colsep(render *r, const char *s);
void render_set_rowsep(render *r, const char *s);
void render_set_null(render *r, const char *s);
/* Change where output goes (for .output / .once); out is not owned. */
void render_set_out(render *r, FILE *out, int tty);
FILE *render_out(const render *r);

/* The sink; its ctx must be the render. The lc_err given to the exec is
 * filled on an output error. */
const lc_sink *render_sink(void);

/* Rows written by the last statement. */
long long render_rows(const render *r);

#endif
