# litecon: hand-written Makefile.
#   make                    build/litecon, build/litecon-agent (static), build/litecon-load
#   make SANITIZE=address,undefined BUILD=build/san    sanitizer build in its own tree
#   make check              every test tier (+ ASan/UBSan and valgrind runs); ends "N passed, N failed"
#   make demo               build, then `litecon demo` on a local demo store
#   make bench | valgrind | install PREFIX=/usr/local DESTDIR= | clean | deps
CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
SANITIZE ?=
PKGS    := sqlite3 ncursesw readline libssh2 libzstd

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wno-format-nonliteral -Wvla
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Iinclude -MMD -MP -DLC_OPENSSL
PKG_CFLAGS := $(shell pkg-config --cflags sqlite3 libssh2 libcrypto libzstd 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs sqlite3 libssh2 libcrypto libzstd 2>/dev/null)
CURSES_LIBS := $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw)
CURSES_CFLAGS := $(shell pkg-config --cflags ncursesw 2>/dev/null) -D_XOPEN_SOURCE_EXTENDED
RL_LIBS    := $(shell pkg-config --libs readline 2>/dev/null || echo -lreadline)
ifneq ($(SANITIZE),)
  CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=$(SANITIZE)
endif

CORE_SRC  := src/util.c src/core/engine.c src/core/guard.c src/core/store.c src/core/sqlval.c \
             src/core/inspect.c src/core/probe.c src/core/probe_queue.c src/core/openers.c \
             src/core/proto.c src/core/sha256.c src/core/snapshot.c src/core/bfile.c src/core/keepfd.c
CLIENT_SRC := src/main.c src/cli.c src/conn/conn.c src/conn/local.c src/conn/target.c \
              src/conn/agent.c src/conn/stream_fd.c src/conn/config.c \
              src/ui/render.c src/ui/grid.c src/ui/textesc.c src/ui/session.c src/ui/dot.c \
              src/ui/demo.c src/ui/stats.c src/ui/stats_prom.c src/ui/check.c src/ui/backup.c \
              src/ui/shell.c src/ui/shell_complete.c src/ui/shell_pager.c $(wildcard src/tui/*.c)
CLIENT_SRC += src/ssh/config.c src/ssh/knownhosts.c src/ssh/auth.c src/ssh/session.c src/ssh/remote.c
AGENT_SRC := src/agent/agent.c src/agent/outq.c
LOAD_SRC  := $(wildcard src/load/*.c)
UNIT_SRC  := $(wildcard tests/unit/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJ   := $(call obj,$(CORE_SRC))
CLIENT_OBJ := $(call obj,$(CLIENT_SRC))

all: $(BUILD)/litecon $(BUILD)/litecon-agent $(BUILD)/litecon-load

# Only the TUI sees ncurses' feature macros.
$(BUILD)/obj/src/tui/%.o: CFLAGS += $(CURSES_CFLAGS)

$(BUILD)/obj/%.o: %.c | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/litecon: $(CLIENT_OBJ) $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(RL_LIBS) $(CURSES_LIBS) -lpthread -lm

# The helper: static, stripped, no sanitizer (it runs on other hosts).
$(BUILD)/litecon-agent: $(AGENT_SRC) $(CORE_SRC) | deps-build
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Iinclude -O2 -ffunction-sections -fdata-sections \
	  -static -Wl,--gc-sections -s -o $@ $^ -l:libsqlite3.a -l:libzstd.a -lm -lpthread -ldl 2>&1 | \
	  { grep -v -e "statically linked applications requires at runtime" -e "in function .unixDlOpen" || true; }
	@test -x $@

$(BUILD)/litecon-load: $(call obj,$(LOAD_SRC))
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/unit: $(call obj,$(UNIT_SRC) src/agent/outq.c) $(filter-out $(BUILD)/obj/src/main.o,$(CLIENT_OBJ)) $(CORE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(RL_LIBS) $(CURSES_LIBS) -lpthread -lm

# System packages (apt-get when root, sudo otherwise; a clear list elsewhere).
deps-build:
	@scripts/deps.sh build
deps:
	@scripts/deps.sh test

check: deps
	@$(MAKE) --no-print-directory all $(BUILD)/unit
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/san SANITIZE=address,undefined OPT="-O1 -g" \
	  $(BUILD)/san/litecon $(BUILD)/san/litecon-load $(BUILD)/san/unit
	@tests/run.sh $(BUILD)

demo: all
	$(BUILD)/litecon demo $(BUILD)/demo

valgrind: all $(BUILD)/unit
	@VALGRIND_ONLY=1 tests/run.sh $(BUILD)

bench: all
	@bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/litecon/themes
	install -m 755 $(BUILD)/litecon $(BUILD)/litecon-agent $(BUILD)/litecon-load $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/litecon.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for f in themes/*.theme; do [ ! -e "$$f" ] || install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/litecon/themes/; done

clean:
	rm -rf build

.PHONY: all check demo valgrind bench install clean deps deps-build
# Further targets (fuzz, soak) live in mk/*.mk, one file each.
-include $(sort $(wildcard mk/*.mk))
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
