// SPDX-License-Identifier: GPL-2.0
/*
 * parse_interrupts() and parse_softirqs() on the files of tests/fixtures/irqs, laid out as
 * kernels print them, and on small buffers for the shapes no kernel should print. Expected
 * values are the fixtures' numbers added up by hand.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "source/procfs/procfs.h"
#include "fixture.h"

#define BIT(ctr) (1ull << (ctr))
/* The bits each parser owns in snapshot.ctr_have. */
#define IRQ_BITS (BIT(CTR_IRQ) | BIT(CTR_LOC) | BIT(CTR_RES) | BIT(CTR_CAL) | BIT(CTR_TLB))
#define SOFTIRQ_BITS (((1ull << SOFTIRQ_MAX) - 1) << CTR_SOFTIRQ)

/* The whole fixture tests/fixtures/irqs/@name, NUL-terminated; free() it. */
static char *load(const char *name)
{
	char rel[128], *buf;
	long len;
	FILE *f;

	snprintf(rel, sizeof(rel), "irqs/%s", name);
	f = fopen(fixture(rel), "r");
	if (!f)
		fail_msg("cannot open fixture %s", fixture(rel));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc(len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static int parse_fixture(int (*parse)(const char *, struct snapshot *), const char *name,
			 struct snapshot *s)
{
	char *buf = load(name);
	int err = parse(buf, s);

	free(buf);
	return err;
}

/* The five /proc/interrupts counters of CPU @cpu, in enum order from CTR_IRQ. */
static void expect_irqs(const struct snapshot *s, uint32_t cpu, uint64_t irq, uint64_t loc,
			uint64_t res, uint64_t cal, uint64_t tlb)
{
	assert_true(cpu < s->nr_ctrs);
	assert_int_equal(s->ctrs[cpu].v[CTR_IRQ], irq);
	assert_int_equal(s->ctrs[cpu].v[CTR_LOC], loc);
	assert_int_equal(s->ctrs[cpu].v[CTR_RES], res);
	assert_int_equal(s->ctrs[cpu].v[CTR_CAL], cal);
	assert_int_equal(s->ctrs[cpu].v[CTR_TLB], tlb);
}

/* ---- /proc/interrupts ---- */

/* This machine's file, whole: 19 numbered lines, x86's named ones, ERR: and MIS:. */
static void test_x86_2cpu(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
	assert_int_equal(s.nr_ctrs, 2);
	/* CPU0: 1 + 34 + 108 + 869 + 3181 + 1; CPU1: 1 + 12 + 1179 + 1 + 55384 + 893 + 10852. */
	expect_irqs(&s, 0, 4194, 558723, 44394, 198466, 11531);
	expect_irqs(&s, 1, 68322, 645308, 41477, 171779, 11616);
	assert_int_equal(s.ctr_have, IRQ_BITS);
	snapshot_free(&s);
}

/*
 * 16 CPUs with CPU5 offline: the header goes CPU4, CPU6, so every column after the gap
 * belongs one CPU further on. ERR: 12 and MIS: 5 are system-wide and must reach no CPU.
 */
static void test_x86_offline_cpu(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "x86-16cpu/interrupts", &s), 0);
	assert_int_equal(s.nr_ctrs, 16);
	assert_int_equal(s.ctr_have, IRQ_BITS);
	/* CPU0: 41 + 18234 + 9120 + 300. */
	expect_irqs(&s, 0, 27695, 9121345, 412345, 88123, 23456);
	/* CPU1: 4 + 7311 + 301. */
	expect_irqs(&s, 1, 7616, 8456712, 398765, 87012, 22345);
	/* CPU4, the last column before the gap: 4411 + 304. */
	expect_irqs(&s, 4, 4715, 7789012, 365432, 84789, 19012);
	/* Offline: no column, all zero. */
	expect_irqs(&s, 5, 0, 0, 0, 0, 0);
	/* CPU6, the sixth column: 3977 + 306. */
	expect_irqs(&s, 6, 4283, 7123456, 354321, 83678, 18901);
	/* CPU8: 2208 + 308; CPU14: rtc0's 1 + 314; CPU15, the last: 8 + 315. */
	expect_irqs(&s, 8, 2516, 6998877, 332109, 81456, 16789);
	expect_irqs(&s, 14, 315, 6310987, 276543, 75890, 10123);
	expect_irqs(&s, 15, 323, 6209876, 265432, 74789, 9012);
	snapshot_free(&s);
}

