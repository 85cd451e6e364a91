# cputop: see README.md. `make V=1` shows the commands.
PREFIX ?= /usr/local
DESTDIR ?=
# SANITIZE=1: every C object and binary with ASan and UBSan, in build-san/ so that it never
# mixes with build/ (`make test SANITIZE=1` runs the whole suite on those binaries).
SANITIZE ?= 0
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
BUILD := $(if $(filter 1,$(SANITIZE)),build-san,build)

CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config

ifneq ($(V),1)
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc -I$(BUILD) -MMD -MP
LIBBPF_LIBS := $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)
CURSES_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
JSON_LIBS := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null || echo -ljson-c)
# The recordings (lib/recfile.c): zstd compresses their frames, zlib's crc32() checks them.
REC_LIBS := $(shell $(PKG_CONFIG) --libs libzstd zlib 2>/dev/null || echo -lzstd -lz)
ifeq ($(SANITIZE),1)
CFLAGS += $(SAN_FLAGS)
endif
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude -I$(BUILD) -MMD -MP

# src/ by layer (DESIGN.md): lib <- model <- source, view, sink <- main. The unit tests and the
# fuzz targets link the core: everything but the terminal, the eBPF source, the HTTP server
# (libmicrohttpd, which cputop loads with dlopen() only for --listen), the loop and the wiring.
APP_SRCS := $(wildcard src/*.c src/*/*.c src/*/*/*.c)
CORE_SRCS := $(filter-out src/main.c src/loop.c src/view/tui/tui.c src/source/bpf/% src/lib/privs.c \
	src/sink/http.c,$(APP_SRCS))
APP_OBJS := $(APP_SRCS:src/%.c=$(BUILD)/obj/%.o)
CORE_OBJS := $(CORE_SRCS:src/%.c=$(BUILD)/obj/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
WORKLOAD := $(BUILD)/tests/workload
EVBENCH := $(BUILD)/evbench
RECGEN := $(BUILD)/recgen
SCRAPELOAD := $(BUILD)/scrapeload
FLOOR := $(BUILD)/floor.bpf.o

# libFuzzer targets, one per parser (tests/fuzz/fuzz_*.c), linked with the core sources built
# by clang with the fuzzer and both sanitizers whatever SANITIZE says: so always in build/fuzz,
# one build for both passes of make test.
FUZZ_SECS ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJS := $(CORE_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_CFLAGS := -O1 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc -MMD -MP \
	-fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-Wno-format-zero-length

.PHONY: all run test unit deps test-deps bench-deps install uninstall clean bench fuzz fuzzers soak
all: $(BUILD)/cputop

# deps: what building and running need; test-deps: that and what the tests need. run, test
# and soak install them first and then build in a second make, so that make -j never
# compiles beside their installation.
deps:
	$(Q)scripts/install-deps.sh

test-deps:
	$(Q)scripts/install-deps.sh --test

bench-deps:
	$(Q)scripts/install-deps.sh --bench

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(BUILD)/cputop $(ARGS)

# tests/run.sh runs the tests after --shared two at a time: none of them is judged on time or
# CPU, or counts anything system-wide (eBPF programs, processes) that another test changes.
# The longest first. The others run alone, with nothing beside them: test_lifecycle.sh and
# test_modes.sh count the eBPF programs loaded, the rest measure CPU time, rates or delays.
SHARED_TESTS := tests/integration/test_valgrind.sh tests/integration/test_churn.sh \
	tests/integration/test_hostile.sh tests/integration/test_privs.sh tests/fuzz/test_fuzz.sh \
	tests/integration/test_install.sh tests/golden/test_recording.sh \
	$(wildcard tests/lint/test_*.sh) $(UNIT_BINS)
# The golden tests change a tree 2.5 s into a 3 s interval: alone, so that they are on time.
ALONE_TESTS := $(filter-out $(SHARED_TESTS),$(wildcard tests/integration/test_*.sh)) \
	tests/golden/test_golden.sh $(wildcard tests/tui/test_*.sh)
# With SANITIZE=1, the tests whose checks are all of speed, or of accuracy within a few percent
# (which a host's steal moves, and ASan's slower workloads more), are left out: the speed
# guards of test_bench.sh would time ASan rather than cputop; test_accuracy.sh and
# test_accuracy_modes.sh hold CPU time to the kernel's, test_sched.sh counters to known rates,
# test_cgroups.sh a cgroup's to its quota and to getrusage, test_prometheus.sh the exporter's
# rates to a spinner's, to /proc/stat and to getrusage (test_export.sh runs its HTTP side in
# both passes). test_influx.sh stays in: its checks are of line protocol, and its CPU sums
# (exits' totals against getrusage, within 10%) are the kernel's one figure read twice, which
# neither steal nor ASan moves.
# What they run cputop through (-p, --fields, --cpus, exits between refreshes, the three eBPF
# forms) the other tests run under ASan too. Left out rather than skipped: CI's
# CPUTOP_REQUIRE_BPF=1 fails a skip.
TIMING_TESTS := tests/integration/test_bench.sh tests/integration/test_accuracy.sh \
	tests/integration/test_accuracy_modes.sh tests/integration/test_sched.sh \
	tests/integration/test_cgroups.sh tests/integration/test_prometheus.sh
# Nor do the fuzz targets' replay and the lint checks run again: the fuzz targets are the same
# sanitized binaries in both passes, and the lint reads the sources alone.
ifeq ($(SANITIZE),1)
ALONE_TESTS := $(filter-out $(TIMING_TESTS),$(ALONE_TESTS))
SHARED_TESTS := $(filter-out tests/fuzz/test_fuzz.sh tests/lint/%,$(SHARED_TESTS))
TEST_FUZZ_BINS :=
LEFT_OUT := $(notdir $(TIMING_TESTS)) (speed, accuracy within a few percent); test_fuzz.sh and \
	the lint (as in the first pass)
else
TEST_FUZZ_BINS := $(FUZZ_BINS)
endif
# The sanitizers' reports go to files in $(BUILD)/sanitizer/, which tests/run.sh prints and
# counts as failures: many tests discard cputop's stderr, where a leak report would be lost.
# The fuzz targets replay their corpus (tests/fuzz/corpus) only; make fuzz fuzzes.
test: test-deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BINS) $(WORKLOAD) $(EVBENCH) $(FLOOR) \
		$(TEST_FUZZ_BINS)
	$(if $(LEFT_OUT),@echo '# left out with SANITIZE=1: $(LEFT_OUT)')
	$(Q)CPUTOP=$(BUILD)/cputop WORKLOAD=$(WORKLOAD) EVBENCH=$(EVBENCH) FLOOR=$(FLOOR) \
		FUZZ_DIR=$(FUZZ_BUILD) $(if $(filter 1,$(SANITIZE)),SANITIZER_LOGS=$(BUILD)/sanitizer) \
		tests/run.sh --shared $(SHARED_TESTS) --alone $(ALONE_TESTS)

unit: $(UNIT_BINS)
	$(Q)tests/run.sh --shared $(UNIT_BINS)

# Every fuzz target for FUZZ_SECS seconds; what each finds stays in $(FUZZ_BUILD)/corpus/.
fuzzers: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)FUZZ_DIR=$(FUZZ_BUILD) FUZZ_SECS=$(FUZZ_SECS) FUZZ_KEEP=1 tests/fuzz/test_fuzz.sh

