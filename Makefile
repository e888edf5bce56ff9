# Makefile — the one way to build, test and install Clove: ./clove, build/libclove.a, the test
# suites (make test, make check-asan), benchmarks (make bench) and installation (make install).
#
#   make                 ./clove and build/libclove.a          (make CC=clang for clang, V=1 for commands)
#   make run             install missing packages, build, start the REPL
#   make test            install missing packages, build, run every suite; SUITES='lisp/lists embed' for some
#   make check-asan      the suites built with ASan+UBSan in build-asan/, and STRESS_SUITES again with CLOVE_GC_STRESS=1
#   make check-tsan      TSAN_SUITES (processes, sockets) built with ThreadSanitizer in build-tsan/
#   make docs            regenerate docs/reference.md from the docstrings (tests/integration/help.sh compares)
#   make bench           benchmarks in bench/*.sh (installs clisp, sbcl, lua5.4 to compare against)
#   make install PREFIX=/usr/local [DESTDIR=...]      make clean

ifeq ($(origin CC),default)
CC = gcc
endif
HOSTCC ?= $(CC)
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local

BUILD ?= build
OPT ?= -O2 -g
CSTD := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
LIBS := -lgmp -lm -lpthread
SAN_OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
TSAN_OPT := -O1 -g -fsanitize=thread
TEST_JOBS ?= 2
TEST_TIMEOUT ?= 120
STRESS_TIMEOUT ?= 600
export STRESS_TIMEOUT

