/*
 * sqlval.h: format numbers exactly as SQLite and its shell do, so litecon's
 * CSV and JSON agree value for value with `sqlite3 -csv/-json`.
 */
#ifndef SQLVAL_H
#define SQLVAL_H

#include <stddef.h>

#define SQLVAL_REAL_MAX 48

/* Text form of a REAL as sqlite3_column_text gives it ("%!.15g": 2.0, 0.1,
 * 1.0e+15). out must hold SQLVAL_REAL_MAX bytes; returns the length. */
int sqlval_real_text(double r, char *out);

/* JSON form as the sqlite3 shell's json mode writes it: integral values as
 * "N.0", others "%!.20g", infinities as 1e999 / -1e999. */
int sqlval_real_json(double r, char *out);

/* sqlite3_mprintf for code outside core: %q quotes a value, %w an
 * identifier, %Q a value or NULL. Returns a malloc'd string; caller frees. */
char *sql_printf(const char *fmt, ...);

/* Is sql one or more complete statements (sqlite3_complete)? */
int sql_complete(const char *sql);

#endif
