# buurtbot build. `make` builds ./buurtbot; `make check` installs what is
# missing, then runs every test (plain and under ASan+UBSan); `make demo`
# runs the bot against a local Synapse. See README.md.

CC      ?= cc
PKGS    := libcurl libcjson sqlite3 olm libmicrohttpd cairo libcrypto
# Debian's cJSON has no .pc for some releases: fall back to plain flags.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -lcjson -lsqlite3 -lolm -lmicrohttpd -lcairo -lcrypto)

CFLAGS_BASE := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
	-Wno-unused-parameter -g -I. $(PKG_CFLAGS)

# CLANG=1 builds with clang instead of the default compiler (gcc), with the
# same warnings and -Werror, into build-clang/ (build-clang-san/ with SAN=1),
# so the gcc objects stay. `make CC=clang BUILD=dir` works as well.
ifeq ($(CLANG),1)
CC      := clang
BUILD_BASE := build-clang
else
BUILD_BASE := build
endif

ifeq ($(SAN),1)
BUILD   := $(BUILD_BASE)-san
CFLAGS  ?= -O1
CFLAGS  += $(CFLAGS_BASE) -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD   := $(BUILD_BASE)
CFLAGS  ?= -O2
CFLAGS  += $(CFLAGS_BASE)
endif

# FUZZ=1 builds the fuzz targets for coverage-guided runs with clang's
# libFuzzer (its main instead of the standalone driver; ASan+UBSan) into
# build-fuzz/; `make fuzz-run` builds and runs them (tests/fuzz/run.sh).
ifeq ($(FUZZ),1)
CC      := clang
BUILD   := build-fuzz
CFLAGS  := -O1 -fno-omit-frame-pointer $(CFLAGS_BASE) -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all
FUZZ_MAIN := -fsanitize=fuzzer,address,undefined
else
FUZZ_MAIN := tests/fuzz/standalone_driver.c
endif
# Seconds each fuzz target runs in `make fuzz-run`, and how many at a time.
FUZZ_TIME ?= 20
FUZZ_JOBS ?= 1

LIB_SRC  := $(wildcard matrix/*.c policy/*.c) $(filter-out bot/main.c,$(wildcard bot/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libbuurtbot.a
BIN      := $(BUILD)/buurtbot

# buurtbot-web (issue 15): the sign-up website, its own program (bot/web/).
WEB_PKGS   := libmicrohttpd cairo fontconfig libqrencode libcrypto
WEB_CFLAGS := $(shell pkg-config --cflags $(WEB_PKGS) 2>/dev/null)
WEB_LIBS   := $(shell pkg-config --libs $(WEB_PKGS) 2>/dev/null || echo -lmicrohttpd -lcairo -lfontconfig -lqrencode -lcrypto)
WEB_SRC    := $(wildcard bot/web/*.c)
WEB_OBJ    := $(WEB_SRC:%.c=$(BUILD)/%.o)
WEB_PART_OBJ := $(filter-out $(BUILD)/bot/web/web_main.o,$(WEB_OBJ))
WEB_BIN    := $(BUILD)/buurtbot-web

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
IT_SUPPORT_SRC := $(filter-out tests/integration/test_%.c,$(wildcard tests/integration/*.c))
IT_SUPPORT_OBJ := $(IT_SUPPORT_SRC:%.c=$(BUILD)/%.o)
IT_SRC   := $(wildcard tests/integration/test_*.c)
IT_BIN   := $(IT_SRC:%.c=$(BUILD)/%)
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BIN := $(BENCH_SRC:%.c=$(BUILD)/%)
FUZZ_SRC := $(filter-out tests/fuzz/standalone_driver.c,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:%.c=$(BUILD)/%)

.PHONY: all tests deps check unit integration demo bench fuzz-replay fuzz-run fuzz-build clean

all: $(BIN) $(WEB_BIN)
	@ln -sf $(BIN) buurtbot
	@ln -sf $(WEB_BIN) buurtbot-web

tests: $(BIN) $(WEB_BIN) $(UNIT_BIN) $(IT_BIN) $(BENCH_BIN) $(FUZZ_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/bot/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(WEB_OBJ): CFLAGS += $(WEB_CFLAGS)

$(WEB_BIN): $(WEB_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(PKG_LIBS) $(WEB_LIBS) -lpthread -lm

# The website's unit tests link its parts (not its main).
$(BUILD)/tests/unit/test_web: tests/unit/test_web.c $(WEB_PART_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WEB_CFLAGS) -MMD -MP -o $@ $< $(WEB_PART_OBJ) $(LIB) $(LDFLAGS) $(PKG_LIBS) $(WEB_LIBS) -lcriterion -lpthread -lm

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(LIB) $(LDFLAGS) $(PKG_LIBS) -lcriterion -lm

$(BUILD)/tests/integration/%: tests/integration/%.c $(IT_SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(IT_SUPPORT_OBJ) $(LIB) $(LDFLAGS) $(PKG_LIBS) -lcriterion -lm

$(BUILD)/tests/bench/%: tests/bench/%.c $(IT_SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(IT_SUPPORT_OBJ) $(LIB) $(LDFLAGS) $(PKG_LIBS) -lcriterion -lpthread -lm

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/standalone_driver.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(FUZZ_MAIN) $(LIB) $(LDFLAGS) $(PKG_LIBS) -lm

# Installs Debian packages and the test/demo Python venv when missing.
deps:
	./deploy/deps.sh

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t --jobs 2; done

integration: $(BIN) $(IT_BIN)
	./tests/harness/run-integration.sh $(BUILD)

fuzz-replay: $(FUZZ_BIN)
	./tests/fuzz/replay.sh $(BUILD)

# Every fuzz target under libFuzzer for FUZZ_TIME seconds (FUZZ_JOBS at a
# time), starting from a copy of its corpus; fails on any crash, leak or
# timeout.
fuzz-run:
	$(MAKE) FUZZ=1 fuzz-build
	./tests/fuzz/run.sh build-fuzz $(FUZZ_TIME) $(FUZZ_JOBS)

fuzz-build: $(FUZZ_BIN)

# The README's test command: everything, plain and with sanitizers.
check: deps
	./tests/run-all.sh

# The demo builds the bot itself, quietly (errors only), then runs it; Ctrl-C
# ends it with "demo stopped" and status 0 (see deploy/demo/run-demo.sh).
demo:
	@./deploy/deps.sh
	@./deploy/demo/run-demo.sh

# The deploy/compose/ stack for real (root; podman and the shared container
# scripts, see tests/stack/run-stack.sh).
.PHONY: stack
stack:
	./tests/stack/run-stack.sh

bench: deps $(BIN) $(BENCH_BIN)
	./tests/harness/run-bench.sh $(BUILD)

clean:
	rm -rf build build-san build-clang build-clang-san build-fuzz buurtbot buurtbot-web

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
