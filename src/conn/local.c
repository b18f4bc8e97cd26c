/*
 * local.c: the local conn implementation, the engine in this process. The
 * embedded default: no SSH, no helper; also what the agent runs on the host.
 */
#include "conn.h"
#include "engine.h"
#include "probe.h"
#include "snapshot.h"
#include "util.h"

#include <stdlib.h>

typedef struct local {
	conn base;     /* must be first */
	engine *en;    /* owned */
} local;

static int l_exec(conn *c, const char *sql, const lc_sink *sink, void *ctx, lc_err *e)
{
	return engine_exec(((local *)c)->en, sql, sink, ctx, e);
}

static void l_set_timeout(conn *c, int ms)
{
	engine_set_timeout(((local *)c)->en, ms);
}

static int l_ndb(conn *c)
{
	return engine_ndb(((local *)c)->en);
}

static int l_db(conn *c, int i, const char **schema, const char **path)
{
	const engine_db *d = engine_db_at(((local *)c)->en, i);
	if (!d)
		return -1;
	*schema = d->schema;
	*path = d->path;
	return 0;
}

static int l_inspect(conn *c, const inspect_opts *o, inspect_report **out, lc_err *e)
{
	return probe_run(((local *)c)->en, o, out, e);
}

static int l_backup(conn *c, const backup_req *r, const snap_sink *sink, void *ctx, snap_result *res, char sha[65],
		    lc_err *e)
{
	engine *en = ((local *)c)->en;
	if (r->host_dest)
		return lc_err_set(e, LC_EUSAGE, "a host:/path destination needs a remote target; give a local path");
	(void)sha;
	return snapshot_run(en, r->schema, r->known, r->nknown, r->known_page_size, r->max_rate, sink, ctx, res, e);
}

static void l_free(conn *c)
{
	engine_free(((local *)c)->en);
	free(c);
}

static const conn_ops local_ops = { "local", l_exec, l_set_timeout, l_ndb, l_db, l_inspect, l_backup, NULL, l_free };

int conn_local_open(const char *path, const conn_opts *o, conn **out, lc_err *e)
{
	engine_opts eo = { o ? o->timeout_ms : 0 };
	engine *en;
	if (engine_open(path, &eo, &en, e) < 0)
		return -1;
	local *l = xcalloc(1, sizeof *l);
	l->base.ops = &local_ops;
	l->en = en;
	*out = &l->base;
	return 0;
}
