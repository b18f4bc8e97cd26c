/*
 * demo.h: `litecon demo [DIR]`: build a Rails-like demo store with
 * litecon-load, start the load writer, and show the store live until the
 * operator quits (the writer stops with litecon).
 */
#ifndef DEMO_H
#define DEMO_H

#include "cli.h"

/* Run the demo command; returns the exit status. */
int demo_main(const cli *o);

#endif
