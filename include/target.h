/*
 * target.h: parse the TARGET argument of the command line:
 *   path/to/db.sqlite3 | path/to/storage/          local
 *   [user@]host:/path  | ssh://[user@]host[:port]/path   over SSH
 *   @name                                          from the config file
 * A colon before the first slash makes a target remote (as scp); write
 * ./a:b for a local file whose name holds a colon.
 */
#ifndef TARGET_H
#define TARGET_H

#include "lc.h"

enum target_kind { TARGET_LOCAL, TARGET_SSH, TARGET_NAMED };

typedef struct target {
	int kind;      /* enum target_kind */
	char *user;    /* owned or NULL */
	char *host;    /* owned or NULL */
	int port;      /* 0 = default */
	char *path;    /* owned: local path, remote path */
	char *name;    /* owned: @name without the @ */
} target;

/* Parse s into t (zeroed first). Returns -1 with e (LC_EUSAGE) when s is
 * malformed: empty, a host starting with '-', control characters. */
int target_parse(const char *s, target *t, lc_err *e);
void target_clear(target *t);

#endif
