/*
 * sshc.h: litecon's SSH client on libssh2 1.10: configuration (ssh -G),
 * host keys (known_hosts with OpenSSH's rules and wording), authentication,
 * exec channels as byte streams, and SFTP upload. See reference/ssh.md for
 * the libssh2 1.10 sharp edges this module works around.
 */
#ifndef SSHC_H
#define SSHC_H

#include "lc.h"
#include "stream.h"
#include "util.h"

#define SSHC_MAX_LIST 16

enum strict { STRICT_ASK, STRICT_YES, STRICT_ACCEPT_NEW, STRICT_NO };

/* The effective configuration for one host. */
typedef struct ssh_cfg {
	char *alias;            /* as the operator typed it */
	char *hostname;         /* to connect to */
	char *user;
	int port;
	char *identity[SSHC_MAX_LIST];        /* expanded paths */
	int nidentity;
	int identities_only;
	char *known[SSHC_MAX_LIST];           /* user known_hosts files */
	int nknown;
	char *global_known[SSHC_MAX_LIST];
	int nglobal;
	int strict;             /* enum strict */
	int hash_known;
	int connect_timeout;    /* seconds */
	int alive_interval;     /* seconds */
	int alive_count;
	int batch;              /* BatchMode: never prompt */
	char *proxyjump;        /* or NULL */
	char *config_file;      /* -F, or NULL */
} ssh_cfg;

/* Command-line overrides (OpenSSH's flags). */
typedef struct ssh_args {
	int port;               /* -p, 0 = unset */
	const char *user;       /* -l */
	const char *identity;   /* -i */
	const char *config;     /* -F */
	const char *opts[SSHC_MAX_LIST];  /* -o Key=Value */
	int nopts;
} ssh_args;

/* Resolve host (with user and port from the target, if any) into c: runs
 * `ssh -G` when OpenSSH's client is installed, else flags and defaults.
 * Free with ssh_cfg_clear. -1 with e for a bad -o value. */
int ssh_cfg_resolve(const char *host, const char *user, int port, const ssh_args *a, ssh_cfg *c, lc_err *e);
void ssh_cfg_clear(ssh_cfg *c);
/* Apply one "Key=Value" or "Key Value" option (case-insensitive key). */
int ssh_cfg_set(ssh_cfg *c, const char *kv, lc_err *e);

typedef struct sshc sshc;

/* Connect, verify the host key, authenticate. On failure -1 with e:
 * LC_ECONNECT (network, auth) or LC_EHOSTKEY (host key). */
int sshc_connect(const ssh_cfg *c, sshc **out, lc_err *e);

/* Run cmd (already quoted with shq) and collect stdout (at most max bytes)
 * and the exit status; stderr goes to err. Returns 0 when it ran. */
int sshc_run(sshc *s, const char *cmd, buf *out, buf *err, int *status, lc_err *e);

/* Run cmd on an exec channel and wait for litecon-agent's magic. When it
 * comes, return the channel as a stream that takes the session with it
 * (closing the stream frees s). When the command ends without it, return
 * NULL with its output in out and e untouched (a probe answer), the
 * session still the caller's; NULL with e filled on a transport error. */
lc_stream *sshc_exec_agent(sshc *s, const char *cmd, buf *out, lc_err *e);

/* Upload local to remote (absolute) over SFTP in large writes, creating
 * the parent directories; mode is the file mode. */
int sshc_upload(sshc *s, const char *local, const char *remote, int mode, lc_err *e);
/* Remove a file over SFTP (cleanup; errors ignored). */
void sshc_unlink(sshc *s, const char *path);

/* Free. graceful: disconnect politely; after a transport error pass 0 so
 * nothing waits on a dead peer. */
void sshc_free(sshc *s, int graceful);
/* Did the transport fail (then free with graceful 0)? */
int sshc_dead(const sshc *s);

/* Quote s as one POSIX shell word ('...' with '\'' for quotes). The only
 * way litecon builds remote command words. Returns malloc'd. */
char *shq(const char *s);

#endif
