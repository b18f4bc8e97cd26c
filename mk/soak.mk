# mk/soak.mk: `make soak` runs tests/soak.sh for SOAK_SECONDS (default 600):
# the load writer at 500 orders/s with stats, a dashboard, 1000 queries and
# 20 backups (local and over ssh) at once; prints its figures and TAP lines.
SOAK_SECONDS ?= 600

soak: deps all
	@SOAK_SECONDS=$(SOAK_SECONDS) LITECON=$(BUILD)/litecon LITECON_LOAD=$(BUILD)/litecon-load bash tests/soak.sh

.PHONY: soak
