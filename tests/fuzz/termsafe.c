/*
 * termsafe.c: is this text safe to print on a terminal? A check kept
 * apart from src/ui/textesc.c on purpose: the decoder below is written
 * from RFC 3629 table 4, so a bug in textesc.c cannot hide itself.
 */
#include "termsafe.h"

#include <stdint.h>

/* Length of the valid UTF-8 sequence at p (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	static const struct { unsigned char lo, hi; size_t len; unsigned char lo2, hi2; } lead[] = {
		{ 0xc2, 0xdf, 2, 0x80, 0xbf }, { 0xe0, 0xe0, 3, 0xa0, 0xbf }, { 0xe1, 0xec, 3, 0x80, 0xbf },
		{ 0xed, 0xed, 3, 0x80, 0x9f }, { 0xee, 0xef, 3, 0x80, 0xbf }, { 0xf0, 0xf0, 4, 0x90, 0xbf },
		{ 0xf1, 0xf3, 4, 0x80, 0xbf }, { 0xf4, 0xf4, 4, 0x80, 0x8f },
	};
	for (size_t i = 0; i < sizeof lead / sizeof *lead; i++) {
		if (p[0] < lead[i].lo || p[0] > lead[i].hi)
			continue;
		size_t len = lead[i].len;
		if (n < len || p[1] < lead[i].lo2 || p[1] > lead[i].hi2)
			return 0;
		*cp = p[0] & (0x7f >> len);
		for (size_t k = 1; k < len; k++) {
			if (k > 1 && (p[k] & 0xc0) != 0x80)
				return 0;
			*cp = *cp << 6 | (p[k] & 0x3f);
		}
		return len;
	}
	return 0;
}

const char *term_unsafe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp = p[i];
		size_t len = 1;
		if (cp >= 0x80 && (len = utf8_len(p + i, n - i, &cp)) == 0)
			return "invalid UTF-8";
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f)
			return "a C0 control or DEL";
		if (cp >= 0x80 && cp <= 0x9f)
			return "a C1 control";
		i += len;
	}
	return NULL;
}
