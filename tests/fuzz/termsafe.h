/*
 * termsafe.h: the oracle of the output fuzz targets: text that reaches a
 * terminal must not be able to drive it. Used by fuzz_render.c and
 * fuzz_agent_conn.c on what the output modes write for a terminal.
 */
#ifndef TERMSAFE_H
#define TERMSAFE_H

#include <stddef.h>

/* NULL when p[0..n) is safe for a terminal: valid UTF-8 (the strict form
 * of textesc.h's u8_decode), no C0 control but LF and TAB, no DEL, no C1
 * control (U+0080..U+009F). Otherwise a phrase saying what was found. */
const char *term_unsafe(const char *p, size_t n);

#endif