/*
 * arm64: the local timer is a numbered line (arch_timer), IPIs are IPI0..IPI6 named by their
 * description, and there is no TLB shootdown IPI: no LOC or TLB bit.
 */
static void test_arm64(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "arm64/interrupts", &s), 0);
	assert_int_equal(s.nr_ctrs, 4);
	assert_int_equal(s.ctr_have, BIT(CTR_IRQ) | BIT(CTR_RES) | BIT(CTR_CAL));
	/* CPU0: 5123456 + 1894 + 2231 + 10443 + 45678. */
	assert_int_equal(s.ctrs[0].v[CTR_IRQ], 5183702);
	assert_int_equal(s.ctrs[1].v[CTR_IRQ], 4987654 + 9876);
	assert_int_equal(s.ctrs[2].v[CTR_IRQ], 4876543 + 8765);
	assert_int_equal(s.ctrs[3].v[CTR_IRQ], 4765432 + 7654);
	assert_int_equal(s.ctrs[0].v[CTR_RES], 123456);
	assert_int_equal(s.ctrs[3].v[CTR_RES], 187654);
	assert_int_equal(s.ctrs[0].v[CTR_CAL], 54321);
	assert_int_equal(s.ctrs[1].v[CTR_CAL], 65432);
	assert_int_equal(s.ctrs[2].v[CTR_CAL], 43210);
	assert_int_equal(s.ctrs[3].v[CTR_CAL], 32109);
	assert_int_equal(s.ctrs[2].v[CTR_LOC], 0);
	assert_int_equal(s.ctrs[2].v[CTR_TLB], 0);
	snapshot_free(&s);
}

/*
 * A uniprocessor x86 kernel (CONFIG_SMP=n) prints no RES:, CAL: or TLB: line. With one
 * column, ERR: 3 has a number for every column: it must still not count.
 */
static void test_missing_rows(void **state)
{
	struct snapshot s = {};

	(void)state;
	/* A parse of the full file first: its bits must not survive into the next. */
	assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
	assert_int_equal(s.ctr_have, IRQ_BITS);
	assert_int_equal(parse_fixture(parse_interrupts, "x86-up/interrupts", &s), 0);
	assert_int_equal(s.ctr_have, BIT(CTR_IRQ) | BIT(CTR_LOC));
	assert_int_equal(s.ctr_have & (BIT(CTR_RES) | BIT(CTR_CAL) | BIT(CTR_TLB)), 0);
	/* 42 + 9 + 1 + 156 + 2210 + 18811, and nothing of ERR: anywhere. */
	expect_irqs(&s, 0, 21229, 987123, 0, 0, 0);
	snapshot_free(&s);
}

/* powerpc prints two LOC: lines (timer event device, others): both are local timer ticks. */
static void test_ppc64_two_loc_lines(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "ppc64/interrupts", &s), 0);
	assert_int_equal(s.ctr_have, BIT(CTR_IRQ) | BIT(CTR_LOC));
	expect_irqs(&s, 0, 7890 + 4521 + 612, 312345 + 57, 0, 0, 0);
	expect_irqs(&s, 1, 8123 + 3311, 298765 + 43, 0, 0, 0);
	snapshot_free(&s);
}

/* Tabs, runs of blanks, trailing blanks, a label flush against its first number. */
static void test_odd_spacing(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "odd-spacing/interrupts", &s), 0);
	assert_int_equal(s.nr_ctrs, 3);
	assert_int_equal(s.ctr_have, IRQ_BITS);
	expect_irqs(&s, 0, 5 + 10, 100, 1, 7, 4);
	expect_irqs(&s, 1, 6 + 20, 200, 2, 8, 5);
	expect_irqs(&s, 2, 7 + 30, 300, 3, 9, 6);
	snapshot_free(&s);
}

