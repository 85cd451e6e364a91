// SPDX-License-Identifier: GPL-2.0
/*
 * model/metrics.c: the kinds' names, and the rates between two hand-made reads with the lines
 * that show them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/metrics.h"
#include "metrics_util.h"

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(metric_names[MET_FREQ], "freq");
	assert_string_equal(metric_names[MET_TEMP], "temp");
	assert_string_equal(metric_names[MET_NET], "net");
	assert_string_equal(metric_names[MET_DISK], "disk");
	assert_string_equal(metric_names[MET_VMSTAT], "vmstat");
}

/* ---- rates ---- */

static void set_net(struct met_net *n, const char *name, uint64_t base)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->rx_bytes = base;
	n->rx_packets = base / 100;
	n->rx_errs = 1;
	n->rx_drop = 2;
	n->tx_bytes = base / 2;
	n->tx_packets = base / 1000;
	n->tx_errs = 3;
	n->tx_drop = 4;
}

/* Two reads 2 s apart: eth0 stays, wlan0 goes, usb0 appears, tun0 was reset. */
static void test_rate_net(void **state)
{
	struct metrics *prev = new_metrics(), *cur = new_metrics();
	struct metrics_rates r;

	(void)state;
	prev->st[MET_NET].ok = cur->st[MET_NET].ok = true;
	prev->nr_nets = 3;
	set_net(&prev->nets[0], "eth0", 1000000);
	set_net(&prev->nets[1], "wlan0", 5000);
	set_net(&prev->nets[2], "tun0", 900000);
	cur->nr_nets = 3;
	set_net(&cur->nets[0], "usb0", 7000);
	set_net(&cur->nets[1], "tun0", 100);
	set_net(&cur->nets[2], "eth0", 1000000);
	cur->nets[2].rx_bytes += 2400000;
	cur->nets[2].rx_packets += 300;
	cur->nets[2].tx_bytes += 6800;
	cur->nets[2].tx_packets += 160;
	cur->nets[2].rx_errs += 4;
	cur->nets[2].tx_errs += 2;
	cur->nets[2].tx_drop += 10;

	metrics_rate(&r, prev, cur, 2.0);
	assert_true(r.st[MET_NET].ok);
	assert_int_equal(r.nr_nets, 3);
	assert_false(r.net[0].have);		/* usb0 is new: no rate yet */
	assert_true(r.net[1].have);		/* tun0 went back: rates 0 */
	assert_true(r.net[1].rx_bps == 0 && r.net[1].tx_bps == 0);
	assert_true(r.net[1].rx_pps == 0 && r.net[1].tx_pps == 0);
	/* Its errs and drops did not go back: they did not move either. */
	assert_true(r.net[1].errs == 0 && r.net[1].drops == 0);
	assert_true(r.net[2].have);
	assert_true(r.net[2].rx_bps == 1200000);
	assert_true(r.net[2].tx_bps == 3400);
	assert_true(r.net[2].rx_pps == 150);
	assert_true(r.net[2].tx_pps == 80);
	assert_true(r.net[2].errs == 3);
	assert_true(r.net[2].drops == 5);
	/* eth0 is the busiest; the others are "+2 more". */
	expect_line(MET_NET, cur, &r,
		    "Net: eth0 rx 1.2 MB/s 150 p/s tx 3.4 kB/s 80 p/s, 3 err/s 5 drop/s, +2 more");

	/* Without an earlier read, or over no time, there is no rate. */
	metrics_rate(&r, NULL, cur, 2.0);
	assert_false(r.net[2].have);
	expect_line(MET_NET, cur, &r, "Net: usb0 (no rate yet), +2 more");
	metrics_rate(&r, prev, cur, 0);
	assert_false(r.net[2].have);
	/* Nor when the earlier read had no network. */
	prev->st[MET_NET].ok = false;
	metrics_rate(&r, prev, cur, 2.0);
	assert_false(r.net[2].have);
	free(prev);
	free(cur);
}

