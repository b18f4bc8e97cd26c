/*
 * keepfd.c: the process's never-closed descriptors for files SQLite may
 * lock (keepfd.h). A short list keyed by path and flags; a path whose
 * inode changed gets a new entry in front (the old descriptor is kept:
 * closing it could still drop a lock on the old file).
 */
#define _GNU_SOURCE
#include "keepfd.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct kept {
	struct kept *next;
	char *path;   /* owned */
	int flags, fd;
} kept;

static kept *list;  /* owned, for the life of the process */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* fd still is the file at path. */
static int same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int keepfd(const char *path, int flags)
{
	pthread_mutex_lock(&mu);
	kept *k = list;
	while (k && (k->flags != flags || strcmp(k->path, path) != 0))
		k = k->next;
	int fd = k && same_file(k->fd, path) ? k->fd : -1;
	if (fd < 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC | flags);
		if (fd >= 0) {
			k = xcalloc(1, sizeof *k);
			*k = (kept){ list, xstrdup(path), flags, fd };
			list = k;
		}
	}
	int saved = errno;
	pthread_mutex_unlock(&mu);
	errno = saved;
	return fd;
}
