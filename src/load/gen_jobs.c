/* gen_jobs.c (litecon-load): the background side of the demo shop: which ActiveJob classes run on which
 * Solid Queue queues, their serialized arguments as ActiveJob writes them, the error JSON of failed
 * executions ({"exception_class","message","backtrace"}), Solid Cache keys and values, and Solid Cable
 * broadcasts. Pure functions of the PRNG; no SQLite. */
#include "load_schema.h"

#include <stdio.h>
#include <string.h>

const struct job_kind job_order_kinds[] = {
	{ "ChargeJob", "default", 0, "Order" },
	{ "OrderConfirmationJob", "mailers", 0, "Order" },
	{ "WebhookDeliveryJob", "webhooks", 10, "Order" },
	{ "FraudCheckJob", "default", 5, "Order" },
	{ "ShippingLabelJob", "default", 0, "Order" },
};
const int job_order_kind_count = (int)(sizeof job_order_kinds / sizeof job_order_kinds[0]);
const struct job_kind job_followup = { "OrderFollowUpJob", "mailers", 20, "Order" };
const struct job_kind job_inventory = { "InventorySyncJob", "default", 0, "Product" };
const struct job_kind job_report = { "DailyReportJob", PAUSED_QUEUE, 0, "Report" };

void gen_job_args(char *out, size_t len, const char *class_name, const char *queue, int priority,
		  const char *active_job_id, const char *model, int64_t record_id, int64_t enqueued_us,
		  int64_t scheduled_us)
{
	char enq[TIME_LEN], sched[TIME_LEN + 2] = "null", prio[16] = "null";

	fmt_iso(enq, enqueued_us);
	if (scheduled_us) {
		sched[0] = '"';
		fmt_iso(sched + 1, scheduled_us);
		strcat(sched, "\"");
	}
	if (priority)
		snprintf(prio, sizeof prio, "%d", priority);
	snprintf(out, len,
		 "{\"job_class\":\"%s\",\"job_id\":\"%s\",\"provider_job_id\":null,\"queue_name\":\"%s\","
		 "\"priority\":%s,\"arguments\":[{\"_aj_globalid\":\"gid://shop/%s/%lld\"}],\"executions\":0,"
		 "\"exception_executions\":{},\"locale\":\"en\",\"timezone\":\"UTC\",\"enqueued_at\":\"%s\","
		 "\"scheduled_at\":%s}",
		 class_name, active_job_id, queue, prio, model, (long long)record_id, enq, sched);
}

/* What goes wrong, per job class ("" matches any class). The first matching rows are candidates. */
static const struct failure {
	const char *class_name;
	const char *exception;
	const char *message;	/* may hold one %lld: the record id */
	const char *file;
} failures[] = {
	{ "ChargeJob", "Stripe::CardError", "Your card was declined.", "app/jobs/charge_job.rb:14" },
	{ "ChargeJob", "Net::ReadTimeout", "Net::ReadTimeout with #<TCPSocket:(closed)>",
	  "app/jobs/charge_job.rb:9" },
	{ "WebhookDeliveryJob", "Faraday::ConnectionFailed",
	  "Failed to open TCP connection to hooks.example.com:443 (Connection refused - connect(2) for \"hooks.example.com\" port 443)",
	  "app/jobs/webhook_delivery_job.rb:22" },
	{ "OrderConfirmationJob", "Net::SMTPServerBusy", "421 4.7.0 Try again later, closing connection.",
	  "app/mailers/order_mailer.rb:8" },
	{ "", "ActiveRecord::RecordNotFound", "Couldn't find Order with 'id'=%lld", "app/jobs/application_job.rb:5" },
};
#define N_FAILURES ((int)(sizeof failures / sizeof failures[0]))

static const struct failure *pick_failure(struct rng *r, const char *class_name)
{
	const struct failure *cand[N_FAILURES];
	int i, n = 0;

	for (i = 0; i < N_FAILURES; i++)
		if (!failures[i].class_name[0] || strcmp(failures[i].class_name, class_name) == 0)
			cand[n++] = &failures[i];
	return cand[rng_below(r, (uint32_t)n)];
}

void gen_error_json(struct rng *r, const char *class_name, int64_t record_id, char *out, size_t len)
{
	const struct failure *f = pick_failure(r, class_name);
	char msg[256], emsg[320], efile[160];

	if (strstr(f->message, "%lld"))
		snprintf(msg, sizeof msg, "Couldn't find Order with 'id'=%lld", (long long)record_id);
	else
		snprintf(msg, sizeof msg, "%s", f->message);
	json_escape(msg, emsg, sizeof emsg);
	json_escape(f->file, efile, sizeof efile);
	snprintf(out, len,
		 "{\"exception_class\":\"%s\",\"message\":\"%s\",\"backtrace\":[\"%s:in `perform'\","
		 "\"/usr/local/bundle/gems/activejob-8.0.2/lib/active_job/execution.rb:68:in `block in _perform_job'\","
		 "\"/usr/local/bundle/gems/activesupport-8.0.2/lib/active_support/callbacks.rb:120:in `block in run_callbacks'\","
		 "\"/usr/local/bundle/gems/solid_queue-1.1.5/app/models/solid_queue/claimed_execution.rb:72:in `execute'\"]}",
		 f->exception, emsg, efile);
}

/* Solid Cache keys come from a bounded key space, so upserts overwrite and the table stays bounded. */
static const struct { const char *prefix, *suffix; } cache_key_forms[] = {
	{ "views/products/", "-20250101000000000000/summary" },
	{ "users/", "/cart" },
	{ "orders/", "/receipt" },
	{ "rack::attack:", ":req/ip" },
	{ "shop:product_stock:", "" },
};

void gen_cache_key(struct rng *r, char *out, size_t len)
{
	uint32_t form = rng_below(r, (uint32_t)(sizeof cache_key_forms / sizeof cache_key_forms[0]));

	snprintf(out, len, "%s%u%s", cache_key_forms[form].prefix, rng_below(r, 1200), cache_key_forms[form].suffix);
}

void gen_cache_value(struct rng *r, unsigned char *out, size_t cap, size_t *len)
{
	size_t n = 64 + rng_below(r, 1900), i;
	uint64_t v = 0;

	if (n > cap)
		n = cap;
	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			v = rng_next(r);
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	out[0] = 0x04;		/* Marshal format 4.8, as Rails' cache coder writes */
	if (n > 1)
		out[1] = 0x08;
	*len = n;
}

void gen_cable(struct rng *r, int64_t order_id, char *channel, size_t clen, char *payload, size_t plen)
{
	switch (rng_below(r, 3)) {
	case 0:
		snprintf(channel, clen, "orders");
		snprintf(payload, plen,
			 "\"<turbo-stream action=\\\"prepend\\\" target=\\\"orders\\\"><template><div id=\\\"order_%lld\\\">"
			 "Order #%lld</div></template></turbo-stream>\"",
			 (long long)order_id, (long long)order_id);
		break;
	case 1:
		snprintf(channel, clen, "gid://shop/Order/%lld", (long long)order_id);
		snprintf(payload, plen,
			 "\"<turbo-stream action=\\\"replace\\\" target=\\\"order_%lld_status\\\"><template>paid</template>"
			 "</turbo-stream>\"",
			 (long long)order_id);
		break;
	default:
		snprintf(channel, clen, "admin_dashboard");
		snprintf(payload, plen, "{\"type\":\"stats\",\"orders\":%lld}", (long long)order_id);
		break;
	}
}
