/*
 * auth.c: try the ways in, in OpenSSH's order, and say which were tried.
 */
#define _GNU_SOURCE
#include "sshauth.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

typedef struct tried {
	buf log;        /* "publickey (agent), publickey (~/.ssh/id_ed25519)" */
	int rsa;        /* an RSA key was skipped or refused */
} tried;

static void note(tried *t, const char *what)
{
	buf_adds(&t->log, t->log.len ? ", " : "");
	buf_adds(&t->log, what);
}

/* ---- secrets ---- */

static char *from_askpass(const char *prog, const char *prompt)
{
	int p[2];
	if (pipe(p) < 0)
		return NULL;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]), close(p[1]);
		execlp(prog, prog, prompt, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char tmp[1024];
	ssize_t n = read(p[0], tmp, sizeof tmp - 1);
	int st;
	close(p[0]);
	waitpid(pid, &st, 0);
	if (n < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return NULL;
	tmp[n] = 0;
	tmp[strcspn(tmp, "\r\n")] = 0;
	return xstrdup(tmp);
}

static char *from_tty(const char *prompt)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	struct termios old, quiet;
	char tmp[1024];
	if (fd < 0)
		return NULL;
	dprintf(fd, "%s", prompt);
	int echo_off = tcgetattr(fd, &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	ssize_t n = read(fd, tmp, sizeof tmp - 1);
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	dprintf(fd, "\n");
	close(fd);
	if (n < 0)
		return NULL;
	tmp[n] = 0;
	tmp[strcspn(tmp, "\r\n")] = 0;
	return xstrdup(tmp);
}

char *ssh_askpass(const char *prompt)
{
	const char *prog = getenv("SSH_ASKPASS"), *req = getenv("SSH_ASKPASS_REQUIRE");
	int tty = isatty(0);
	if (prog && *prog && (!tty || (req && !strcmp(req, "force"))) && !(req && !strcmp(req, "never")))
		return from_askpass(prog, prompt);
	return tty ? from_tty(prompt) : NULL;
}

static void wipe(char *s)
{
	if (!s)
		return;
	volatile char *p = s;
	while (*p)
		*p++ = 0;
	free(s);
}

/* ---- keys ---- */

/* Is the key at priv an RSA key (from PRIV.pub, or the private key's PEM
 * header or OpenSSH blob)? */
static int is_rsa(const char *priv)
{
	char *pub = xasprintf("%s.pub", priv), line[4096] = "";
	FILE *f = fopen(pub, "re");
	free(pub);
	if (f) {
		int r = fgets(line, sizeof line, f) && !strncmp(line, "ssh-rsa ", 8);
		fclose(f);
		return r;
	}
	f = fopen(priv, "re");
	if (!f)
		return 0;
	size_t n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = 0;
	if (strstr(line, "BEGIN RSA PRIVATE KEY"))
		return 1;
	/* openssh-key-v1: the public key's type name sits early in the blob;
	 * "c3NoLXJzYQ" is base64 of "ssh-rsa" at any of its three alignments. */
	return strstr(line, "AAAAB3NzaC1yc2E") != NULL || strstr(line, "c3NoLXJzYQ") != NULL;
}

static int try_agent(LIBSSH2_SESSION *s, const ssh_cfg *c, tried *t)
{
	LIBSSH2_AGENT *a = libssh2_agent_init(s);
	struct libssh2_agent_publickey *id = NULL, *prev = NULL;
	int ok = 0, usable = 0;
	if (!a || !getenv("SSH_AUTH_SOCK") || libssh2_agent_connect(a) != 0 || libssh2_agent_list_identities(a) != 0) {
		if (a)
			libssh2_agent_free(a);
		return 0;
	}
	while (!ok && libssh2_agent_get_identity(a, &id, prev) == 0) {
		prev = id;
		if (id->blob_len > 11 && !memcmp(id->blob + 4, "ssh-rsa", 7)) {
			t->rsa = 1;  /* would be signed with SHA-1: refused by OpenSSH >= 8.8 */
			continue;
		}
		usable++;
		ok = libssh2_agent_userauth(a, c->user, id) == 0;
	}
	note(t, usable ? "publickey (ssh-agent)" : "publickey (ssh-agent: no usable keys)");
	libssh2_agent_disconnect(a);
	libssh2_agent_free(a);
	return ok;
}

/* Is the private key protected by a passphrase? PEM says so in a header;
 * an OpenSSH key names its cipher ("none" when not) right after the magic. */
static int key_encrypted(const char *priv)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char text[4096], bin[96];
	FILE *f = fopen(priv, "re");
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0, k = 0;
	if (f)
		fclose(f);
	text[n] = 0;
	if (strstr(text, "ENCRYPTED"))
		return 1;
	const char *p = strstr(text, "-----\n");
	unsigned v = 0, bits = 0;
	for (p = p ? p + 6 : text; *p && k < sizeof bin; p++) {
		const char *c = strchr(b64, *p);
		if (!c || !*p)
			continue;
		v = v << 6 | (unsigned)(c - b64), bits += 6;
		if (bits >= 8)
			bin[k++] = (char)(v >> (bits -= 8));
	}
	/* "openssh-key-v1\0" + u32 length + ciphername */
	return k > 23 && !memcmp(bin, "openssh-key-v1", 14) && memcmp(bin + 19, "none", 4) != 0;
}