# Compile in parallel unless asked otherwise (not when cleaning in the same command: clean would race).
ifeq ($(MAKELEVEL),0)
ifeq ($(filter clean,$(MAKECMDGOALS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
endif
MAKEFLAGS += --no-print-directory

ifeq ($(V),1)
Q :=
say := @true
else
Q := @
say := @printf '  %-7s %s\n'
endif

# pkg-config is asked once, on first use, so that `make clean` or `make deps` never run it.
once = $(eval $1 := $$(shell $2))$($1)
READLINE_CFLAGS = $(call once,READLINE_CFLAGS,$(PKG_CONFIG) --cflags readline 2>/dev/null)
READLINE_LIBS = $(call once,READLINE_LIBS,$(PKG_CONFIG) --libs readline 2>/dev/null || echo -lreadline)
CHECK_CFLAGS = $(call once,CHECK_CFLAGS,$(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(call once,CHECK_LIBS,$(PKG_CONFIG) --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -pthread)

VERSION = $(call once,VERSION,sed -n 's/^.define CLOVE_VERSION "\(.*\)"/\1/p' include/clove.h)

LIB_SRCS := $(sort $(wildcard interp/*.c builtins/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/stdlib.o
LIB := $(BUILD)/libclove.a
CLOVE_BIN ?= $(if $(filter build,$(BUILD)),clove,$(BUILD)/clove)

STDLIB_FILES := $(sort $(wildcard stdlib/*.lisp))
STDLIB_ORDER := $(wildcard stdlib/ORDER)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
EMBED_BIN := $(BUILD)/examples/embed

UNIT_SUITES := $(UNIT_SRCS:tests/unit/%.c=unit/%)
LISP_SUITES := $(patsubst tests/lisp/%.lisp,lisp/%,$(filter-out %/harness.lisp,$(sort $(wildcard tests/lisp/*.lisp))))
INTEGRATION_SUITES := $(patsubst tests/integration/%.sh,integration/%,$(filter-out %/lib.sh,$(sort $(wildcard tests/integration/*.sh))))
SUITES ?= $(UNIT_SUITES) $(LISP_SUITES) $(INTEGRATION_SUITES) embed
# Run a second time under CLOVE_GC_STRESS=1 by check-asan: a collection at every allocation
# costs about a millisecond, so only the collector's and control flow's unit suites, the
# embedding example and lisp/stress (a small tour of the core made for this) run that way.
STRESS_LISP ?= stress
STRESS_UNIT ?= test_gc test_control
STRESS_SUITES ?= $(addprefix unit/,$(STRESS_UNIT)) embed $(filter $(addprefix lisp/,$(STRESS_LISP)),$(LISP_SUITES))
# What ThreadSanitizer checks: the suites that run several processes at once.
TSAN_SUITES ?= $(filter lisp/processes% integration/processes% lisp/sockets integration/sockets,$(LISP_SUITES) $(INTEGRATION_SUITES))

.PHONY: all lib run test test-build check-asan check-tsan bench docs deps deps-bench install clean FORCE
.DELETE_ON_ERROR:
.SUFFIXES:

all: $(CLOVE_BIN) $(LIB)
lib: $(LIB)

# ---- compiling -------------------------------------------------------------------------------

# Objects depend on the compiler and flags they were built with: `make CC=clang` rebuilds everything.
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CSTD) $(OPT) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
	  echo '$(CC) $(CSTD) $(OPT) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)' >$@

INCLUDES = -Iinclude -Iinterp
# repl.c is a host like any embedder: it sees only the public header.
$(BUILD)/repl.o: INCLUDES = -Iinclude $(READLINE_CFLAGS)
$(BUILD)/tests/unit/%.o: INCLUDES = -Iinclude -Iinterp $(CHECK_CFLAGS)
$(BUILD)/examples/%.o: INCLUDES = -Iinclude

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CSTD) $(OPT) $(CFLAGS) $(CPPFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

$(BUILD)/stdlib.o: $(BUILD)/stdlib.c $(BUILD)/flags
	$(say) CC $<
	$(Q)$(CC) $(CSTD) $(OPT) $(CFLAGS) -c $< -o $@

# The list of stdlib files is a prerequisite too, so removing one regenerates stdlib.c.
$(BUILD)/stdlib.list: FORCE
	@mkdir -p $(@D)
	@echo '$(STDLIB_ORDER) $(STDLIB_FILES)' | cmp -s - $@ || echo '$(STDLIB_ORDER) $(STDLIB_FILES)' >$@

$(BUILD)/stdlib.c: $(BUILD)/embed_stdlib $(STDLIB_ORDER) $(STDLIB_FILES) $(BUILD)/stdlib.list
	$(say) EMBED "$(or $(STDLIB_ORDER),stdlib/*.lisp) -> $@"
	$(Q)$(BUILD)/embed_stdlib $@ $(or $(STDLIB_ORDER),-) $(STDLIB_FILES)

# A build tool, run on this machine: never built with the sanitizers.
$(BUILD)/embed_stdlib: tools/embed_stdlib.c interp/lisp_scan.h
	@mkdir -p $(@D)
	$(say) HOSTCC $<
	$(Q)$(HOSTCC) $(CSTD) -O2 $< -o $@

# ---- linking ---------------------------------------------------------------------------------

$(LIB): $(LIB_OBJS)
	$(say) AR $@
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(CLOVE_BIN): $(BUILD)/repl.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(OPT) $(CFLAGS) $(LDFLAGS) $^ $(READLINE_LIBS) $(LIBS) -o $@

$(UNIT_BINS): $(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(OPT) $(CFLAGS) $(LDFLAGS) $^ $(CHECK_LIBS) $(LIBS) -o $@

$(EMBED_BIN): $(BUILD)/examples/embed.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(OPT) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

-include $(LIB_OBJS:.o=.d) $(BUILD)/repl.d $(UNIT_BINS:=.d) $(BUILD)/examples/embed.d

# ---- running and testing ---------------------------------------------------------------------

deps:
	@bash tools/deps.sh build test

deps-bench:
	@bash tools/deps.sh build test bench

# deps first, then the build as a sub-make: nothing compiles before the headers are installed.
run: deps
	@$(MAKE) all
	./$(CLOVE_BIN)

test-build: all $(UNIT_BINS) $(EMBED_BIN)

test: deps
	@$(MAKE) test-build
	@BUILD=$(BUILD) CLOVE=$(CLOVE_BIN) bash tests/run.sh -j $(TEST_JOBS) -t $(TEST_TIMEOUT) $(SUITES)

check-asan: deps
	@$(MAKE) BUILD=build-asan OPT='$(SAN_OPT)' test-build
	@BUILD=build-asan CLOVE=build-asan/clove SANITIZE=1 bash tests/run.sh -j $(TEST_JOBS) \
	  -t $(TEST_TIMEOUT) $(addprefix stress:,$(STRESS_SUITES)) $(SUITES)

# TSan has its own runtime: each suite runs on the binary built with it alone.
check-tsan: deps
	@$(MAKE) BUILD=build-tsan OPT='$(TSAN_OPT)' all
	@BUILD=build-tsan CLOVE=build-tsan/clove SANITIZE=1 \
	  bash tests/run.sh -j $(TEST_JOBS) -t $(STRESS_TIMEOUT) $(TSAN_SUITES)

bench: deps-bench
	@$(MAKE) all
	@n=0; for f in bench/*.sh; do \
	  [ -e "$$f" ] || continue; n=$$((n + 1)); \
	  echo "== $$f"; CLOVE=$(abspath $(CLOVE_BIN)) bash "$$f" || exit 1; \
	done; [ $$n -gt 0 ] || echo "bench/ has no *.sh benchmarks yet"

# The reference is generated from the running implementation, so it cannot drift; the test
# suite only compares (integration/help), it never rewrites a committed file.
docs: $(CLOVE_BIN)
	$(say) GEN docs/reference.md
	$(Q)./$(CLOVE_BIN) -n -Q tools/gen_reference.lisp >docs/reference.md.tmp && mv docs/reference.md.tmp docs/reference.md

# ---- installing ------------------------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(CLOVE_BIN) $(DESTDIR)$(PREFIX)/bin/clove
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libclove.a
	install -m 644 include/clove.h $(DESTDIR)$(PREFIX)/include/clove.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' clove.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/clove.pc

clean:
	rm -rf build build-asan build-tsan clove

FORCE:
