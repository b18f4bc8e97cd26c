# mk/fuzz.mk: libFuzzer targets for litecon's parsers (tests/fuzz/).
#   make fuzz-build            build $(BUILD)/fuzz/fuzz_NAME, one per parser
#   make fuzz                  run each for FUZZ_SECONDS (default 300)
#   make fuzz FUZZ_ONLY=proto  one target
# Each target starts from its seed corpus, tests/fuzz/corpus/NAME/ (never
# written), and keeps what it finds in $(BUILD)/fuzz/corpus/NAME/. A crash
# leaves its input in $(BUILD)/fuzz/crash/; copy it into the seed corpus
# with the fix, so every later run (make check's fuzz tier too) replays it.
# The code under test is built with clang, ASan, UBSan and libFuzzer's
# coverage into $(BUILD)/fuzz/liblc.a; each target links only what it uses.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 300
FUZZ_ONLY    ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Iinclude -MMD -MP -DLC_OPENSSL \
                -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS)
FUZZ_LIBS    := $(PKG_LIBS) $(RL_LIBS) $(CURSES_LIBS) -lpthread -lm

# The theme parser is the TUI's; its target is built once src/tui/theme.c exists.
FUZZ_TARGETS := proto agent_conn render target cli config knownhosts \
                $(if $(wildcard src/tui/theme.c),theme)
FUZZ_LIB_SRC := $(CORE_SRC) $(filter-out src/main.c src/tui/%,$(CLIENT_SRC)) \
                $(wildcard src/tui/theme.c) tests/fuzz/termsafe.c
FUZZ_DIR     := $(BUILD)/fuzz
fuzz_obj      = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(1))

$(FUZZ_DIR)/obj/%.o: %.c | deps-build
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/obj/src/tui/%.o: FUZZ_CFLAGS += $(CURSES_CFLAGS)

$(FUZZ_DIR)/liblc.a: $(call fuzz_obj,$(FUZZ_LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/liblc.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

fuzz-build: $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/crash
	@failed=""; for t in $(or $(FUZZ_ONLY),$(FUZZ_TARGETS)); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/crash/$$t- $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t \
	    >$(FUZZ_DIR)/$$t.log 2>&1 || failed="$$failed $$t"; \
	  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|SUMMARY|.*Test unit written)' \
	    $(FUZZ_DIR)/$$t.log | sed 's/^/  /'; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: failed:$$failed (logs: $(FUZZ_DIR)/NAME.log)"; exit 1; }

# The targets' own objects are intermediate files to make: keep them.
.SECONDARY: $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/obj/tests/fuzz/fuzz_$(t).o)
.PHONY: fuzz fuzz-build
-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
