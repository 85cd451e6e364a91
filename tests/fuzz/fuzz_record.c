// SPDX-License-Identifier: GPL-2.0
/*
 * record_decode() on a payload, as a key frame and as a delta against a small snapshot; what
 * decodes is encoded again, and must decode to the same snapshot: a delta between the two
 * decoded snapshots is one run of unchanged tasks, or nothing (not a byte of cgroups).
 */
#include <errno.h>
#include <stdio.h>

#include "fuzz.h"
#include "model/record.h"

static struct snapshot prev;

/*
 * Three tasks, two CPUs and their counters, a few metrics, three cgroups: something for deltas
 * to change.
 */
static void prev_make(struct snapshot *s)
{
	static const char *const comm[] = { "init", "sshd", "sshd-worker" };
	static const uint32_t id[][2] = { { 1, 1 }, { 400, 400 }, { 400, 401 } };
	static const char *const path[] = { "/", "/system.slice", "/system.slice/ssh.service" };
	static const uint64_t cg[] = { 1, 40, 47 };

	snapshot_begin(s);
	s->ts_ns = 1000000000000ull;
	s->wall_ns = 1700000000000000000ll;
	s->nr_cpus = s->cap_cpus = 2;
	s->cpus = calloc(2, sizeof(*s->cpus));
	if (!s->cpus || !snapshot_cpu_ctrs(s, 1))
		abort();
	s->cpus[1].t[CPU_USER] = 12345;
	s->ctrs[0].v[CTR_CSW] = 999;
	s->sys.nr_nets = 1;
	snprintf(s->sys.nets[0].name, sizeof(s->sys.nets[0].name), "eth0");
	s->sys.nets[0].rx_bytes = 1 << 20;
	s->sys.freq.nr = 2;
	s->sys.freq.khz[0] = s->sys.freq.khz[1] = 2400000;
	snprintf(s->source_kind, sizeof(s->source_kind), "ebpf");
	s->caps = SNAP_CAP_CGROUPS;
	s->psi.some_us = 5000000;
	for (int i = 0; i < 3; i++) {
		struct snap_cgroup *c = snapshot_add_cgroup(s, cg[i], i ? cg[i - 1] : 0, path[i]);

		if (!c)
			abort();
		c->have = CG_HAVE_THROTTLE | CG_HAVE_PSI;
		c->nr_periods = 1000 * i;
		c->psi.some_us = 3000 * i;
		c->psi.some_avg10 = 50 * i;
	}
	for (int i = 0; i < 3; i++) {
		struct snap_task *t = snapshot_add_task(s);

		if (!t)
			abort();
		t->tid = id[i][1];
		t->tgid = id[i][0];
		t->start_ns = 5000000000ull * (i + 1);
		t->leader_start_ns = 5000000000ull * (i ? 2 : 1);
		t->cpu_ns = 123456789ull * (i + 1);
		t->state = 'S';
		t->cgroup_id = cg[i ? 2 : 0];
		snprintf(t->comm, sizeof(t->comm), "%s", comm[i]);
	}
}

/* Whether @b is the payload of a snapshot of @nr tasks against itself: SAME (tag 1) @nr. */
static bool same_run(const struct record_buf *b, size_t nr)
{
	uint8_t want[11] = { 1 << 3 };
	size_t n = 1;

	if (!nr)
		return !b->len;
	for (; nr >= 0x80; nr >>= 7)
		want[n++] = nr | 0x80;
	want[n++] = nr;
	return b->len == n && !memcmp(b->p, want, n);
}

/* @data against @base; what decodes must encode and decode to itself. */
static void check(const uint8_t *data, size_t size, const struct snapshot *base)
{
	struct snapshot a = { 0 }, b = { 0 };
	struct record_buf buf = { 0 };
	int err;

	err = record_decode(&a, base, data, size);
	if (err && err != -EBADMSG)
		abort();
	if (!err) {
		if (record_encode(&buf, base, &a) || record_decode(&b, base, buf.p, buf.len))
			abort();
		/* b is a to the last field: nothing to say about it but that its tasks are a's. */
		if (record_encode(&buf, &a, &b) || !same_run(&buf, a.nr_tasks))
			abort();
	}
	record_buf_free(&buf);
	snapshot_free(&a);
	snapshot_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!prev.nr_tasks)
		prev_make(&prev);
	check(data, size, NULL);
	check(data, size, &prev);
	return 0;
}
