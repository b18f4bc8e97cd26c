/*
 * knownhosts.h: host key verification with OpenSSH's rules and words.
 * known_hosts files are read line by line (libssh2 1.10's readfile stops
 * at the first line it cannot parse; we skip such lines), every check is
 * typed by the server's key type (an untyped check turns a known host into
 * a "changed" one), and a new key is appended as one line, never by
 * rewriting the file.
 */
#ifndef KNOWNHOSTS_H
#define KNOWNHOSTS_H

#include <libssh2.h>
#include "sshc.h"

/* Host-key algorithms to offer, from the key types on file for the host
 * (OpenSSH's order), or NULL when none is known. Caller frees. Call before
 * the handshake and pass it to libssh2_session_method_pref. */
char *kh_prefs(LIBSSH2_SESSION *s, const ssh_cfg *c);

/* After the handshake: check the server's key against the files and apply
 * StrictHostKeyChecking. 0 = go on; -1 with e (LC_EHOSTKEY) and OpenSSH's
 * message on stderr. A changed key is refused under every setting. */
int kh_verify(LIBSSH2_SESSION *s, const ssh_cfg *c, lc_err *e);

/* "SHA256:<unpadded base64>" of the server's key into out (64 bytes). */
void kh_fingerprint(LIBSSH2_SESSION *s, char *out, size_t n);

#endif
