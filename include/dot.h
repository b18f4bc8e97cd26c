/*
 * dot.h: dot-commands (.mode, .tables, ...), one table with prefix matching
 * as sqlite3 does; `.help` is generated from it. Used by scripts, one-liner
 * arguments that start with '.', and the shell.
 */
#ifndef DOT_H
#define DOT_H

#include "session.h"

/* Split a dot-command line into words (quotes '..' and ".." with \
 * escapes in the latter). Returns the count; *argv is malloc'd, each word
 * too; free with dot_free_args. At most 64 words. */
int dot_split(const char *line, char ***argv);
void dot_free_args(int argc, char **argv);

/* Name of dot-command i, or NULL past the end (for completion). */
const char *dot_name(int i);

#endif
