/*
 * backup.c: `litecon backup TARGET DEST` (also the shell's .backup and the
 * TUI's backup action). For each database of the target: read the page
 * hashes of the backup already at DEST (incremental), take a pinned
 * snapshot through conn_backup, write DEST.partial, verify and rename; a
 * store directory also gets manifest.json. Or, for host:/path, the helper
 * writes and verifies the backup on the host itself.
 */
#define _GNU_SOURCE
#include "backup.h"
#include "bfile.h"
#include "target.h"
#include "textesc.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct job {
	const backup_opts *o;
	bfile *f;
	lc_err *e;
	const char *schema;
	uint32_t page_size, done, total;
	long long t0, drawn;
	int bar;                 /* draw a progress bar */
} job;

static int j_begin(void *ctx, uint32_t page_size, uint32_t pages)
{
	job *j = ctx;
	j->page_size = page_size;
	j->total = pages;
	return j->f ? bfile_begin(j->f, page_size, pages, j->e) : 0;
}

static int j_page(void *ctx, uint32_t pgno, const uint8_t *data)
{
	job *j = ctx;
	return bfile_page(j->f, pgno, data, j->e);
}

static void draw(job *j, int last)
{
	double s = (now_ms() - j->t0) / 1000.0, mb = (double)j->done * j->page_size / 1e6;
	double rate = s > 0 ? mb / s : 0, eta = rate > 0 ? ((double)j->total * j->page_size / 1e6 - mb) / rate : 0;
	int width = 30, fill = j->total ? (int)((double)j->done / j->total * width) : width;
	fprintf(stderr, "\r  %-8.8s [%.*s%*s] %u/%u pages  %.1f MB/s  ETA %d:%02d%s", j->schema, fill,
		"==============================", width - fill, "", j->done, j->total, rate, (int)eta / 60, (int)eta % 60,
		last ? "\n" : "");
	fflush(stderr);
}

static void j_progress(void *ctx, uint32_t done, uint32_t total)
{
	job *j = ctx;
	j->done = done, j->total = total;
	if (j->o->progress)
		j->o->progress(j->o->ctx, j->schema, done, total);
	if (j->bar && (now_ms() - j->drawn >= 100 || done == total)) {
		j->drawn = now_ms();
		draw(j, 0);
	}
}

static const snap_sink sink = { j_begin, j_page, j_progress };

static void human(char *out, size_t n, double bytes)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB" };
	int i = 0;
	while (bytes >= 1024 && i < 3)
		bytes /= 1024, i++;
	snprintf(out, n, i ? "%.1f %s" : "%.0f %s", bytes, u[i]);
}

/* One line for the operator: stderr, or the caller's say(). */
static void say(const job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const job *j, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (j->o->say)
		j->o->say(j->o->ctx, line);
	else
		fprintf(stderr, "litecon: %s\n", line);
}

static void summary(const job *j, const snap_result *r, const char *dest, int full, int on_host)
{
	char size[32], sent[32], net[32], wire[64] = "";
	buf d = { 0 };
	human(size, sizeof size, (double)r->pages * r->page_size);
	human(sent, sizeof sent, (double)r->sent * r->page_size);
	if (r->wire) {  /* what the network carried: compressed, with the frames */
		human(net, sizeof net, (double)r->wire);
		snprintf(wire, sizeof wire, ", %s on the network", net);
	}
	esc_display(&d, dest, strlen(dest), 0);
	say(j, "backup of %s: %u pages (%s), %u %s (%s%s), %.1f s, verified (%s, SHA-256) -> %s",
		j->schema, r->pages, size, r->sent, on_host ? "written on the host" : "sent over the wire", sent, wire,
		(now_ms() - j->t0) / 1000.0, full ? "integrity_check" : "quick_check", d.p);
	if (r->pinned_ms > 10000)
		say(j, "note: the backup held a read snapshot of %s for %.1f s; checkpoints waited and "
		       "the WAL may have grown meanwhile (see litecon stats)", j->schema, r->pinned_ms / 1000.0);
	buf_free(&d);
}

/* Ctrl-C (or the dashboard's q) stops the check of a big file too. */
static int stop_tick(void *ctx)
{
	(void)ctx;
	return conn_interrupted();
}

/* One attempt: the hashes of what is at dest, a snapshot, the .partial,
 * verification, and the rename, or with hold the verified file handed
 * back for the caller to rename. *from_side: the hashes came from dest's
 * sidecar. */