# The churn test for SOAK_SECS (10 minutes: 3,000 refreshes at -d 0.2) instead of make test's
# 15 s: memory and descriptors flat, every exit accounted for. Not part of make test.
SOAK_SECS ?= 600
soak: test-deps
	$(Q)$(MAKE) --no-print-directory all $(WORKLOAD)
	$(Q)CPUTOP=$(BUILD)/cputop WORKLOAD=$(WORKLOAD) CHURN_SECS=$(SOAK_SECS) \
		tests/run.sh tests/integration/test_churn.sh

# The benchmarks against top, pidstat, bpftrace and node_exporter, then the recorder against atop
# (root); ARGS='--quick' for the short ones.
bench: bench-deps
	$(Q)$(MAKE) --no-print-directory all $(EVBENCH) $(FLOOR) $(RECGEN) $(SCRAPELOAD)
	$(Q)scripts/bench.sh $(ARGS)
	$(Q)CPUTOP=$(BUILD)/cputop RECGEN=$(RECGEN) scripts/bench-record.sh $(ARGS)

$(BUILD) $(BUILD)/tests $(FUZZ_BUILD)/obj:
	$(Q)mkdir -p $@

$(BUILD)/vmlinux.h: | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/cputop.bpf.o: bpf/cputop.bpf.c $(BUILD)/vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/cputop.skel.h: $(BUILD)/cputop.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name cputop_bpf > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/source/bpf/bpf_source.o: $(BUILD)/cputop.skel.h

$(BUILD)/obj/%.o: src/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/cputop: $(APP_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS) $(CURSES_LIBS) $(JSON_LIBS) $(REC_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJS) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.c %.o,$^) -o $@ -lcmocka $(JSON_LIBS) $(REC_LIBS) -lm

$(EVBENCH): scripts/evbench.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(LIBBPF_LIBS)

$(FLOOR): scripts/floor.bpf.c $(BUILD)/vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# A day of synthetic samples, written by the recorder, for the replay benchmark.
$(RECGEN): scripts/recgen.c $(CORE_OBJS) | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.c %.o,$^) -o $@ $(REC_LIBS) $(JSON_LIBS) -lm

# GET requests at a fixed rate, for the benchmark's cost of a scrape of --listen.
$(SCRAPELOAD): scripts/scrapeload.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lm

$(WORKLOAD): tests/integration/workload.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lpthread

# Only pattern rules name them: kept, not removed as intermediates after each link.
.SECONDARY: $(FUZZ_OBJS)
$(FUZZ_BUILD)/obj/%.o: src/%.c
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_OBJS) | $(FUZZ_BUILD)/obj
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c %.o,$^) -o $@ $(JSON_LIBS) $(REC_LIBS) -lm

# The recorder's and the exporter's systemd units go where systemd looks for a prefix's units;
# their ExecStart names the binary installed.
UNITDIR ?= $(PREFIX)/lib/systemd/system

UNITS := cputop-record.service cputop-exporter.service

install: all
	install -D -m 0755 $(BUILD)/cputop $(DESTDIR)$(PREFIX)/bin/cputop
	install -D -m 0644 docs/cputop.8 $(DESTDIR)$(PREFIX)/share/man/man8/cputop.8
	install -d $(DESTDIR)$(UNITDIR)
	for u in $(UNITS); do \
		sed 's|@BINDIR@|$(PREFIX)/bin|' scripts/units/$$u >$(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cputop $(DESTDIR)$(PREFIX)/share/man/man8/cputop.8 \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
