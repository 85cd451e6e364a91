# cputop: see README.md. `make V=1` shows the commands.
PREFIX ?= /usr/local
DESTDIR ?=
BUILD := build

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
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude -I$(BUILD) -MMD -MP

CORE_SRCS := src/snapshot.c src/procfs.c src/interrupts.c src/metrics.c src/model.c src/text.c \
	src/opts.c src/columns.c src/view_batch.c src/view_json.c src/view_csv.c src/users.c \
	src/history.c src/config.c src/exitlog.c src/scan.c
APP_SRCS := $(CORE_SRCS) src/view_tui.c src/bpf_source.c src/main.c
APP_OBJS := $(APP_SRCS:src/%.c=$(BUILD)/%.o)
CORE_OBJS := $(CORE_SRCS:src/%.c=$(BUILD)/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
WORKLOAD := $(BUILD)/tests/workload
EVBENCH := $(BUILD)/evbench
FLOOR := $(BUILD)/floor.bpf.o

.PHONY: all run test unit deps install uninstall clean bench
all: $(BUILD)/cputop

deps:
	$(Q)scripts/install-deps.sh

run: deps all
	$(BUILD)/cputop $(ARGS)

test: deps all $(UNIT_BINS) $(WORKLOAD) $(EVBENCH) $(FLOOR)
	$(Q)tests/run.sh $(UNIT_BINS) tests/integration/test_*.sh tests/tui/test_*.sh

unit: $(UNIT_BINS)
	$(Q)tests/run.sh $(UNIT_BINS)

# The benchmark against top, pidstat and bpftrace (root); ARGS='--quick' for the short one.
bench: all $(EVBENCH) $(FLOOR)
	$(Q)scripts/bench.sh $(ARGS)

$(BUILD) $(BUILD)/tests:
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

$(BUILD)/bpf_source.o: $(BUILD)/cputop.skel.h

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/cputop: $(APP_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS) $(CURSES_LIBS) $(JSON_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJS) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.c %.o,$^) -o $@ -lcmocka $(JSON_LIBS) -lm

$(EVBENCH): scripts/evbench.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(LIBBPF_LIBS)

$(FLOOR): scripts/floor.bpf.c $(BUILD)/vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(WORKLOAD): tests/integration/workload.c | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lpthread

install: all
	install -D -m 0755 $(BUILD)/cputop $(DESTDIR)$(PREFIX)/bin/cputop
	install -D -m 0644 docs/cputop.8 $(DESTDIR)$(PREFIX)/share/man/man8/cputop.8

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cputop $(DESTDIR)$(PREFIX)/share/man/man8/cputop.8

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