static void test_rate_disk(void **state)
{
	struct metrics *prev = new_metrics(), *cur = new_metrics();
	struct metrics_rates r;

	(void)state;
	prev->st[MET_DISK].ok = cur->st[MET_DISK].ok = true;
	prev->nr_disks = 4;
	set_disk(&prev->disks[0], "vda", 1000, 50000, 700, 500, 9000, 300);
	/* Its ms were about to wrap at 2^32. */
	set_disk(&prev->disks[1], "sdb", 10, 100, 4294967290u, 10, 100, 5);
	set_disk(&prev->disks[2], "sdc", 500, 500, 500, 500, 500, 500);
	set_disk(&prev->disks[3], "sdd", 1, 1, 1, 1, 1, 1);
	cur->nr_disks = 4;
	/*
	 * Over 4 s: 48 reads, 8000 sectors, 40 ms; 16 writes, 1600 sectors, 12 ms. The mean
	 * latency is (40 + 12) ms / 64 I/Os.
	 */
	set_disk(&cur->disks[0], "vda", 1048, 58000, 740, 516, 10600, 312);
	set_disk(&cur->disks[1], "sdb", 14, 100, 4, 10, 100, 5);	/* 10 ms over the wrap */
	set_disk(&cur->disks[2], "sdc", 5, 5, 5, 5, 5, 5);		/* a new disk, same name */
	set_disk(&cur->disks[3], "sde", 9, 9, 9, 9, 9, 9);		/* new: sdd has gone */

	metrics_rate(&r, prev, cur, 4.0);
	assert_int_equal(r.nr_disks, 4);
	assert_true(r.disk[0].have);
	assert_true(r.disk[0].rd_bps == 8000 * 512 / 4.0);
	assert_true(r.disk[0].wr_bps == 1600 * 512 / 4.0);
	assert_true(r.disk[0].rd_iops == 12);
	assert_true(r.disk[0].wr_iops == 4);
	assert_true(r.disk[0].lat_ms == 52.0 / 64);

	assert_true(r.disk[1].have);
	assert_true(r.disk[1].rd_iops == 1);
	assert_true(r.disk[1].lat_ms == 10.0 / 4);

	assert_true(r.disk[2].have);
	assert_true(r.disk[2].rd_bps == 0 && r.disk[2].wr_bps == 0);
	assert_true(r.disk[2].rd_iops == 0 && r.disk[2].wr_iops == 0);
	assert_true(r.disk[2].lat_ms == 0);

	assert_false(r.disk[3].have);

	/* 1.024 MB/s read, 204.8 kB/s written, 52/64 = 0.8125 ms. */
	expect_line(MET_DISK, cur, &r, "Disk: vda r 1.0 MB/s 12 IOPS w 205 kB/s 4 IOPS 0.8 ms, "
		    "+3 more");

	/* No I/O: latency 0, not a division by zero. */
	metrics_rate(&r, prev, prev, 1.0);
	assert_true(r.disk[0].have);
	assert_true(r.disk[0].lat_ms == 0);
	expect_line(MET_DISK, prev, &r, "Disk: vda r 0 B/s 0 IOPS w 0 B/s 0 IOPS 0.0 ms, +3 more");
	free(prev);
	free(cur);
}

static void test_rate_vmstat(void **state)
{
	struct metrics *prev = new_metrics(), *cur = new_metrics();
	struct metrics_rates r;

	(void)state;
	prev->st[MET_VMSTAT].ok = cur->st[MET_VMSTAT].ok = true;
	prev->vm = (struct met_vmstat){ 100, 1000, 5, 7, 40 };
	cur->vm = (struct met_vmstat){ 150, 1200, 5, 27, 55 };
	metrics_rate(&r, prev, cur, 5.0);
	assert_true(r.vm.have);
	assert_true(r.vm.in_bps == 50 * 1024 / 5.0);	/* KiB, not pages */
	assert_true(r.vm.out_bps == 200 * 1024 / 5.0);
	assert_true(r.vm.swpin_pps == 0);
	assert_true(r.vm.swpout_pps == 4);
	assert_true(r.vm.majflt == 3);
	expect_line(MET_VMSTAT, cur, &r,
		    "Paging: in 10 kB/s out 41 kB/s, swap in 0 out 4 pages/s, 3 major faults/s");
	expect_line(MET_VMSTAT, cur, NULL, "Paging: no rate yet");

	/* A counter that went back: 0, the others unaffected. */
	cur->vm.pgpgout_kib = 10;
	metrics_rate(&r, prev, cur, 5.0);
	assert_true(r.vm.out_bps == 0);
	assert_true(r.vm.in_bps == 10240);
	assert_true(r.vm.majflt == 3);

	cur->st[MET_VMSTAT].ok = false;
	metrics_rate(&r, prev, cur, 5.0);
	assert_false(r.vm.have);
	assert_false(r.st[MET_VMSTAT].ok);
	free(prev);
	free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_rate_net),
		cmocka_unit_test(test_rate_disk),
		cmocka_unit_test(test_rate_vmstat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
