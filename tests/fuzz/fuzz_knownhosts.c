/*
 * fuzz_knownhosts.c: libFuzzer target for the known_hosts reader
 * (src/ssh/knownhosts.c: the line splitting, markers and comments around
 * libssh2_knownhost_readline, and the checks typed by key type). The
 * input is a known_hosts file; it is written to a memfd and read through
 * /proc/self/fd, as kh_prefs() reads the user's file before a handshake,
 * for port 22 and for port 2222 ("[host]:2222" entries). Oracle besides
 * ASan/UBSan and leaks: the preference list names only known algorithms.
 */
#define _GNU_SOURCE
#include "knownhosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static LIBSSH2_SESSION *session;
static int fd = -1;
static char path[64];

static void setup(void)
{
	if (libssh2_init(0) != 0 || !(session = libssh2_session_init()))
		abort();
	fd = memfd_create("known_hosts", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
}

static void check_prefs(const char *p)
{
	static const char *const algs[] = { "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
					    "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss" };
	char *copy = xstrdup(p), *save = NULL;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < sizeof algs / sizeof *algs && strcmp(w, algs[i]) != 0)
			i++;
		if (i == sizeof algs / sizeof *algs)
			abort();
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!session)
		setup();
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	static const int ports[] = { 22, 2222 };
	for (size_t i = 0; i < sizeof ports / sizeof *ports; i++) {
		static char host[] = "shop.example.com";
		ssh_cfg c = { .hostname = host, .port = ports[i], .nknown = 1 };
		c.known[0] = path;
		char *p = kh_prefs(session, &c);
		if (p)
			check_prefs(p);
		free(p);
	}
	return 0;
}
