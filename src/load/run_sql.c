/* run_sql.c (litecon-load): every statement `run` prepares, in one table, indexed by enum run_stmt.
 * Values are always bound parameters. The queue statements do what Solid Queue's workers, dispatcher
 * and maintenance do: claim ready executions, finish or fail claimed ones, promote due scheduled ones,
 * beat, clear finished jobs, release blocked jobs. */
#include "load_schema.h"

#define SQ "solid_queue_"

const struct stmt_def run_stmt_defs[R_COUNT] = {
	[R_ORDER] = { DB_MAIN, "INSERT INTO orders (user_id, status, total, currency, created_at, updated_at) "
			       "VALUES (?1, ?2, ?3, 'EUR', ?4, ?4)" },
	[R_ITEM] = { DB_MAIN, "INSERT INTO order_items (order_id, product_id, quantity, unit_price, created_at, "
			      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)" },
	[R_USER] = { DB_MAIN, "INSERT INTO users (email, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)" },
	[R_ADVANCE] = { DB_MAIN, "UPDATE orders SET status = CASE status WHEN 'pending' THEN 'paid' ELSE 'shipped' END, "
				 "updated_at = ?2 WHERE id = ?1 AND status IN ('pending', 'paid')" },

	[R_JOB] = { DB_QUEUE, "INSERT INTO " SQ "jobs (queue_name, class_name, arguments, priority, active_job_id, "
			      "scheduled_at, finished_at, concurrency_key, created_at, updated_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?8)" },
	[R_READY] = { DB_QUEUE, "INSERT INTO " SQ "ready_executions (job_id, queue_name, priority, created_at) "
				"VALUES (?1, ?2, ?3, ?4)" },
	[R_SCHED] = { DB_QUEUE, "INSERT INTO " SQ "scheduled_executions (job_id, queue_name, priority, scheduled_at, "
				"created_at) VALUES (?1, ?2, ?3, ?4, ?5)" },
	[R_SEL_READY] = { DB_QUEUE, "SELECT job_id FROM " SQ "ready_executions WHERE queue_name NOT IN "
				    "(SELECT queue_name FROM " SQ "pauses) ORDER BY priority, job_id LIMIT ?1" },
	[R_DEL_READY] = { DB_QUEUE, "DELETE FROM " SQ "ready_executions WHERE job_id = ?1" },
	[R_CLAIM] = { DB_QUEUE, "INSERT INTO " SQ "claimed_executions (job_id, process_id, created_at) "
				"VALUES (?1, ?2, ?3)" },
	[R_SEL_DONE] = { DB_QUEUE, "SELECT c.job_id, j.class_name FROM " SQ "claimed_executions c JOIN " SQ "jobs j "
				   "ON j.id = c.job_id WHERE c.process_id IN (?1, ?2) AND c.created_at <= ?3 "
				   "ORDER BY c.job_id LIMIT ?4" },
	[R_DEL_CLAIM] = { DB_QUEUE, "DELETE FROM " SQ "claimed_executions WHERE job_id = ?1" },
	[R_FINISH] = { DB_QUEUE, "UPDATE " SQ "jobs SET finished_at = ?2, updated_at = ?2 WHERE id = ?1" },
	[R_FAIL] = { DB_QUEUE, "INSERT INTO " SQ "failed_executions (job_id, error, created_at) VALUES (?1, ?2, ?3)" },
	[R_PROMOTE] = { DB_QUEUE, "INSERT INTO " SQ "ready_executions (job_id, queue_name, priority, created_at) "
				  "SELECT job_id, queue_name, priority, ?1 FROM " SQ "scheduled_executions "
				  "WHERE scheduled_at <= ?1 ORDER BY scheduled_at, priority, job_id LIMIT 500" },
	[R_PROMOTED] = { DB_QUEUE, "DELETE FROM " SQ "scheduled_executions WHERE scheduled_at <= ?1 AND job_id IN "
				   "(SELECT job_id FROM " SQ "ready_executions)" },
	[R_BEAT] = { DB_QUEUE, "UPDATE " SQ "processes SET last_heartbeat_at = ?1 WHERE id = ?2" },
	[R_CLEAN] = { DB_QUEUE, "DELETE FROM " SQ "jobs WHERE id IN (SELECT id FROM " SQ "jobs "
				"WHERE finished_at < ?1 ORDER BY finished_at LIMIT 1000)" },
	[R_TRIM_FAILED] = { DB_QUEUE, "DELETE FROM " SQ "jobs WHERE id IN (SELECT job_id FROM " SQ "failed_executions "
				      "ORDER BY id DESC LIMIT -1 OFFSET 500)" },
	[R_DEPTH] = { DB_QUEUE, "SELECT count(*) FROM " SQ "ready_executions WHERE queue_name NOT IN "
				"(SELECT queue_name FROM " SQ "pauses)" },
	[R_SEL_BLOCKED] = { DB_QUEUE, "SELECT job_id, queue_name, priority, concurrency_key FROM " SQ
				      "blocked_executions ORDER BY id LIMIT 1" },
	[R_DEL_BLOCKED] = { DB_QUEUE, "DELETE FROM " SQ "blocked_executions WHERE job_id = ?1" },
	[R_BLOCK] = { DB_QUEUE, "INSERT INTO " SQ "blocked_executions (job_id, queue_name, priority, concurrency_key, "
				"expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[R_SEM] = { DB_QUEUE, "UPDATE " SQ "semaphores SET expires_at = ?2, updated_at = ?3 WHERE key = ?1" },

	[R_CACHE_PUT] = { DB_CACHE, "INSERT INTO solid_cache_entries (key, value, created_at, key_hash, byte_size) "
				    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key_hash) DO UPDATE SET key = excluded.key, "
				    "value = excluded.value, created_at = excluded.created_at, byte_size = excluded.byte_size" },
	[R_CACHE_DEL] = { DB_CACHE, "DELETE FROM solid_cache_entries WHERE key_hash = ?1" },
	[R_CACHE_TRIM] = { DB_CACHE, "DELETE FROM solid_cache_entries WHERE id IN (SELECT id FROM solid_cache_entries "
				     "ORDER BY id DESC LIMIT -1 OFFSET 5000)" },

	[R_CABLE_PUT] = { DB_CABLE, "INSERT INTO solid_cable_messages (channel, payload, created_at, channel_hash) "
				    "VALUES (?1, ?2, ?3, ?4)" },
	[R_CABLE_TRIM] = { DB_CABLE, "DELETE FROM solid_cable_messages WHERE id IN (SELECT id FROM solid_cable_messages "
				     "WHERE created_at < ?1 ORDER BY id LIMIT 1000)" },
};
