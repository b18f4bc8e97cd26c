/*
 * knownhosts.c: StrictHostKeyChecking done as OpenSSH does it (sshconnect.c):
 *   yes         refuse unknown hosts, refuse changed keys
 *   accept-new  add unknown hosts, refuse changed keys
 *   no          add unknown hosts, refuse changed keys (litecon never
 *               connects to a host whose key changed)
 *   ask         ask on a terminal; without one, as yes
 * For a port other than 22 the name is "[host]:port"; an entry for the
 * plain host is accepted when it matches (OpenSSH: "found matching key
 * w/out port") and ignored when it does not.
 */
#define _GNU_SOURCE
#include "knownhosts.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

enum { KH_NOTFOUND, KH_MATCH, KH_CHANGED };

static const struct keytype {
	int hostkey;        /* LIBSSH2_HOSTKEY_TYPE_* */
	int mask;           /* LIBSSH2_KNOWNHOST_KEY_* */
	const char *name;   /* algorithm, as in known_hosts */
	const char *label;  /* as OpenSSH prints it */
} types[] = {
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519", "ED25519" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256", "ECDSA" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384", "ECDSA" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521", "ECDSA" },
	{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa", "RSA" },
	{ LIBSSH2_HOSTKEY_TYPE_DSS, LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss", "DSA" },
};
#define NTYPES (sizeof types / sizeof *types)

static const struct keytype *by_hostkey(int t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].hostkey == t)
			return &types[i];
	return NULL;
}

/* The name OpenSSH looks up: "host" on port 22, else "[host]:port". */
static char *lookup_name(const ssh_cfg *c)
{
	return c->port == 22 ? xstrdup(c->hostname) : xasprintf("[%s]:%d", c->hostname, c->port);
}

/* 20 bytes in base64 as OpenSSH writes them: 27 characters and '='. */
static int b64_20(const char *p)
{
	for (int i = 0; i < 27; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		      p[i] == '+' || p[i] == '/'))
			return 0;
	return p[27] == '=';
}

/* A line whose host is hashed ("|1|SALT|HASH") must have the shape
 * OpenSSH gives it: a 20-byte salt and a 20-byte SHA-1 HMAC. OpenSSH
 * ignores any other; libssh2 1.10 accepts it and then leaks an HMAC
 * context on every check against it (found by tests/fuzz/fuzz_knownhosts.c). */
static int hashed_ok(const char *p)
{
	if (strncmp(p, "|1|", 3) != 0)
		return 1;
	return b64_20(p + 3) && p[31] == '|' && b64_20(p + 32) && (p[60] == ' ' || p[60] == '\t');
}

/* Call fn for every parseable line of every known_hosts file. fn gets a
 * collection holding just that line. Returns fn's first nonzero result. */
typedef int (*line_fn)(LIBSSH2_KNOWNHOSTS *kh, const char *file, int lineno, void *ctx);

/* Every parseable line, or (revoked) only the "@revoked" ones, whose
 * marker is cut off before libssh2 sees them. */
static int each_line_of(LIBSSH2_SESSION *s, const ssh_cfg *c, line_fn fn, void *ctx, int revoked);

static int each_line(LIBSSH2_SESSION *s, const ssh_cfg *c, line_fn fn, void *ctx)
{
	return each_line_of(s, c, fn, ctx, 0);
}

