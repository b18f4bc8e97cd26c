/*
 * store.c: turn a local target path into the list of database files litecon
 * opens, with their schema names, checking each before SQLite opens it.
 */
#define _GNU_SOURCE
#include "store.h"
#include "keepfd.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXT ".sqlite3"

static int check_file(const char *path, lc_err *e)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat st;
	if (stat(path, &st) < 0)
		return lc_err_set(e, LC_ECONNECT, "%s: %s (check the path; litecon never creates a database)",
				  path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return lc_err_set(e, LC_ECONNECT, "%s is not a regular file or a store directory", path);
	int fd = keepfd(path, O_NOCTTY);  /* not closed: another connection of ours may hold locks on it */
	if (fd < 0)
		return lc_err_set(e, LC_ECONNECT, "cannot read %s: %s; run litecon as a user who may read it",
				  path, strerror(errno));
	ssize_t got = pread(fd, head, sizeof head, 0);
	if (got == 0)
		return lc_err_set(e, LC_ECONNECT, "%s is empty, not an SQLite database", path);
	if (got != (ssize_t)sizeof head || memcmp(head, magic, sizeof magic) != 0)
		return lc_err_set(e, LC_ECONNECT, "%s is not an SQLite database (its header does not start with \"SQLite format 3\")", path);
	return 0;
}

static int has_ext(const char *name)
{
	size_t n = strlen(name), k = strlen(EXT);
	return n > k && strcmp(name + n - k, EXT) == 0;
}

/* Longest common prefix of the stems (names without EXT). */
static size_t common_stem(char **names, int n)
{
	size_t len = strlen(names[0]) - strlen(EXT);
	for (int i = 1; i < n; i++) {
		size_t k = 0, m = strlen(names[i]) - strlen(EXT);
		while (k < len && k < m && names[i][k] == names[0][k])
			k++;
		len = k;
	}
	return len;
}

char *store_short_name(const char *file, const char *stem)
{
	size_t sl = strlen(stem), fl = strlen(file) - (has_ext(file) ? strlen(EXT) : 0);
	const char *p = file;
	if (fl >= sl && strncmp(file, stem, sl) == 0) {
		p += sl;
		fl -= sl;
	}
	while (fl && (*p == '_' || *p == '-' || *p == '.')) {
		p++;
		fl--;
	}
	if (fl == 0)
		return xstrdup("main");
	char *s = xstrndup(p, fl);
	/* A file name is anyone's bytes; the schema name goes to prompts and
	 * progress lines as it is: printable ASCII only. */
	for (char *q = s; *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '_';
	if (strcmp(s, "main") == 0 || strcmp(s, "temp") == 0) {
		char *t = xasprintf("db_%s", s);
		free(s);
		return t;
	}
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *dir, char ***out, int *n, lc_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int k = 0;
	if (!d)
		return lc_err_set(e, LC_ECONNECT, "cannot list %s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!has_ext(de->d_name))
			continue;
		names = xrealloc(names, sizeof *names * (size_t)(k + 1));
		names[k++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (k == 0)
		return lc_err_set(e, LC_ECONNECT, "%s holds no *.sqlite3 files; give a database file or a store directory", dir);
	qsort(names, (size_t)k, sizeof *names, cmp_str);
	*out = names;
	*n = k;
	return 0;
}

/* Order files so the one named by the stem itself (short name "main") is
 * first; if none is, the first by name becomes main. */
static void name_files(store_file *f, int n, char **names, const char *stem)
{
	int main_at = 0;
	for (int i = 0; i < n; i++) {
		f[i].schema = store_short_name(names[i], stem);
		if (strcmp(f[i].schema, "main") == 0)
			main_at = i;
	}
	if (strcmp(f[main_at].schema, "main") != 0) {
		free(f[main_at].schema);
		f[main_at].schema = xstrdup("main");
	}
	store_file t = f[0];
	f[0] = f[main_at];
	f[main_at] = t;
}

static int scan_dir(const char *dir, store_file **files, int *n, lc_err *e)
{
	char **names = NULL;
	int k = 0, rc = -1;
	if (list_dir(dir, &names, &k, e) < 0)
		return -1;
	store_file *f = xcalloc((size_t)k, sizeof *f);
	for (int i = 0; i < k; i++)
		f[i].path = xasprintf("%s/%s", dir, names[i]);
	for (int i = 0; i < k; i++)
		if (check_file(f[i].path, e) < 0)
			goto out;
	char *stem = xstrndup(names[0], common_stem(names, k));
	name_files(f, k, names, stem);
	free(stem);
	*files = f;
	*n = k;
	f = NULL;
	rc = 0;
out:
	store_files_free(f, f ? k : 0);
	for (int i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return rc;
}

int store_scan(const char *path, store_file **files, int *n, lc_err *e)
{
	struct stat st;
	char *abs = realpath(path, NULL);
	int rc;
	*files = NULL;
	*n = 0;
	if (!abs || stat(abs, &st) < 0) {
		lc_err_set(e, LC_ECONNECT, "%s: %s (check the path; litecon never creates a database)",
			   path, strerror(errno));
		free(abs);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = scan_dir(abs, files, n, e);
	} else if ((rc = check_file(abs, e)) == 0) {
		*files = xcalloc(1, sizeof **files);
		(*files)[0] = (store_file){ xstrdup(abs), xstrdup("main") };
		*n = 1;
	}
	free(abs);
	return rc;
}

void store_files_free(store_file *files, int n)
{
	for (int i = 0; i < n; i++) {
		free(files[i].path);
		free(files[i].schema);
	}
	free(files);
}

/* a and b are the same file, or would be (same directory, same name). */
static int same_place(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	char *da = xstrdup(a), *db = xstrdup(b), *ba = xstrdup(a), *bb = xstrdup(b);
	int same = strcmp(basename(ba), basename(bb)) == 0 && stat(dirname(da), &sa) == 0 && stat(dirname(db), &sb) == 0 &&
		   sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	free(da), free(db), free(ba), free(bb);
	return same;
}

char *store_target_part(const char *path, const char *const *dbs, int n, int *whole)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof side / sizeof *side; k++) {
			char *f = xasprintf("%s%s", dbs[i], side[k]);
			if (same_place(path, f)) {
				*whole = k == 0;
				return f;
			}
			free(f);
		}
	return NULL;
}

int store_check_output(const char *path, const char *const *dbs, int n, lc_err *e)
{
	int whole;
	char *f = store_target_part(path, dbs, n, &whole);
	if (!f)
		return 0;
	lc_err_set(e, LC_EUSAGE, "%s would overwrite %s, %s litecon is reading; litecon never writes to a database it "
				 "inspects: give another path", path, f, whole ? "a database" : "part of a database");
	free(f);
	return -1;
}
