/* schema.c (litecon-load): the store's DDL, written the way Rails 8's SQLite adapter emits it
 * (`"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL`, varchar, datetime(6), inline fk_rails_<sha256[0,10]>
 * constraints). The Solid Queue part follows rails/solid_queue
 * lib/generators/solid_queue/install/templates/db/queue_schema.rb (schema version 2024_09_04_193154, the one
 * without batches); Solid Cache and Solid Cable follow their install templates. Tables are created first and
 * indexes after init's bulk load, which is much faster than keeping indexes up to date row by row. */
#include "load_schema.h"

#include <stddef.h>

#define RAILS_META \
	"CREATE TABLE \"schema_migrations\" (\"version\" varchar NOT NULL PRIMARY KEY);", \
	"CREATE TABLE \"ar_internal_metadata\" (\"key\" varchar NOT NULL PRIMARY KEY, \"value\" varchar, " \
	"\"created_at\" datetime(6) NOT NULL, \"updated_at\" datetime(6) NOT NULL);"

#define PK "\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "
#define TS "\"created_at\" datetime(6) NOT NULL, \"updated_at\" datetime(6) NOT NULL"
#define FK(name, col, table, tail) \
	", CONSTRAINT \"" name "\"\nFOREIGN KEY (\"" col "\")\n  REFERENCES \"" table "\" (\"id\")\n" tail
#define FK_JOB(name) FK(name, "job_id", "solid_queue_jobs", " ON DELETE CASCADE")

static const char *const main_tables[] = {
	RAILS_META,
	"CREATE TABLE \"users\" (" PK "\"email\" varchar NOT NULL, \"name\" varchar, " TS ");",
	"CREATE TABLE \"products\" (" PK "\"sku\" varchar NOT NULL, \"name\" varchar NOT NULL, "
	"\"price\" decimal(10,2) NOT NULL, \"stock\" integer DEFAULT 0 NOT NULL, " TS ");",
	"CREATE TABLE \"orders\" (" PK "\"user_id\" integer NOT NULL, \"status\" varchar DEFAULT 'pending' NOT NULL, "
	"\"total\" decimal(10,2) NOT NULL, \"currency\" varchar DEFAULT 'EUR' NOT NULL, " TS
	FK("fk_rails_f868b47f6a", "user_id", "users", "") ");",
	"CREATE TABLE \"order_items\" (" PK "\"order_id\" integer NOT NULL, \"product_id\" integer NOT NULL, "
	"\"quantity\" integer NOT NULL, \"unit_price\" decimal(10,2) NOT NULL, " TS
	FK("fk_rails_e3cb28f071", "order_id", "orders", "")
	FK("fk_rails_f1a29ddd47", "product_id", "products", "") ");",
	NULL
};

static const char *const main_indexes[] = {
	"CREATE UNIQUE INDEX \"index_users_on_email\" ON \"users\" (\"email\");",
	"CREATE UNIQUE INDEX \"index_products_on_sku\" ON \"products\" (\"sku\");",
	"CREATE INDEX \"index_orders_on_user_id\" ON \"orders\" (\"user_id\");",
	"CREATE INDEX \"index_orders_on_created_at\" ON \"orders\" (\"created_at\");",
	"CREATE INDEX \"index_orders_on_status\" ON \"orders\" (\"status\");",
	"CREATE INDEX \"index_order_items_on_order_id\" ON \"order_items\" (\"order_id\");",
	"CREATE INDEX \"index_order_items_on_product_id\" ON \"order_items\" (\"product_id\");",
	NULL
};