static int each_line_of(LIBSSH2_SESSION *s, const ssh_cfg *c, line_fn fn, void *ctx, int revoked)
{
	for (int f = 0; f < c->nknown + c->nglobal; f++) {
		const char *path = f < c->nknown ? c->known[f] : c->global_known[f - c->nknown];
		FILE *fp = fopen(path, "re");
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		int lineno = 0, rc = 0;
		while (fp && rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
			lineno++;
			const char *p = line + strspn(line, " \t");
			int is_revoked = !strncmp(p, "@revoked", 8) && (p[8] == ' ' || p[8] == '\t');
			if (revoked != is_revoked || *p == '#' || *p == '\n' || *p == 0 || (*p == '@' && !is_revoked))
				continue;  /* comments, other markers (@cert-authority) */
			if (is_revoked)
				p += 8 + strspn(p + 8, " \t");
			if (!hashed_ok(p))
				continue;
			LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(s);
			if (kh && libssh2_knownhost_readline(kh, p, (size_t)n - (size_t)(p - line), LIBSSH2_KNOWNHOST_FILE_OPENSSH) == 0)
				rc = fn(kh, path, lineno, ctx);
			if (kh)
				libssh2_knownhost_free(kh);
		}
		free(line);
		if (fp)
			fclose(fp);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_name(LIBSSH2_KNOWNHOSTS *kh, const char *name, const char *key, size_t len, int mask)
{
	struct libssh2_knownhost *ent;
	return libssh2_knownhost_check(kh, name, key, len,
				       LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | mask, &ent);
}

/* ---- preferences ---- */

typedef struct prefs {
	const char *names[2];   /* "[h]:p" and "h" */
	int seen[NTYPES];
} prefs;

static int note_type(LIBSSH2_KNOWNHOSTS *kh, const char *file, int lineno, void *ctx)
{
	prefs *p = ctx;
	struct libssh2_knownhost *ent = NULL;
	(void)file, (void)lineno;
	if (libssh2_knownhost_get(kh, &ent, NULL) != 0 || !ent)
		return 0;
	int mask = ent->typemask & LIBSSH2_KNOWNHOST_KEY_MASK;
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].mask == mask)
			for (int k = 0; k < 2 && p->names[k]; k++)
				/* A dummy key: MISMATCH means the line is for this host. */
				if (check_name(kh, p->names[k], "x", 1, mask) == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
					p->seen[i] = 1;
	return 0;
}

char *kh_prefs(LIBSSH2_SESSION *s, const ssh_cfg *c)
{
	char *name = lookup_name(c);
	prefs p = { { name, c->port == 22 ? NULL : c->hostname }, { 0 } };
	buf b = { 0 };
	each_line(s, c, note_type, &p);
	for (size_t i = 0; i < NTYPES; i++)
		if (p.seen[i]) {
			buf_adds(&b, b.len ? "," : "");
			buf_adds(&b, types[i].name);
		}
	free(name);
	return b.p;
}

/* ---- verification ---- */

typedef struct verdict {
	const char *name;      /* lookup name */
	const char *key;       /* server's raw key */
	size_t len;
	int mask;
	int status;            /* KH_* for the exact name */
	int plain_match;       /* a plain-host entry matched (port != 22) */
	char file[1024];       /* offending entry, when changed */
	int line;
} verdict;

static int judge(LIBSSH2_KNOWNHOSTS *kh, const char *file, int lineno, void *ctx)
{
	verdict *v = ctx;
	int r = check_name(kh, v->name, v->key, v->len, v->mask);
	if (r == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
		v->status = KH_MATCH;
		return 1;  /* done */
	}
	if (r == LIBSSH2_KNOWNHOST_CHECK_MISMATCH && v->status != KH_CHANGED) {
		v->status = KH_CHANGED;
		snprintf(v->file, sizeof v->file, "%s", file);
		v->line = lineno;
	}
	return 0;
}

static int judge_plain(LIBSSH2_KNOWNHOSTS *kh, const char *file, int lineno, void *ctx)
{
	verdict *v = ctx;
	(void)file, (void)lineno;
	if (check_name(kh, v->name, v->key, v->len, v->mask) == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
		v->plain_match = 1;
		return 1;
	}
	return 0;
}

static void base64(buf *b, const unsigned char *p, size_t n)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		size_t rem = n - i;
		unsigned v = (unsigned)p[i] << 16 | (rem > 1 ? (unsigned)p[i + 1] << 8 : 0) | (rem > 2 ? p[i + 2] : 0);
		buf_addc(b, b64[v >> 18 & 63]);
		buf_addc(b, b64[v >> 12 & 63]);
		buf_addc(b, rem > 1 ? b64[v >> 6 & 63] : '=');
		buf_addc(b, rem > 2 ? b64[v & 63] : '=');
	}
}

void kh_fingerprint(LIBSSH2_SESSION *s, char *out, size_t n)
{
	const unsigned char *h = (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
	buf b = { 0 };
	if (h)
		base64(&b, h, 32);
	while (b.len && b.p[b.len - 1] == '=')
		b.p[--b.len] = 0;  /* OpenSSH prints it unpadded */
	snprintf(out, n, "SHA256:%s", b.p ? b.p : "");
	buf_free(&b);
}

/* The known_hosts line for this host: hashed (|1|salt|hmac) when asked. */
static char *host_line(const verdict *v, const struct keytype *t, int hashed)
{
	buf b = { 0 };
	if (hashed) {
		unsigned char salt[20], mac[20];
		unsigned int maclen = sizeof mac;
		if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt)
			hashed = 0;
		else if (!HMAC(EVP_sha1(), salt, sizeof salt, (const unsigned char *)v->name, strlen(v->name), mac, &maclen))
			hashed = 0;
		if (hashed) {
			buf_adds(&b, "|1|");
			base64(&b, salt, sizeof salt);
			buf_addc(&b, '|');
			base64(&b, mac, maclen);
		}
	}
	if (!hashed)
		buf_adds(&b, v->name);
	buf_addf(&b, " %s ", t->name);
	base64(&b, (const unsigned char *)v->key, v->len);
	buf_addc(&b, '\n');
	return b.p;
}