static int pull_try(conn *c, job *j, const char *dest, snap_result *r, char sha[65], int *from_side, bfile **hold)
{
	uint8_t *known = NULL;
	uint32_t kps = 0, nk = 0;
	*from_side = bfile_known(dest, &kps, &known, &nk, NULL, NULL);
	backup_req q = { .schema = j->schema, .known = known, .nknown = nk, .known_page_size = kps,
			 .max_rate = j->o->max_rate * 1e6, .full = j->o->verify_full, .compress = j->o->compress };
	int rc = bfile_open(dest, nk > 0, &j->f, j->e);
	if (rc == 0)
		bfile_set_tick(j->f, stop_tick, NULL);
	if (rc == 0)
		rc = conn_backup(c, &q, &sink, j, r, NULL, j->e);
	if (j->bar && j->total)
		draw(j, 1);
	if (rc == 0 && hold)
		rc = bfile_verify(j->f, r->digest, j->o->verify_full, sha, j->e);
	else if (rc == 0)
		rc = bfile_commit(j->f, r->digest, j->o->verify_full, sha, j->e);
	else
		bfile_abort(j->f);
	if (hold)
		*hold = rc == 0 ? j->f : NULL;
	j->f = NULL;
	free(known);
	return rc;
}

/* One database to a local file. sha gets the file's SHA-256. When DEST
 * did not match its hash sidecar (the copy failed the digest; the sidecar
 * is gone now), once more from DEST's own pages. */
static int pull_one(conn *c, const char *schema, const char *dest, const backup_opts *o, snap_result *r, char sha[65],
		    bfile **hold, lc_err *e)
{
	job j = { .o = o, .e = e, .schema = schema, .t0 = now_ms(), .bar = !o->quiet && isatty(2) };
	int from_side, rc = pull_try(c, &j, dest, r, sha, &from_side, hold);
	if (rc == -2 && from_side) {
		buf d = { 0 };
		esc_display(&d, dest, strlen(dest), 0);
		say(&j, "note: %s does not match its page hashes (.litecon-hashes); reading it again", d.p);
		buf_free(&d);
		*e = (lc_err){ 0 };
		rc = pull_try(c, &j, dest, r, sha, &from_side, hold);
	}
	if (rc == 0)
		summary(&j, r, dest, o->verify_full, 0);
	return rc < 0 ? -1 : 0;
}

static void json_str(buf *b, const char *s)
{
	buf_addc(b, '"');
	esc_json(b, s, strlen(s));
	buf_addc(b, '"');
}

/* manifest.json of a store backup: each file's name, schema, snapshot time,
 * page size and count, size and SHA-256. */
static void manifest_json(buf *b, char **names, char **schemas, const snap_result *rs, char (*shas)[65], int n)
{
	buf_addf(b, "{\"litecon\":\"%s\",\"files\":[", LC_VERSION);
	for (int i = 0; i < n; i++) {
		char when[32];
		time_t t = (time_t)rs[i].taken_at;
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		buf_addf(b, "%s\n {\"name\":", i ? "," : "");
		json_str(b, names[i]);
		buf_adds(b, ",\"schema\":");
		json_str(b, schemas[i]);
		buf_addf(b, ",\"snapshot_at\":\"%s\",\"page_size\":%u,\"page_count\":%u,\"size\":%llu,\"sha256\":\"%s\"}",
			 when, rs[i].page_size, rs[i].pages, (unsigned long long)rs[i].pages * rs[i].page_size, shas[i]);
	}
	buf_adds(b, "\n]}\n");
}

static char *base_of(const char *path)
{
	char *d = xstrdup(path), *b = xstrdup(basename(d));
	free(d);
	return b;
}

/* Where database i goes: DEST itself for one database (or DEST/name when
 * DEST is a directory); DEST/name for a store. */
static char *dest_for(const char *dest, const char *path, int store)
{
	struct stat st;
	char *name = base_of(path), *out;
	if (store || (stat(dest, &st) == 0 && S_ISDIR(st.st_mode)))
		out = xasprintf("%s/%s", dest, name);
	else
		out = xstrdup(dest);
	free(name);
	return out;
}

/* host:/path DEST: the path on the target's host, or NULL for a local
 * DEST. *other is set when DEST names another host than the one c reached
 * (for a [target] of the config, its name also names that host), or c is
 * a local target. */
static char *host_path(const char *dest, const conn *c, int *other)
{
	target t;
	lc_err e;
	char *p = NULL;
	*other = 0;
	if (target_parse(dest, &t, &e) == 0 && t.kind == TARGET_SSH) {
		p = xstrdup(t.path);
		*other = !c->host || (strcmp(t.host, c->host) != 0 &&
				      !(c->target[0] == '@' && c->label && strcmp(t.host, c->label) == 0));
	}
	target_clear(&t);
	return p;
}

