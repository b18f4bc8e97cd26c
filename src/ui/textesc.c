/*
 * textesc.c: terminal-safe escaping, JSON string escaping, UTF-8 decoding
 * and display widths (a compact East Asian Width / zero-width table, so the
 * result does not depend on the process locale).
 */
#include "textesc.h"

#include <stdio.h>
#include <string.h>

int u8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned c = p[0];
	int len;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07;
	else
		return 0;
	if ((size_t)len > n)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

struct range {
	uint32_t lo, hi;
};

/* Zero-width: combining marks, ZWJ/ZWNJ, variation selectors. */
static const struct range zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 }, { 0x06d6, 0x06dc }, { 0x0816, 0x082d },
	{ 0x0900, 0x0903 }, { 0x093a, 0x094f }, { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a },
	{ 0x0e47, 0x0e4e }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
	{ 0x202a, 0x202e }, { 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0x302a, 0x302f },
	{ 0x3099, 0x309a }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
	{ 0xe0100, 0xe01ef },
};

/* Wide: East Asian Wide/Fullwidth blocks and emoji presentation blocks. */
static const struct range wide[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a }, { 0x23e9, 0x23ec },
	{ 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 }, { 0x25fd, 0x25fe }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 }, { 0x26ce, 0x26ce },
	{ 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea }, { 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 },
	{ 0x26fa, 0x26fa }, { 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf },
	{ 0x2b1b, 0x2b1c }, { 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 }, { 0x2e80, 0x303e },
	{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xa960, 0xa97f }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf },
	{ 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a }, { 0x1f200, 0x1f251 }, { 0x1f300, 0x1f320 },
	{ 0x1f32d, 0x1f335 }, { 0x1f337, 0x1f37c }, { 0x1f37e, 0x1f393 }, { 0x1f3a0, 0x1f3ca },
	{ 0x1f3cf, 0x1f3d3 }, { 0x1f3e0, 0x1f3f0 }, { 0x1f3f4, 0x1f3f4 }, { 0x1f3f8, 0x1f43e },
	{ 0x1f440, 0x1f440 }, { 0x1f442, 0x1f4fc }, { 0x1f4ff, 0x1f53d }, { 0x1f54b, 0x1f54e },
	{ 0x1f550, 0x1f567 }, { 0x1f57a, 0x1f57a }, { 0x1f595, 0x1f596 }, { 0x1f5a4, 0x1f5a4 },
	{ 0x1f5fb, 0x1f64f }, { 0x1f680, 0x1f6c5 }, { 0x1f6cc, 0x1f6cc }, { 0x1f6d0, 0x1f6d2 },
	{ 0x1f6d5, 0x1f6d7 }, { 0x1f6eb, 0x1f6ec }, { 0x1f6f4, 0x1f6fc }, { 0x1f7e0, 0x1f7eb },
	{ 0x1f90c, 0x1f93a }, { 0x1f93c, 0x1f945 }, { 0x1f947, 0x1f9ff }, { 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

static int in_table(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int wc_width(uint32_t cp)
{
	if (cp >= 0x300 && in_table(cp, zero, N(zero)))
		return 0;
	if (cp >= 0x1100 && in_table(cp, wide, N(wide)))
		return 2;
	return 1;
}

int esc_display(buf *b, const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = u8_decode(p + i, n - i, &cp);
		if (len == 0) {
			buf_addf(b, "\\x%02x", p[i++]);
			w += 4;
			continue;
		}
		if ((cp == '\t' && (flags & ESC_KEEP_TAB)) || (cp == '\n' && (flags & ESC_KEEP_NL))) {
			buf_addc(b, (char)cp);
			w++;
		} else if (cp < 0x20 || cp == 0x7f) {
			buf_addc(b, '^');
			buf_addc(b, cp == 0x7f ? '?' : (char)(cp + '@'));
			w += 2;
		} else if (cp >= 0x80 && cp < 0xa0) {
			buf_addf(b, "\\u%04x", (unsigned)cp);
			w += 6;
		} else {
			buf_add(b, p + i, (size_t)len);
			w += wc_width(cp);
		}
		i += (size_t)len;
	}
	return w;
}

void esc_message(FILE *out, const char *msg)
{
	buf b = { 0 };
	esc_display(&b, msg, strlen(msg), 0);
	fprintf(out, "litecon: %s\n", b.p ? b.p : "");
	buf_free(&b);
}

/* "\\uXXXX" for code point v (at most U+FFFF here: C0, DEL, C1, U+FFFD). */
static void json_u(buf *b, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	const char u[6] = { '\\', 'u', hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15] };
	buf_add(b, u, sizeof u);
}

void esc_json(buf *b, const char *s, size_t n)
{
	static const char *const named[0x20] = {
		['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
	};
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = p[i] < 0x80 ? 1 : u8_decode(p + i, n - i, &cp);
		unsigned c = p[i];
		int plain = len > 1 ? !(cp >= 0x80 && cp < 0xa0)
				    : (len == 1 && c >= 0x20 && c != '"' && c != '\\' && c != 0x7f);
		if (plain) {
			i += (size_t)len;
			run += (size_t)len;
			continue;
		}
		buf_add(b, p + i - run, run);
		run = 0;
		if (len == 0) {
			json_u(b, 0xfffd);
			i++;
			continue;
		}
		if (len == 1 && (c == '"' || c == '\\')) {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (len == 1 && c < 0x20 && named[c]) {
			buf_adds(b, named[c]);
		} else {
			json_u(b, len == 1 ? c : (unsigned)cp);
		}
		i += (size_t)len;
	}
	buf_add(b, p + n - run, run);
}

int u8_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = u8_decode(p + i, n - i, &cp);
		if (len == 0) {
			w++;
			i++;
			continue;
		}
		w += wc_width(cp);
		i += (size_t)len;
	}
	return w;
}

size_t u8_fit(const char *s, size_t n, int w, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int u = 0;
	while (i < n) {
		uint32_t cp;
		int len = u8_decode(p + i, n - i, &cp);
		int cw = len ? wc_width(cp) : 1;
		if (u + cw > w)
			break;
		u += cw;
		i += len ? (size_t)len : 1;
	}
	if (used)
		*used = u;
	return i;
}
