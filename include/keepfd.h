/*
 * keepfd.h: read-only descriptors for files SQLite may hold POSIX locks
 * on (a database, its -shm), opened once per process and never closed.
 * Closing any descriptor of a file drops every lock the process holds on
 * it, SQLite's included: a WAL read mark gone lets another process's
 * checkpoint overwrite pages a pinned snapshot still reads, a dead-man
 * lock gone lets it rebuild the wal-index under us. So litecon's own
 * reads of a header go through here.
 */
#ifndef KEEPFD_H
#define KEEPFD_H

/* A descriptor for path opened with O_RDONLY|O_CLOEXEC|flags, shared by
 * the whole process: read it with pread, never close it. A file replaced
 * since (another inode at path) gets a new descriptor; the old one stays
 * open. -1 with errno when path cannot be opened. Thread-safe. */
int keepfd(const char *path, int flags);

#endif