static int try_key(LIBSSH2_SESSION *s, const ssh_cfg *c, const char *priv, tried *t)
{
	char *pub = xasprintf("%s.pub", priv), *pass = NULL, label[1200];
	const char *pubp = access(pub, R_OK) == 0 ? pub : NULL;
	int locked = key_encrypted(priv);
	int rc = locked ? LIBSSH2_ERROR_FILE
			: libssh2_userauth_publickey_fromfile_ex(s, c->user, (unsigned)strlen(c->user), pubp, priv, "");
	for (int tries = 0; rc != 0 && locked && tries < 3 && !c->batch; tries++) {
		char *prompt = xasprintf("Enter passphrase for key '%s': ", priv);
		wipe(pass);
		pass = ssh_askpass(prompt);
		free(prompt);
		if (!pass)
			break;
		rc = libssh2_userauth_publickey_fromfile_ex(s, c->user, (unsigned)strlen(c->user), pubp, priv, pass);
	}
	snprintf(label, sizeof label, rc != 0 && locked ? "publickey (%s: cannot unlock it)" : "publickey (%s)", priv);
	note(t, label);
	wipe(pass);
	free(pub);
	return rc == 0;
}

static int try_keys(LIBSSH2_SESSION *s, const ssh_cfg *c, tried *t)
{
	for (int i = 0; i < c->nidentity; i++) {
		const char *k = c->identity[i];
		if (access(k, R_OK) != 0)
			continue;
		if (is_rsa(k)) {
			t->rsa = 1;
			note(t, "publickey (skipped RSA key ");
			buf_adds(&t->log, k);
			buf_addc(&t->log, ')');
			continue;
		}
		if (try_key(s, c, k, t))
			return 1;
	}
	return 0;
}

/* ---- keyboard-interactive and password ---- */

static void kbd_cb(const char *name, int name_len, const char *instruction, int instruction_len, int num_prompts,
		   const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts, LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract)
{
	(void)name, (void)name_len, (void)instruction, (void)instruction_len, (void)abstract;
	for (int i = 0; i < num_prompts; i++) {
		char *p = xstrndup((const char *)prompts[i].text, prompts[i].length);
		char *ans = ssh_askpass(p);
		free(p);
		responses[i].text = ans ? ans : xstrdup("");
		responses[i].length = (unsigned)strlen(responses[i].text);
	}
}

static int try_interactive(LIBSSH2_SESSION *s, const ssh_cfg *c, const char *methods, tried *t)
{
	if (c->batch || (!isatty(0) && !getenv("SSH_ASKPASS")))
		return 0;
	if (strstr(methods, "keyboard-interactive")) {
		note(t, "keyboard-interactive");
		if (libssh2_userauth_keyboard_interactive_ex(s, c->user, (unsigned)strlen(c->user), kbd_cb) == 0)
			return 1;
	}
	if (strstr(methods, "password")) {
		char *prompt = xasprintf("%s@%s's password: ", c->user, c->hostname), *pw = ssh_askpass(prompt);
		free(prompt);
		note(t, "password");
		int ok = pw && libssh2_userauth_password_ex(s, c->user, (unsigned)strlen(c->user), pw,
							    (unsigned)strlen(pw), NULL) == 0;
		wipe(pw);
		return ok;
	}
	return 0;
}

int ssh_auth(LIBSSH2_SESSION *s, const ssh_cfg *c, lc_err *e)
{
	tried t = { { 0 }, 0 };
	char *m = libssh2_userauth_list(s, c->user, (unsigned)strlen(c->user));
	if (!m && libssh2_userauth_authenticated(s))
		return 0;  /* "none" was enough */
	char *methods = xstrdup(m ? m : "");
	int ok = (strstr(methods, "publickey") && !c->identities_only && try_agent(s, c, &t)) ||
		 (strstr(methods, "publickey") && try_keys(s, c, &t)) || try_interactive(s, c, methods, &t);
	if (!ok) {
		lc_err_set(e, LC_ECONNECT, "cannot log in to %s as %s: tried %s; the server accepts %s%s", c->hostname,
			   c->user, t.log.len ? t.log.p : "nothing usable", *methods ? methods : "nothing",
			   t.rsa ? ". RSA keys cannot work here: libssh2 1.10 signs only with ssh-rsa (SHA-1), which "
				   "OpenSSH 8.8 and later refuse; use an ed25519 key (ssh-keygen -t ed25519) or allow "
				   "PubkeyAcceptedAlgorithms +ssh-rsa on the server" : "");
	}
	free(methods);
	buf_free(&t.log);
	return ok ? 0 : -1;
}