/* A store's set: each database's file name, schema, result and SHA-256,
 * for manifest.json. */
typedef struct bset {
	int n;
	char **names, **schemas;
	snap_result *rs;
	char (*shas)[65];
} bset;

static void bset_init(bset *s, int n)
{
	s->n = n;
	s->names = xcalloc((size_t)n, sizeof *s->names), s->schemas = xcalloc((size_t)n, sizeof *s->schemas);
	s->rs = xcalloc((size_t)n, sizeof *s->rs);
	s->shas = xcalloc((size_t)n, sizeof *s->shas);
}

static void bset_free(bset *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->names[i]), free(s->schemas[i]);
	free(s->names), free(s->schemas), free(s->rs), free(s->shas);
}

static int kept_on_host(conn *c, const char *hpath, const backup_opts *o, lc_err *e)
{
	int n = conn_ndb(c), rc = 0;
	bset set;  /* backup_run let only a remote target's own host through */
	bset_init(&set, n);
	for (int i = 0; i < n && rc == 0; i++) {
		const char *schema, *path;
		conn_db(c, i, &schema, &path);
		char *name = base_of(path), *dest = n > 1 ? xasprintf("%s/%s", hpath, name) : xstrdup(hpath);
		job j = { .o = o, .e = e, .schema = schema, .t0 = now_ms() };
		backup_req q = { .schema = schema, .max_rate = o->max_rate * 1e6, .host_dest = dest, .full = o->verify_full,
				 .store = n > 1 };
		set.names[i] = name, set.schemas[i] = xstrdup(schema);
		rc = conn_backup(c, &q, NULL, NULL, &set.rs[i], set.shas[i], e);
		if (rc == 0) {
			char *where = xasprintf("%s (on the host, sha256 %.16s...)", dest, set.shas[i]);
			summary(&j, &set.rs[i], where, o->verify_full, 1);
			free(where);
		}
		free(dest);
	}
	if (n > 1) {  /* all verified: renamed together, then the manifest; else none */
		buf m = { 0 };
		lc_err ignored = { 0 };
		char *mpath = xasprintf("%s/manifest.json", hpath);
		if (rc == 0)
			manifest_json(&m, set.names, set.schemas, set.rs, set.shas, n);
		rc = rc == 0 ? conn_keep(c, 1, mpath, m.p, m.len, e) : (conn_keep(c, 0, "", NULL, 0, &ignored), -1);
		buf_free(&m), free(mpath);
	}
	bset_free(&set);
	return rc;
}

static int make_dir(const char *dir, lc_err *e)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : lc_err_set(e, LC_EUSAGE, "%s is a file; a store backs up into a directory", dir);
	if (mkdir(dir, 0700) < 0)
		return lc_err_set(e, LC_EVERIFY, "cannot create %s: %s", dir, strerror(errno));
	return 0;
}

/* --compress's words, by backup_opts.compress. */
static const char *const zname[] = { [Z_AUTO] = "auto", [Z_ALWAYS] = "always", [Z_NEVER] = "never" };

int backup_opts_from(const char *verify, const char *compress, double max_rate, backup_opts *bo, lc_err *e)
{
	int z = compress ? -1 : Z_AUTO;
	for (int i = 0; compress && i < (int)(sizeof zname / sizeof *zname); i++)
		if (!strcmp(compress, zname[i]))
			z = i;
	if (verify && strcmp(verify, "quick") && strcmp(verify, "full"))
		return lc_err_set(e, LC_EUSAGE, "--verify takes one of quick|full, not \"%s\"", verify);
	if (z < 0)
		return lc_err_set(e, LC_EUSAGE, "--compress takes one of auto|always|never, not \"%s\"", compress);
	bo->verify_full = verify && !strcmp(verify, "full");
	bo->compress = z;
	bo->max_rate = max_rate;
	return 0;
}

/* .backup's words as they are read: the named modes are checked once,
 * at the end, by backup_opts_from. */
typedef struct bwords {
	const char *verify, *compress;
	backup_opts *bo;
} bwords;

static int w_verify(bwords *w, const char *v, lc_err *e)
{
	(void)e;
	w->verify = v;
	return 0;
}

static int w_compress(bwords *w, const char *v, lc_err *e)
{
	(void)e;
	w->compress = v;
	return 0;
}