static const char *const queue_tables[] = {
	RAILS_META,
	"CREATE TABLE \"solid_queue_jobs\" (" PK "\"queue_name\" varchar NOT NULL, \"class_name\" varchar NOT NULL, "
	"\"arguments\" text, \"priority\" integer DEFAULT 0 NOT NULL, \"active_job_id\" varchar, "
	"\"scheduled_at\" datetime(6), \"finished_at\" datetime(6), \"concurrency_key\" varchar, " TS ");",
	"CREATE TABLE \"solid_queue_pauses\" (" PK "\"queue_name\" varchar NOT NULL, "
	"\"created_at\" datetime(6) NOT NULL);",
	"CREATE TABLE \"solid_queue_processes\" (" PK "\"kind\" varchar NOT NULL, "
	"\"last_heartbeat_at\" datetime(6) NOT NULL, \"supervisor_id\" bigint, \"pid\" integer NOT NULL, "
	"\"hostname\" varchar, \"metadata\" text, \"created_at\" datetime(6) NOT NULL, \"name\" varchar NOT NULL);",
	"CREATE TABLE \"solid_queue_recurring_tasks\" (" PK "\"key\" varchar NOT NULL, \"schedule\" varchar NOT NULL, "
	"\"command\" varchar(2048), \"class_name\" varchar, \"arguments\" text, \"queue_name\" varchar, "
	"\"priority\" integer DEFAULT 0, \"static\" boolean DEFAULT TRUE NOT NULL, \"description\" text, " TS ");",
	"CREATE TABLE \"solid_queue_semaphores\" (" PK "\"key\" varchar NOT NULL, \"value\" integer DEFAULT 1 NOT NULL, "
	"\"expires_at\" datetime(6) NOT NULL, " TS ");",
	"CREATE TABLE \"solid_queue_blocked_executions\" (" PK "\"job_id\" bigint NOT NULL, "
	"\"queue_name\" varchar NOT NULL, \"priority\" integer DEFAULT 0 NOT NULL, \"concurrency_key\" varchar NOT NULL, "
	"\"expires_at\" datetime(6) NOT NULL, \"created_at\" datetime(6) NOT NULL" FK_JOB("fk_rails_4cd34e2228") ");",
	"CREATE TABLE \"solid_queue_claimed_executions\" (" PK "\"job_id\" bigint NOT NULL, \"process_id\" bigint, "
	"\"created_at\" datetime(6) NOT NULL" FK_JOB("fk_rails_9cfe4d4944") ");",
	"CREATE TABLE \"solid_queue_failed_executions\" (" PK "\"job_id\" bigint NOT NULL, \"error\" text, "
	"\"created_at\" datetime(6) NOT NULL" FK_JOB("fk_rails_39bbc7a631") ");",
	"CREATE TABLE \"solid_queue_ready_executions\" (" PK "\"job_id\" bigint NOT NULL, "
	"\"queue_name\" varchar NOT NULL, \"priority\" integer DEFAULT 0 NOT NULL, "
	"\"created_at\" datetime(6) NOT NULL" FK_JOB("fk_rails_81fcbd66af") ");",
	"CREATE TABLE \"solid_queue_recurring_executions\" (" PK "\"job_id\" bigint NOT NULL, "
	"\"task_key\" varchar NOT NULL, \"run_at\" datetime(6) NOT NULL, "
	"\"created_at\" datetime(6) NOT NULL" FK_JOB("fk_rails_318a5533ed") ");",
	"CREATE TABLE \"solid_queue_scheduled_executions\" (" PK "\"job_id\" bigint NOT NULL, "
	"\"queue_name\" varchar NOT NULL, \"priority\" integer DEFAULT 0 NOT NULL, "
	"\"scheduled_at\" datetime(6) NOT NULL, \"created_at\" datetime(6) NOT NULL" FK_JOB("fk_rails_c4316f352d") ");",
	NULL
};

#define IX(name, table, cols) "CREATE INDEX \"" name "\" ON \"" table "\" (" cols ");"
#define UX(name, table, cols) "CREATE UNIQUE INDEX \"" name "\" ON \"" table "\" (" cols ");"
#define SQ "solid_queue_"

