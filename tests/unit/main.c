/*
 * main.c: the unit-test runner: one table of suites, all run in order.
 */
#include "unit.h"

int unit_failed;

static const struct {
	const char *name;
	void (*fn)(void);
} suites[] = {
	{ "textesc", test_textesc }, { "target", test_target }, { "store", test_store },
	{ "dot", test_dot },         { "guard", test_guard },   { "render", test_render },
	{ "proto", test_proto },     { "outq", test_outq },
	{ "keepfd", test_keepfd },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		if (argc > 1 && strcmp(argv[1], suites[i].name) != 0)
			continue;
		printf("# %s\n", suites[i].name);
		suites[i].fn();
	}
	return unit_failed ? 1 : 0;
}
