/*
 * sqlval.c: number formatting through SQLite's own printf, which is the only
 * way to match its "%!.15g" rendering of REALs digit for digit.
 */
#include "sqlval.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>
#include "util.h"

int sqlval_real_text(double r, char *out)
{
	sqlite3_snprintf(SQLVAL_REAL_MAX, out, "%!.15g", r);
	return (int)strlen(out);
}

int sqlval_real_json(double r, char *out)
{
	if (isinf(r))
		strcpy(out, r > 0 ? "1e999" : "-1e999");
	else if (fabs(r) < 9.2e18 && r == (double)(int64_t)r)
		sqlite3_snprintf(SQLVAL_REAL_MAX, out, "%lld.0", (long long)(int64_t)r);
	else
		sqlite3_snprintf(SQLVAL_REAL_MAX, out, "%!.20g", r);
	return (int)strlen(out);
}

char *sql_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!s)
		return xstrdup("");
	char *t = xstrdup(s);
	sqlite3_free(s);
	return t;
}

int sql_complete(const char *sql)
{
	return sqlite3_complete(sql);
}