/* A read cut short in the TLB: line: its second number is partial, so the line goes. */
static void test_truncated(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "truncated/interrupts", &s), 0);
	assert_int_equal(s.ctr_have, IRQ_BITS & ~BIT(CTR_TLB));
	expect_irqs(&s, 0, 4194, 558723, 44394, 198466, 0);
	expect_irqs(&s, 1, 68322, 645308, 41477, 171779, 0);

	/* The buffer ends right after a number: it may be cut, the line is not used. */
	assert_int_equal(parse_interrupts("CPU0 CPU1\nLOC: 5 6 Local timer interrupts\n"
					  "TLB: 7 8", &s), 0);
	assert_int_equal(s.ctr_have, BIT(CTR_LOC));
	/* After a blank, the number is whole. */
	assert_int_equal(parse_interrupts("CPU0 CPU1\nTLB: 7 8 ", &s), 0);
	assert_int_equal(s.ctr_have, BIT(CTR_TLB));
	assert_int_equal(s.ctrs[1].v[CTR_TLB], 8);
	/* Fewer numbers than columns. */
	assert_int_equal(parse_interrupts("CPU0 CPU1\nTLB: 7\n 9: 1\n", &s), 0);
	assert_int_equal(s.ctr_have, 0);
	snapshot_free(&s);
}

/* Counters of other sources share s->ctrs and s->ctr_have: neither may change. */
static void test_other_counters_untouched(void **state)
{
	struct snapshot s = {};
	uint32_t cpu;
	int ctr;

	(void)state;
	for (cpu = 0; cpu < 3; cpu++) {
		struct cpu_ctrs *c = snapshot_cpu_ctrs(&s, cpu);

		assert_non_null(c);
		c->v[CTR_CSW] = 1000 + cpu;
		c->v[CTR_PRE] = 2000 + cpu;
		c->v[CTR_SYSC] = 3000 + cpu;
		c->v[CTR_YLD] = 4000 + cpu;
		c->v[CTR_BUSY_NS] = 5000 + cpu;
		c->v[CTR_IDLE_NS] = 6000 + cpu;
		for (ctr = CTR_SOFTIRQ; ctr < CTR_NR; ctr++)
			c->v[ctr] = 7000 + cpu;
	}
	s.ctr_have = BIT(CTR_CSW) | BIT(CTR_SYSC) | BIT(CTR_IDLE_NS);

	assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
	assert_int_equal(s.nr_ctrs, 3);
	assert_int_equal(s.ctr_have, BIT(CTR_CSW) | BIT(CTR_SYSC) | BIT(CTR_IDLE_NS) | IRQ_BITS);
	for (cpu = 0; cpu < 3; cpu++) {
		const struct cpu_ctrs *c = &s.ctrs[cpu];

		assert_int_equal(c->v[CTR_CSW], 1000 + cpu);
		assert_int_equal(c->v[CTR_PRE], 2000 + cpu);
		assert_int_equal(c->v[CTR_SYSC], 3000 + cpu);
		assert_int_equal(c->v[CTR_YLD], 4000 + cpu);
		assert_int_equal(c->v[CTR_BUSY_NS], 5000 + cpu);
		assert_int_equal(c->v[CTR_IDLE_NS], 6000 + cpu);
		for (ctr = CTR_SOFTIRQ; ctr < CTR_NR; ctr++)
			assert_int_equal(c->v[ctr], 7000 + cpu);
	}
	expect_irqs(&s, 1, 68322, 645308, 41477, 171779, 11616);

	/* And the other way round: softirqs leave the interrupt counters alone. */
	assert_int_equal(parse_fixture(parse_softirqs, "x86-2cpu/softirqs", &s), 0);
	assert_int_equal(s.ctr_have & ~SOFTIRQ_BITS,
			 BIT(CTR_CSW) | BIT(CTR_SYSC) | BIT(CTR_IDLE_NS) | IRQ_BITS);
	expect_irqs(&s, 1, 68322, 645308, 41477, 171779, 11616);
	assert_int_equal(s.ctrs[1].v[CTR_CSW], 1001);
	assert_int_equal(s.ctrs[0].v[CTR_IDLE_NS], 6000);
	/* A CPU the file lacks keeps what it had. */
	assert_int_equal(s.ctrs[2].v[CTR_SOFTIRQ], 7002);
	snapshot_free(&s);
}