static int w_max_rate(bwords *w, const char *v, lc_err *e)
{
	char *end;
	double r = strtod(v, &end);
	if (*end || end == v || !(r >= 0 && r <= 86400.0 * 365))  /* NaN fails too */
		return lc_err_set(e, LC_EUSAGE, "--max-rate needs a number of MB per second, not \"%s\"", v);
	w->bo->max_rate = r;
	return 0;
}

static int w_quiet(bwords *w, const char *v, lc_err *e)
{
	(void)v, (void)e;
	w->bo->quiet = 1;
	return 0;
}

static const struct bflag {
	const char *name;
	int takes;  /* a value: --name V or --name=V */
	int (*set)(bwords *w, const char *v, lc_err *e);
} bflags[] = {
	{ "verify", 1, w_verify },
	{ "compress", 1, w_compress },
	{ "max-rate", 1, w_max_rate },
	{ "quiet", 0, w_quiet },
};

int backup_args(int argc, char **argv, backup_opts *bo, const char **dest, lc_err *e)
{
	int z = bo->compress == Z_ALWAYS || bo->compress == Z_NEVER ? bo->compress : Z_AUTO;
	bwords w = { bo->verify_full ? "full" : "quick", zname[z], bo };
	*dest = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		if (strncmp(a, "--", 2) != 0 || !a[2]) {
			if (*dest)
				return lc_err_set(e, LC_EUSAGE, "backup takes one DEST, not \"%s\" and \"%s\" (quote a path with spaces)",
						    *dest, a);
			*dest = a;
			continue;
		}
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		const struct bflag *f = NULL;
		for (size_t k = 0; k < sizeof bflags / sizeof *bflags; k++)
			if (strlen(bflags[k].name) == len && !strncmp(a + 2, bflags[k].name, len))
				f = &bflags[k];
		if (!f)
			return lc_err_set(e, LC_EUSAGE, "unknown option %s; .backup takes --verify, --compress, --max-rate, --quiet", a);
		const char *v = eq ? eq + 1 : f->takes && i + 1 < argc ? argv[++i] : NULL;
		if (f->takes != (v != NULL))
			return lc_err_set(e, LC_EUSAGE, f->takes ? "--%s needs a value" : "--%s takes no value", f->name);
		if (f->set(&w, v, e) < 0)
			return -1;
	}
	return backup_opts_from(w.verify, w.compress, bo->max_rate, bo, e);
}

int backup_run(conn *c, const char *dest, const backup_opts *o, lc_err *e)
{
	int n = conn_ndb(c), rc = 0, other;
	char *hpath = host_path(dest, c, &other);
	if (hpath && other) {
		free(hpath);
		return lc_err_set(e, LC_EUSAGE, c->host ? "a host:/path DEST is written by the helper on the target's own host; "
							 "name that host, or give a local path"
						       : "a host:/path DEST is for remote targets; give a local path");
	}
	if (hpath) {
		rc = kept_on_host(c, hpath, o, e);
		free(hpath);
		return rc;
	}
	int nl, clash = 0;
	const char **dbs = conn_local_dbs(c, &nl);
	for (int i = 0; i < n && !clash; i++) {  /* all of them before anything is written */
		const char *schema, *path;
		conn_db(c, i, &schema, &path);
		char *to = dest_for(dest, path, n > 1);
		clash = bfile_check(to, dbs, nl, e) < 0;
		free(to);
	}
	free(dbs);
	if (clash)
		return -1;
	if (n > 1 && make_dir(dest, e) < 0)
		return -1;
	bset set;
	bset_init(&set, n);
	bfile **held = xcalloc((size_t)n, sizeof *held);  /* a store's files: verified, renamed together */
	for (int i = 0; i < n && rc == 0; i++) {
		const char *schema, *path;
		conn_db(c, i, &schema, &path);
		char *to = dest_for(dest, path, n > 1);
		set.names[i] = base_of(to);
		set.schemas[i] = xstrdup(schema);
		rc = pull_one(c, schema, to, o, &set.rs[i], n > 1 ? set.shas[i] : NULL, n > 1 ? &held[i] : NULL, e);
		free(to);
	}
	for (int i = 0; i < n; i++)  /* all verified: into place; else none */
		if (held[i] && (rc < 0 ? (bfile_abort(held[i]), 0) : bfile_finish(held[i], e)) < 0)
			rc = -1;
	if (rc == 0 && n > 1) {
		buf m = { 0 };
		char *path = xasprintf("%s/manifest.json", dest);
		manifest_json(&m, set.names, set.schemas, set.rs, set.shas, n);
		rc = bfile_put(path, m.p, m.len, e);
		buf_free(&m), free(path);
	}
	bset_free(&set);
	free(held);
	return rc;
}
