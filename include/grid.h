/*
 * grid.h: the aligned text modes (box, table, markdown). A grid collects the
 * escaped cells of one statement, sizes each column by display width (wide
 * characters count 2) and prints the whole table at the end. Numbers are
 * right-aligned, headers centred, as sqlite3 and psql do.
 */
#ifndef GRID_H
#define GRID_H

#include <stdio.h>
#include <stddef.h>

enum grid_style { GRID_BOX, GRID_TABLE, GRID_MARKDOWN, GRID_PLAIN };

typedef struct grid grid;

/* A grid of ncol columns with the given (already escaped) header names;
 * names are copied. Free with grid_free. */
grid *grid_new(int style, int ncol, const char *const *names, int header);
/* Add one cell (escaped text, its display width, right-aligned?); cells fill
 * rows left to right. s is copied. */
void grid_cell(grid *g, const char *s, size_t n, int width, int right);
/* Print everything to out; returns -1 on a write error. */
int grid_print(grid *g, FILE *out);
void grid_free(grid *g);

#endif