/* A snapshot is reused from one refresh to the next: the sums start over each time. */
static void test_reparse(void **state)
{
	struct snapshot s = {};
	struct cpu_ctrs *c;

	(void)state;
	assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
	assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
	expect_irqs(&s, 0, 4194, 558723, 44394, 198466, 11531);
	expect_irqs(&s, 1, 68322, 645308, 41477, 171779, 11616);

	/* Whatever the counters held before, a parse leaves the file's values. */
	c = snapshot_cpu_ctrs(&s, 0);
	assert_non_null(c);
	c->v[CTR_IRQ] = c->v[CTR_LOC] = c->v[CTR_TLB] = 999999999;
	assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
	expect_irqs(&s, 0, 4194, 558723, 44394, 198466, 11531);

	assert_int_equal(parse_fixture(parse_softirqs, "x86-2cpu/softirqs", &s), 0);
	assert_int_equal(parse_fixture(parse_softirqs, "x86-2cpu/softirqs", &s), 0);
	assert_int_equal(s.nr_softirqs, 10);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 9], 199099);
	snapshot_free(&s);
}

/* Only the lines and the text decide: labels without a colon, numbers with junk, ERR:. */
static void test_line_shapes(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_interrupts("           CPU0       CPU1\n"
					  " 1:          5          6   IO-APIC 1-edge i8042\n"
					  " 2          70         80   no colon\n"
					  " 3:         9x         10   junk after a number\n"
					  " 4a:       100        200   not a number label\n"
					  ":          300        400   empty label\n"
					  "LOC:        11         12   Local timer interrupts\n"
					  "XYZ:        13         14   Local timer interrupts\n"
					  "RES:        15         16   Local timer interrupts\n"
					  "IPI9:       17         18   TLB shootdowns\n"
					  "IPI8:       19         20   TLB shootdowns later\n"
					  "ERR:        21\n"
					  "MIS:        22\n", &s), 0);
	assert_int_equal(s.ctr_have, BIT(CTR_IRQ) | BIT(CTR_LOC) | BIT(CTR_RES) | BIT(CTR_TLB));
	/* LOC: and XYZ: by its text; RES: by its label, whatever its text says. */
	expect_irqs(&s, 0, 5, 11 + 13, 15, 0, 17);
	expect_irqs(&s, 1, 6, 12 + 14, 16, 0, 18);
	snapshot_free(&s);
}

/* Headers that name no CPU, or not as the kernel does. */
static void test_bad_header(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"   \n 0: 1 2\n",
		" 0:          1          2\n",
		"cpu0 cpu1\n",
		"CPU\n",
		"CPUx\n",
		"CPU-1\n",
		"CPU0 CPU1x\n",
		"CPU0 junk\n",
		"CPU0 CPU1:\n",
		"CPU65536\n",
		"CPU0 CPU99999999999999999999999\n",
		"CPU1 CPU0\n",
		"CPU0 CPU0\n",
		"CPU0 CPU1",		/* cut: "CPU1" may be "CPU12" */
	};
	struct snapshot s = {};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* A failed parse claims nothing, even after a good one. */
		assert_int_equal(parse_fixture(parse_interrupts, "x86-2cpu/interrupts", &s), 0);
		assert_int_equal(parse_fixture(parse_softirqs, "x86-2cpu/softirqs", &s), 0);
		s.ctr_have |= BIT(CTR_CSW);
		if (parse_interrupts(bad[i], &s) != -EINVAL)
			fail_msg("interrupts header \"%s\" accepted", bad[i]);
		if (parse_softirqs(bad[i], &s) != -EINVAL)
			fail_msg("softirqs header \"%s\" accepted", bad[i]);
		assert_int_equal(s.ctr_have, BIT(CTR_CSW));
		assert_int_equal(s.nr_softirqs, 0);
	}
	snapshot_free(&s);
}

