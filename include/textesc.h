/*
 * textesc.h: make bytes from a database safe for a terminal, and measure
 * them. Every byte that came from a database passes through here before any
 * display mode, the shell or the TUI prints it: C0 controls become caret
 * notation (ESC -> ^[), DEL -> ^?, C1 controls -> \u0080.., invalid UTF-8
 * bytes -> \xNN. JSON strings are escaped per RFC 8259 (controls as \u00XX)
 * with invalid UTF-8 replaced by U+FFFD, so the output is valid UTF-8.
 */
#ifndef TEXTESC_H
#define TEXTESC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "util.h"

enum esc_flags {
	ESC_KEEP_TAB = 1,  /* leave TAB as is */
	ESC_KEEP_NL = 2,   /* leave LF as is */
};

/* Append p[0..n) to b escaped for a terminal; returns the display width of
 * what was appended (LF/TAB, when kept, count as 1). */
int esc_display(buf *b, const char *p, size_t n, int flags);

/* Print "litecon: MSG" and a newline to out, msg escaped as above (flags
 * 0): error messages quote SQL, names from a schema and text from a host,
 * so every one that reaches a terminal outside the shell goes through
 * here (the shell's session_fail escapes the same way). */
void esc_message(FILE *out, const char *msg);

/* Append p[0..n) to b as the inside of a JSON string (no quotes). */
void esc_json(buf *b, const char *p, size_t n);

/* Decode one UTF-8 sequence at p (n bytes available). Returns its length and
 * sets *cp, or 0 when the bytes are not valid UTF-8 (overlong, surrogate,
 * truncated, > U+10FFFF). */
int u8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/* Columns a code point takes on a terminal: 0 (combining, zero width), 1, or
 * 2 (East Asian wide and fullwidth, most emoji). Controls return 1 here;
 * callers escape them first. */
int wc_width(uint32_t cp);

/* Display width of an already escaped, valid UTF-8 string. */
int u8_width(const char *s, size_t n);

/* Bytes of s (valid UTF-8) that fit in w columns; *used gets their width. */
size_t u8_fit(const char *s, size_t n, int w, int *used);

#endif
