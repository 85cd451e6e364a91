// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/interrupts and /proc/softirqs: per-CPU counts of hardware interrupts by kind and of
 * softirqs by kind (proc(5)). Both files are a table: a header naming one "CPU<n>" column per
 * CPU, then one line per source, "label:" followed by a number in each column.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source/procfs/procfs.h"
#include "lib/scan.h"

/* As parse_stat(): a bound on what a malformed header can make us allocate. */
#define MAX_CPUS 65536

/* The bits of snapshot.ctr_have each file provides; the others belong to other sources. */
#define IRQ_HAVE	(((1ull << (CTR_TLB + 1 - CTR_IRQ)) - 1) << CTR_IRQ)
#define SOFTIRQ_HAVE	(((1ull << SOFTIRQ_MAX) - 1) << CTR_SOFTIRQ)

/* A column: the CPU the header names, and its number on the line at hand. */
struct col {
	uint32_t cpu;
	uint64_t val;
};

struct table {
	struct col *cols;
	uint32_t nr;
	const char *next;	/* the line after the one last read */
};

/* A piece of the buffer, not NUL-terminated. */
struct span {
	const char *s;
	size_t len;
};

/*
 * The header: "CPU<n>" for each CPU the kernel prints, in increasing order since it walks a
 * cpumask. /proc/interrupts has online CPUs only, so numbers may skip; /proc/softirqs has
 * every possible CPU. Fills @cols when it is not NULL; returns the number of columns, or
 * -EINVAL (a header cut before its newline is one: its last number may be partial).
 */
static int parse_header(const char *p, struct col *cols)
{
	uint64_t cpu, next = 0;
	int nr = 0;

	for (;;) {
		p = scan_blanks(p);
		if (*p == '\n')
			break;
		if (strncmp(p, "CPU", 3))
			return -EINVAL;
		p = scan_dec(p + 3, &cpu);
		if (!p || cpu >= MAX_CPUS || cpu < next)
			return -EINVAL;
		if (cols)
			cols[nr].cpu = cpu;
		next = cpu + 1;
		nr++;
	}
	return nr ? nr : -EINVAL;
}

/*
 * Read the header of @buf and make room in s->ctrs for every CPU it names; 0 or -errno. The
 * last column has the highest number, so growing the array once for it is enough: the columns
 * can then index s->ctrs directly.
 */
static int table_open(struct table *t, const char *buf, struct snapshot *s)
{
	int nr = parse_header(buf, NULL);

	if (nr < 0)
		return nr;
	t->cols = malloc(nr * sizeof(*t->cols));
	if (!t->cols)
		return -ENOMEM;
	parse_header(buf, t->cols);
	t->nr = nr;
	t->next = strchr(buf, '\n') + 1;
	if (!snapshot_cpu_ctrs(s, t->cols[nr - 1].cpu)) {
		free(t->cols);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The next line with a label and a number for every column, into t->cols[].val; @text gets
 * what follows the numbers, blanks trimmed. Other lines are passed over: x86's ERR: and MIS:
 * have one system-wide number, and the last line of a cut file may have lost some.
 */
static bool table_next(struct table *t, struct span *label, struct span *text)
{
	while (*t->next) {
		const char *p = scan_blanks(t->next), *end = strchrnul(t->next, '\n');
		uint32_t i;

		t->next = *end ? end + 1 : end;
		label->s = p;
		while (*p && *p != ':' && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (*p != ':' || p == label->s)
			continue;
		label->len = p - label->s;
		p++;
		for (i = 0; i < t->nr && p; i++)
			p = scan_dec(scan_blanks(p), &t->cols[i].val);
		if (!p)
			continue;
		p = scan_blanks(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		text->s = p;
		text->len = end - p;
		return true;
	}
	return false;
}

static bool span_is(const struct span *sp, const char *str)
{
	return sp->len == strlen(str) && !memcmp(sp->s, str, sp->len);
}

static bool all_digits(const struct span *sp)
{
	size_t i;

	for (i = 0; i < sp->len; i++) {
		if (!isdigit((unsigned char)sp->s[i]))
			return false;
	}
	return true;
}

/*
 * The counter a line of /proc/interrupts adds to, or -1. Numbered lines are device
 * interrupts. x86 names its per-CPU kinds with three letters; arm64 and others number their
 * IPIs ("IPI0:") and count their local timer on a numbered line, but every architecture
 * describes the kinds cputop shows with the same words after the numbers.
 */
static int irq_ctr(const struct span *label, const struct span *text)
{
	static const struct {
		enum cpu_ctr ctr;
		const char *label;
		const char *text;
	} kinds[] = {
		{ CTR_LOC, "LOC", "Local timer interrupts" },
		{ CTR_RES, "RES", "Rescheduling interrupts" },
		{ CTR_CAL, "CAL", "Function call interrupts" },
		{ CTR_TLB, "TLB", "TLB shootdowns" },
	};
	size_t i;

	if (all_digits(label))
		return CTR_IRQ;
	/* The label first: it names the line, whatever its text says. */
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (span_is(label, kinds[i].label))
			return kinds[i].ctr;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (span_is(text, kinds[i].text))
			return kinds[i].ctr;
	}
	return -1;
}

int parse_interrupts(const char *buf, struct snapshot *s)
{
	struct span label, text;
	struct table t;
	uint32_t i;
	int err, ctr;

	s->ctr_have &= ~IRQ_HAVE;
	err = table_open(&t, buf, s);
	if (err)
		return err;
	/*
	 * Every line of a kind adds to it: device interrupts have one line each, and powerpc
	 * splits its local timer over two LOC: lines.
	 */
	for (i = 0; i < t.nr; i++) {
		for (ctr = CTR_IRQ; ctr <= CTR_TLB; ctr++)
			s->ctrs[t.cols[i].cpu].v[ctr] = 0;
	}
	while (table_next(&t, &label, &text)) {
		ctr = irq_ctr(&label, &text);
		if (ctr < 0)
			continue;
		for (i = 0; i < t.nr; i++)
			s->ctrs[t.cols[i].cpu].v[ctr] += t.cols[i].val;
		s->ctr_have |= 1ull << ctr;
	}
	free(t.cols);
	return 0;
}

/* The name is shown on a terminal: only the characters of the kernel's names pass. */
static bool softirq_name_ok(const struct span *name)
{
	size_t i;

	if (name->len >= SOFTIRQ_NAME_LEN)
		return false;
	for (i = 0; i < name->len; i++) {
		char c = name->s[i];

		if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') &&
		    !(c >= '0' && c <= '9') && c != '_')
			return false;
	}
	return true;
}

int parse_softirqs(const char *buf, struct snapshot *s)
{
	struct span name, text;
	struct table t;
	uint32_t i, k;
	int err;

	s->nr_softirqs = 0;
	s->ctr_have &= ~SOFTIRQ_HAVE;
	err = table_open(&t, buf, s);
	if (err)
		return err;
	while (table_next(&t, &name, &text)) {
		if (s->nr_softirqs == SOFTIRQ_MAX || !softirq_name_ok(&name))
			continue;
		k = s->nr_softirqs++;
		memcpy(s->softirq_names[k], name.s, name.len);
		s->softirq_names[k][name.len] = '\0';
		for (i = 0; i < t.nr; i++)
			s->ctrs[t.cols[i].cpu].v[CTR_SOFTIRQ + k] = t.cols[i].val;
		s->ctr_have |= 1ull << (CTR_SOFTIRQ + k);
	}
	free(t.cols);
	return 0;
}
