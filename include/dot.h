/*
 * dot.h: dot-commands (.mode, .tables, ...), one table with prefix matching
 * as sqlite3 does; `.help` is generated from it. Used by scripts, one-liner
 * arguments that start with '.', and the shell (which also completes their
 * names and arguments from the same table).
 */
#ifndef DOT_H
#define DOT_H

#include "session.h"

/* Split a dot-command line into words (quotes '..' and ".." with \
 * escapes in the latter). Returns the count; *argv is malloc'd, each word
 * too; free with dot_free_args. At most 64 words. */
int dot_split(const char *line, char ***argv);
void dot_free_args(int argc, char **argv);

/* Name of dot-command i (without the '.'), or NULL past the end. */
const char *dot_name(int i);

/* What the first argument of a dot-command is, for Tab completion. */
enum dot_arg {
	DOT_ARG_NONE,
	DOT_ARG_FILE,    /* a local file path (.once .output .read .backup) */
	DOT_ARG_ONOFF,   /* on|off */
	DOT_ARG_MODE,    /* an output mode */
	DOT_ARG_TABLE,   /* a table name or pattern */
	DOT_ARG_DOT,     /* a dot-command name (.help) */
};

/* The argument kind of the command name (with or without the '.', any
 * accepted abbreviation); DOT_ARG_NONE for an unknown or ambiguous name. */
int dot_arg(const char *name);

#endif