/* The highest CPU number accepted is 65535, and the array grows to reach it. */
static void test_header_limit(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_interrupts("CPU0 CPU65535\nTLB: 1 2 TLB shootdowns\n", &s), 0);
	assert_int_equal(s.nr_ctrs, 65536);
	assert_int_equal(s.ctrs[0].v[CTR_TLB], 1);
	assert_int_equal(s.ctrs[1].v[CTR_TLB], 0);
	assert_int_equal(s.ctrs[65535].v[CTR_TLB], 2);
	snapshot_free(&s);
}

/* ---- /proc/softirqs ---- */

static const char *const softirqs_now[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"
};

static void expect_names(const struct snapshot *s, const char *const *names, uint32_t nr)
{
	uint32_t k;

	assert_int_equal(s->nr_softirqs, nr);
	for (k = 0; k < nr; k++)
		assert_string_equal(s->softirq_names[k], names[k]);
	assert_int_equal(s->ctr_have & SOFTIRQ_BITS, ((1ull << nr) - 1) << CTR_SOFTIRQ);
}

static void test_softirqs_x86_2cpu(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_softirqs, "x86-2cpu/softirqs", &s), 0);
	expect_names(&s, softirqs_now, 10);
	assert_int_equal(s.ctr_have, SOFTIRQ_BITS & ((1ull << (CTR_SOFTIRQ + 10)) - 1));
	assert_int_equal(s.ctr_have & BIT(CTR_SOFTIRQ + 10), 0);
	assert_int_equal(s.nr_ctrs, 2);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 0], 0);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 1], 77898);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 1], 104966);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 2], 4);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 3], 915);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 4], 55374);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 6], 3);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 7], 245792);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 7], 221723);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 9], 208030);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 9], 199099);
	/* Not a kind of this file. */
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 10], 0);
	snapshot_free(&s);
}

/* /proc/softirqs lists possible CPUs: the offline CPU5 has a column, with its old counts. */
static void test_softirqs_16cpu(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_softirqs, "x86-16cpu/softirqs", &s), 0);
	expect_names(&s, softirqs_now, 10);
	assert_int_equal(s.nr_ctrs, 16);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 1], 412233);
	assert_int_equal(s.ctrs[5].v[CTR_SOFTIRQ + 1], 12001);
	assert_int_equal(s.ctrs[6].v[CTR_SOFTIRQ + 1], 354433);
	assert_int_equal(s.ctrs[5].v[CTR_SOFTIRQ + 3], 14);
	assert_int_equal(s.ctrs[15].v[CTR_SOFTIRQ + 3], 2944);
	assert_int_equal(s.ctrs[15].v[CTR_SOFTIRQ + 8], 1);
	assert_int_equal(s.ctrs[15].v[CTR_SOFTIRQ + 9], 510987);
	snapshot_free(&s);
}

/* 2.6.31, the first kernel with /proc/softirqs: 9 kinds, before BLOCK_IOPOLL/IRQ_POLL. */
static void test_softirqs_old_kernel(void **state)
{
	static const char *const names[] = {
		"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "TASKLET", "SCHED", "HRTIMER", "RCU"
	};
	struct snapshot s = {};

	(void)state;
	/* After a newer file's 10 kinds, the tenth must be gone. */
	assert_int_equal(parse_fixture(parse_softirqs, "x86-2cpu/softirqs", &s), 0);
	assert_int_equal(parse_fixture(parse_softirqs, "linux-2.6.31/softirqs", &s), 0);
	expect_names(&s, names, 9);
	assert_int_equal(s.ctr_have & BIT(CTR_SOFTIRQ + 9), 0);
	assert_int_equal(s.nr_ctrs, 4);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 1], 1234567);
	assert_int_equal(s.ctrs[3].v[CTR_SOFTIRQ + 1], 901234);
	assert_int_equal(s.ctrs[3].v[CTR_SOFTIRQ + 2], 6);
	/* TASKLET is the sixth kind here, not the seventh. */
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 5], 12);
	assert_int_equal(s.ctrs[2].v[CTR_SOFTIRQ + 6], 323456);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 7], 678);
	assert_int_equal(s.ctrs[3].v[CTR_SOFTIRQ + 8], 534567);
	snapshot_free(&s);
}