static const char *const queue_indexes[] = {
	IX("index_solid_queue_jobs_on_active_job_id", SQ "jobs", "\"active_job_id\""),
	IX("index_solid_queue_jobs_on_class_name", SQ "jobs", "\"class_name\""),
	IX("index_solid_queue_jobs_on_finished_at", SQ "jobs", "\"finished_at\""),
	IX("index_solid_queue_jobs_for_filtering", SQ "jobs", "\"queue_name\", \"finished_at\""),
	IX("index_solid_queue_jobs_for_alerting", SQ "jobs", "\"scheduled_at\", \"finished_at\""),
	UX("index_solid_queue_pauses_on_queue_name", SQ "pauses", "\"queue_name\""),
	IX("index_solid_queue_processes_on_last_heartbeat_at", SQ "processes", "\"last_heartbeat_at\""),
	UX("index_solid_queue_processes_on_name_and_supervisor_id", SQ "processes", "\"name\", \"supervisor_id\""),
	IX("index_solid_queue_processes_on_supervisor_id", SQ "processes", "\"supervisor_id\""),
	UX("index_solid_queue_recurring_tasks_on_key", SQ "recurring_tasks", "\"key\""),
	IX("index_solid_queue_recurring_tasks_on_static", SQ "recurring_tasks", "\"static\""),
	IX("index_solid_queue_semaphores_on_expires_at", SQ "semaphores", "\"expires_at\""),
	IX("index_solid_queue_semaphores_on_key_and_value", SQ "semaphores", "\"key\", \"value\""),
	UX("index_solid_queue_semaphores_on_key", SQ "semaphores", "\"key\""),
	IX("index_solid_queue_blocked_executions_for_release", SQ "blocked_executions",
	   "\"concurrency_key\", \"priority\", \"job_id\""),
	IX("index_solid_queue_blocked_executions_for_maintenance", SQ "blocked_executions",
	   "\"expires_at\", \"concurrency_key\""),
	UX("index_solid_queue_blocked_executions_on_job_id", SQ "blocked_executions", "\"job_id\""),
	UX("index_solid_queue_claimed_executions_on_job_id", SQ "claimed_executions", "\"job_id\""),
	IX("index_solid_queue_claimed_executions_on_process_id_and_job_id", SQ "claimed_executions",
	   "\"process_id\", \"job_id\""),
	UX("index_solid_queue_failed_executions_on_job_id", SQ "failed_executions", "\"job_id\""),
	UX("index_solid_queue_ready_executions_on_job_id", SQ "ready_executions", "\"job_id\""),
	IX("index_solid_queue_poll_all", SQ "ready_executions", "\"priority\", \"job_id\""),
	IX("index_solid_queue_poll_by_queue", SQ "ready_executions", "\"queue_name\", \"priority\", \"job_id\""),
	UX("index_solid_queue_recurring_executions_on_job_id", SQ "recurring_executions", "\"job_id\""),
	UX("index_solid_queue_recurring_executions_on_task_key_and_run_at", SQ "recurring_executions",
	   "\"task_key\", \"run_at\""),
	UX("index_solid_queue_scheduled_executions_on_job_id", SQ "scheduled_executions", "\"job_id\""),
	IX("index_solid_queue_dispatch_all", SQ "scheduled_executions", "\"scheduled_at\", \"priority\", \"job_id\""),
	NULL
};

static const char *const cache_tables[] = {
	RAILS_META,
	"CREATE TABLE \"solid_cache_entries\" (" PK "\"key\" blob(1024) NOT NULL, \"value\" blob(536870912) NOT NULL, "
	"\"created_at\" datetime(6) NOT NULL, \"key_hash\" integer(8) NOT NULL, \"byte_size\" integer(4) NOT NULL);",
	NULL
};

static const char *const cache_indexes[] = {
	IX("index_solid_cache_entries_on_byte_size", "solid_cache_entries", "\"byte_size\""),
	IX("index_solid_cache_entries_on_key_hash_and_byte_size", "solid_cache_entries", "\"key_hash\", \"byte_size\""),
	UX("index_solid_cache_entries_on_key_hash", "solid_cache_entries", "\"key_hash\""),
	NULL
};

static const char *const cable_tables[] = {
	RAILS_META,
	"CREATE TABLE \"solid_cable_messages\" (" PK "\"channel\" blob(1024) NOT NULL, "
	"\"payload\" blob(536870912) NOT NULL, \"created_at\" datetime(6) NOT NULL, \"channel_hash\" integer(8) NOT NULL);",
	NULL
};

static const char *const cable_indexes[] = {
	IX("index_solid_cable_messages_on_channel", "solid_cable_messages", "\"channel\""),
	IX("index_solid_cable_messages_on_channel_hash", "solid_cable_messages", "\"channel_hash\""),
	IX("index_solid_cable_messages_on_created_at", "solid_cable_messages", "\"created_at\""),
	NULL
};

static const char *const *const tables[DB_COUNT] = { main_tables, queue_tables, cache_tables, cable_tables };
static const char *const *const indexes[DB_COUNT] = { main_indexes, queue_indexes, cache_indexes, cable_indexes };

static int run_list(struct store *st, int which, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (db_exec(st, which, list[i]) != 0)
			return -1;
	return 0;
}

int schema_create_tables(struct store *st, int which)
{
	return run_list(st, which, tables[which]);
}

int schema_create_indexes(struct store *st, int which)
{
	return run_list(st, which, indexes[which]);
}
