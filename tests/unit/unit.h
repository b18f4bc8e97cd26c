/*
 * unit.h: the unit-test harness: CHECK prints one TAP line per check, and
 * each test file registers its functions in tests/unit/main.c's table.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_failed;

#define CHECK(cond, name)                                                   \
	do {                                                                \
		if (cond) {                                                 \
			printf("ok - %s\n", name);                          \
		} else {                                                    \
			printf("not ok - %s\n# %s:%d: %s\n", name, __FILE__, \
			       __LINE__, #cond);                            \
			unit_failed++;                                      \
		}                                                           \
	} while (0)

#define CHECK_STR(got, want, name)                                          \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		if (g_ && strcmp(g_, w_) == 0) {                            \
			printf("ok - %s\n", name);                          \
		} else {                                                    \
			printf("not ok - %s\n# got  [%s]\n# want [%s]\n", name, \
			       g_ ? g_ : "(null)", w_);                     \
			unit_failed++;                                      \
		}                                                           \
	} while (0)

void test_textesc(void);
void test_target(void);
void test_store(void);
void test_dot(void);
void test_guard(void);
void test_render(void);
void test_proto(void);
void test_outq(void);
void test_keepfd(void);

#endif