static void test_softirqs_odd_spacing(void **state)
{
	static const char *const names[] = { "HI", "TIMER", "NET_RX", "RCU" };
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_softirqs, "odd-spacing/softirqs", &s), 0);
	expect_names(&s, names, 4);
	assert_int_equal(s.ctrs[2].v[CTR_SOFTIRQ + 0], 2);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 1], 10);
	assert_int_equal(s.ctrs[2].v[CTR_SOFTIRQ + 1], 12);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 2], 8);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 3], 40);
	assert_int_equal(s.ctrs[2].v[CTR_SOFTIRQ + 3], 42);
	snapshot_free(&s);
}

/* Cut in the RCU line: nine kinds remain. */
static void test_softirqs_truncated(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_fixture(parse_softirqs, "truncated/softirqs", &s), 0);
	expect_names(&s, softirqs_now, 9);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 8], 0);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 7], 245792);
	snapshot_free(&s);
}

/*
 * Names end up on a terminal: escape sequences, other bytes and overlong names are skipped,
 * as are lines short of numbers; none of them takes a slot.
 */
static void test_softirqs_hostile_names(void **state)
{
	static const char *const names[] = { "HI", "A_15_CHARS_NAME", "timer2", "RCU" };
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_softirqs("                    CPU0       CPU1\n"
					"          HI:          1          2\n"
					"  \x1b[2J\x1b[H:          3          4\n"
					"      NET-TX:          5          6\n"
					"      NET RX:          7          8\n"
					"   BL\xc3\x96""CK:          9         10\n"
					"A_16_CHARS_NAME_:         11         12\n"
					"A_15_CHARS_NAME:         13         14\n"
					"       SHORT:         15\n"
					"      timer2:         17         18\n"
					"       BAD\t:         19         20\n"
					"         RCU:         21         22\n", &s), 0);
	expect_names(&s, names, 4);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 0], 1);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 1], 14);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 2], 17);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + 3], 22);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 4], 0);
	snapshot_free(&s);
}

/* More kinds than SOFTIRQ_MAX: the first ones are kept, in order, and no bit overflows. */
static void test_softirqs_too_many(void **state)
{
	char buf[4096], names[SOFTIRQ_MAX + 4][SOFTIRQ_NAME_LEN];
	const char *expect[SOFTIRQ_MAX];
	struct snapshot s = {};
	size_t len;
	int k;

	(void)state;
	len = snprintf(buf, sizeof(buf), "CPU0 CPU1\n");
	for (k = 0; k < SOFTIRQ_MAX + 4; k++) {
		snprintf(names[k], sizeof(names[k]), "KIND%d", k);
		len += snprintf(buf + len, sizeof(buf) - len, "%12s: %10d %10d\n", names[k],
				k, 100 + k);
	}
	assert_true(len < sizeof(buf));
	for (k = 0; k < SOFTIRQ_MAX; k++)
		expect[k] = names[k];
	s.ctr_have = BIT(CTR_SOFTIRQ) - 1;	/* every counter below the softirqs */
	assert_int_equal(parse_softirqs(buf, &s), 0);
	expect_names(&s, expect, SOFTIRQ_MAX);
	assert_int_equal(s.ctr_have, (1ull << CTR_NR) - 1);
	assert_int_equal(s.ctrs[1].v[CTR_SOFTIRQ + SOFTIRQ_MAX - 1], 100 + SOFTIRQ_MAX - 1);
	assert_int_equal(s.ctrs[0].v[CTR_SOFTIRQ + 5], 5);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_2cpu),
		cmocka_unit_test(test_x86_offline_cpu),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_missing_rows),
		cmocka_unit_test(test_ppc64_two_loc_lines),
		cmocka_unit_test(test_odd_spacing),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_counters_untouched),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_line_shapes),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_header_limit),
		cmocka_unit_test(test_softirqs_x86_2cpu),
		cmocka_unit_test(test_softirqs_16cpu),
		cmocka_unit_test(test_softirqs_old_kernel),
		cmocka_unit_test(test_softirqs_odd_spacing),
		cmocka_unit_test(test_softirqs_truncated),
		cmocka_unit_test(test_softirqs_hostile_names),
		cmocka_unit_test(test_softirqs_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
