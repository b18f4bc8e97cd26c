/*
 * config.h: litecon's config file, $XDG_CONFIG_HOME/litecon/config
 * (default ~/.config/litecon/config), INI style:
 *
 *   [target store]
 *   host = shop.example.com      ; without host: a local path
 *   user = deploy
 *   port = 22
 *   path = /var/lib/docker/volumes/shop_storage/_data
 *   sudo = yes
 *   identity = ~/.ssh/id_ed25519
 *   theme = solarized-dark       ; TUI
 *   refresh = 2                  ; TUI, seconds
 *
 * `litecon @store ...` opens that target. An unknown section or key, or a
 * bad value, is an error naming file:line.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "lc.h"

typedef struct lc_target_cfg {
	char *name, *host, *user, *path, *identity, *theme;  /* owned or NULL */
	int port, sudo, refresh;
} lc_target_cfg;

typedef struct lc_config {
	lc_target_cfg *t;   /* owned */
	int n;
	char *file;         /* owned: where it was read from */
} lc_config;

/* Read path (NULL: the default location; a missing default file is an
 * empty config, a missing explicit one an error). -1 with e (LC_EUSAGE). */
int config_load(const char *path, lc_config *c, lc_err *e);
/* The same for text[0..n) (need not be NUL-terminated; not kept), named
 * name in messages. c is filled as by config_load; free it either way. */
int config_parse(const char *text, size_t n, const char *name, lc_config *c, lc_err *e);
void config_free(lc_config *c);
const lc_target_cfg *config_target(const lc_config *c, const char *name);
/* The default path (malloc'd). */
char *config_path(void);

#endif