/* Append one line to the first user known_hosts file (creating ~/.ssh). */
static int add_host(const ssh_cfg *c, const verdict *v, const struct keytype *t, lc_err *e)
{
	if (c->nknown == 0)
		return 0;
	const char *path = c->known[0];
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		mkdir(dir, 0700);
	}
	free(dir);
	char *line = host_line(v, t, c->hash_known);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600), rc = 0;
	if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		rc = lc_err_set(e, LC_EHOSTKEY, "cannot add the host key to %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(line);
	if (rc == 0)
		fprintf(stderr, "Warning: Permanently added '%s' (%s) to the list of known hosts.\n", v->name, t->label);
	return rc;
}

static void changed_banner(const verdict *v, const struct keytype *t, const char *fp, const ssh_cfg *c)
{
	fprintf(stderr,
		"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
		"@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
		"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
		"IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
		"Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n"
		"It is also possible that a host key has just been changed.\n"
		"The fingerprint for the %s key sent by the remote host is\n%s.\n"
		"Please contact your system administrator.\n"
		"Add correct host key in %s to get rid of this message.\n"
		"Offending %s key in %s:%d\n",
		t->label, fp, c->nknown ? c->known[0] : v->file, t->label, v->file, v->line);
}

/* On a terminal: OpenSSH's question. Returns 1 for yes (or the fingerprint). */
static int ask(const verdict *v, const struct keytype *t, const char *fp)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	char ans[128] = "";
	if (fd < 0)
		return -1;
	dprintf(fd, "The authenticity of host '%s (%s)' can't be established.\n%s key fingerprint is %s.\n"
		    "This key is not known by any other names.\n"
		    "Are you sure you want to continue connecting (yes/no/[fingerprint])? ", v->name, v->name, t->label, fp);
	for (;;) {
		ssize_t n = read(fd, ans, sizeof ans - 1);
		ans[n > 0 ? n : 0] = 0;
		ans[strcspn(ans, "\r\n")] = 0;
		if (!strcmp(ans, "yes") || !strcmp(ans, fp) || !strcmp(ans, "no") || n <= 0)
			break;
		dprintf(fd, "Please type 'yes', 'no' or the fingerprint: ");
	}
	close(fd);
	return !strcmp(ans, "yes") || !strcmp(ans, fp);
}

static int refuse(lc_err *e, const char *why)
{
	fprintf(stderr, "%s\nHost key verification failed.\n", why);
	return lc_err_set(e, LC_EHOSTKEY, "host key verification failed");
}

/* An unknown host: apply StrictHostKeyChecking. */
static int unknown_host(const ssh_cfg *c, const verdict *v, const struct keytype *t, const char *fp, lc_err *e)
{
	char why[512];
	int yes = c->strict == STRICT_ACCEPT_NEW || c->strict == STRICT_NO;
	if (c->strict == STRICT_ASK && !c->batch && isatty(0)) {
		int r = ask(v, t, fp);
		if (r == 0)
			return refuse(e, "Host key not accepted.");
		yes = r == 1;
	}
	if (!yes) {
		snprintf(why, sizeof why, "No %s host key is known for %s and you have requested strict checking.",
			 t->label, v->name);
		return refuse(e, why);
	}
	return add_host(c, v, t, e);
}

int kh_verify(LIBSSH2_SESSION *s, const ssh_cfg *c, lc_err *e)
{
	size_t len;
	int type;
	char fp[96], why[512];
	const char *key = libssh2_session_hostkey(s, &len, &type);
	const struct keytype *t = by_hostkey(type);
	if (!key || !t)
		return lc_err_set(e, LC_EHOSTKEY, "the server sent no usable host key");
	char *name = lookup_name(c);
	verdict v = { .name = name, .key = key, .len = len, .mask = t->mask };
	int rc = 0;
	kh_fingerprint(s, fp, sizeof fp);
	verdict rv = v;
	each_line_of(s, c, judge, &rv, 1);
	if (rv.status == KH_MATCH) {
		fprintf(stderr, "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
				"@       WARNING: REVOKED HOST KEY DETECTED!               @\n"
				"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
				"The %s host key for %s is marked as revoked.\n"
				"This could mean that a stolen key is being used to impersonate this host.\n", t->label, name);
		free(name);
		return refuse(e, "Host key verification failed because the key is revoked.") ;
	}
	each_line(s, c, judge, &v);
	if (v.status == KH_NOTFOUND && c->port != 22) {
		verdict plain = v;
		plain.name = c->hostname;
		each_line(s, c, judge_plain, &plain);
		if (plain.plain_match)
			v.status = KH_MATCH;
	}
	if (v.status == KH_CHANGED) {
		changed_banner(&v, t, fp, c);
		snprintf(why, sizeof why, c->strict == STRICT_NO
			 ? "Host key for %s has changed, and litecon never connects to a host whose key changed."
			 : "Host key for %s has changed and you have requested strict checking.", name);
		rc = refuse(e, why);
	} else if (v.status == KH_NOTFOUND) {
		rc = unknown_host(c, &v, t, fp, e);
	}
	free(name);
	return rc;
}
