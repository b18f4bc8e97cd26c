/*
 * openers.c: which processes have a database, its -wal or its -shm open,
 * from /proc/PID/fd, with their command, user and container (a 64-hex id in
 * /proc/PID/cgroup). Two containers on one WAL is how overlapping deploys
 * lose rows, so check warns about it. Processes whose fds we may not read
 * are counted and reported in the section's note, never an error.
 */
#define _GNU_SOURCE
#include "probe.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const cols[] = { "schema", "file", "pid", "command", "user", "container" };
static const char *const suffix[] = { "", "-wal", "-shm" };
static const char *const kind[] = { "db", "wal", "shm" };

/* A 64-hex-digit container id in the process's cgroup path, into id. */
static void container_of(int pid, char *id, size_t n)
{
	char path[64], line[512];
	snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
	id[0] = 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	while (!id[0] && fgets(line, sizeof line, f)) {
		for (char *p = line; *p;) {
			size_t k = strspn(p, "0123456789abcdef");
			if (k == 64) {
				snprintf(id, n, "%.12s", p);
				break;
			}
			p += k ? k : 1;
		}
	}
	fclose(f);
}

/* User name for uid from /etc/passwd (no NSS: the agent is static). */
static void user_of(unsigned uid, char *out, size_t n)
{
	char line[512];
	FILE *f = fopen("/etc/passwd", "re");
	snprintf(out, n, "%u", uid);
	while (f && fgets(line, sizeof line, f)) {
		char *name = strtok(line, ":"), *pw = strtok(NULL, ":"), *u = strtok(NULL, ":");
		if (name && pw && u && (unsigned)strtoul(u, NULL, 10) == uid) {
			snprintf(out, n, "%s", name);
			break;
		}
	}
	if (f)
		fclose(f);
}

static void comm_of(int pid, char *out, size_t n)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	FILE *f = fopen(path, "re");
	out[0] = 0;
	if (f && fgets(out, (int)n, f))
		out[strcspn(out, "\n")] = 0;
	if (f)
		fclose(f);
}

typedef struct target_files {
	char **paths;     /* ndb * 3: db, -wal, -shm */
	int ndb;
} target_files;

static void add_opener(engine *en, isect *s, const target_files *tf, int pid, int which)
{
	char comm[64], user[64], cont[16], path[64];
	struct stat st;
	int db = which / 3;
	snprintf(path, sizeof path, "/proc/%d", pid);
	comm_of(pid, comm, sizeof comm);
	user_of(stat(path, &st) == 0 ? st.st_uid : 0, user, sizeof user);
	container_of(pid, cont, sizeof cont);
	lc_value v[] = {
		{ .type = LC_TEXT, .p = engine_db_at(en, db)->schema, .n = strlen(engine_db_at(en, db)->schema) },
		{ .type = LC_TEXT, .p = kind[which % 3], .n = strlen(kind[which % 3]) },
		{ .type = LC_INT, .i = pid },
		{ .type = LC_TEXT, .p = comm, .n = strlen(comm) },
		{ .type = LC_TEXT, .p = user, .n = strlen(user) },
		cont[0] ? (lc_value){ .type = LC_TEXT, .p = cont, .n = strlen(cont) } : (lc_value){ .type = LC_NULL },
	};
	(void)tf;
	isect_row(s, v);
}

/* Scan one process's fds; returns -1 when we may not look. */
static int scan_pid(engine *en, isect *s, const target_files *tf, int pid)
{
	char dir[64], link[128], to[4096];
	unsigned char seen[64 * 3] = { 0 };
	snprintf(dir, sizeof dir, "/proc/%d/fd", pid);
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return errno == ENOENT ? 0 : -1;  /* gone meanwhile: not hidden from us */
	while ((de = readdir(d)) != NULL) {
		snprintf(link, sizeof link, "%s/%.20s", dir, de->d_name);
		ssize_t n = readlink(link, to, sizeof to - 1);
		if (n <= 0)
			continue;
		to[n] = 0;
		for (int i = 0; i < tf->ndb * 3 && i < (int)sizeof seen; i++)
			if (!seen[i] && strcmp(to, tf->paths[i]) == 0) {
				seen[i] = 1;
				add_opener(en, s, tf, pid, i);
			}
	}
	closedir(d);
	return 0;
}

void probe_openers(engine *en, inspect_report *r)
{
	isect *s = inspect_add(r, "openers", 6, cols);
	target_files tf = { xcalloc((size_t)engine_ndb(en) * 3, sizeof(char *)), engine_ndb(en) };
	int hidden = 0, self = (int)getpid();
	for (int i = 0; i < tf.ndb * 3; i++)
		tf.paths[i] = xasprintf("%s%s", engine_db_at(en, i / 3)->path, suffix[i % 3]);
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		int pid = atoi(de->d_name);
		if (pid <= 0 || pid == self)
			continue;
		if (scan_pid(en, s, &tf, pid) < 0)
			hidden++;
	}
	if (!d)
		isect_absent(s, "/proc is not readable here");
	else
		closedir(d);
	if (hidden)
		isect_note(s, "cannot see the open files of %d process%s of other users; run litecon as root to see them all",
			   hidden, hidden == 1 ? "" : "es");
	for (int i = 0; i < tf.ndb * 3; i++)
		free(tf.paths[i]);
	free(tf.paths);
}
