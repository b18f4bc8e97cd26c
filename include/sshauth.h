/*
 * sshauth.h: user authentication: ssh-agent, identity files (passphrase on
 * the terminal or through SSH_ASKPASS), then keyboard-interactive and
 * password on a terminal. RSA keys are skipped with a plain explanation:
 * libssh2 1.10 signs only with ssh-rsa (SHA-1), which OpenSSH >= 8.8 refuses.
 */
#ifndef SSHAUTH_H
#define SSHAUTH_H

#include <libssh2.h>
#include "sshc.h"

/* Authenticate; 0, or -1 with e (LC_ECONNECT) naming the host, the user and
 * the methods tried. */
int ssh_auth(LIBSSH2_SESSION *s, const ssh_cfg *c, lc_err *e);

/* Ask for a secret: SSH_ASKPASS when set and there is no terminal (or
 * SSH_ASKPASS_REQUIRE=force), else /dev/tty without echo. NULL if neither. */
char *ssh_askpass(const char *prompt);

#endif
