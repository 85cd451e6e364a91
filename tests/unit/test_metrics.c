// SPDX-License-Identifier: GPL-2.0
/*
 * source/procfs/metrics.c: the collectors on the trees of tests/fixtures/metrics (full: every
 * source; bare: no cpufreq, hwmon or thermal zone, like a small VM; broken: malformed sources;
 * empty: none; renamed-lo: a loopback interface not called "lo") and on trees made at run
 * time; the pure parsers on buffers. Expected values are the fixtures' numbers worked out by
 * hand. Rates and lines on hand-made reads: test_metrics_rate.c, test_metrics_line.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "source/procfs/metrics.h"
#include "fixture.h"
#include "metrics_util.h"

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("cannot open %s", path);
	return fd;
}

/* metrics_read() on tests/fixtures/metrics/@tree/{proc,sys}; without sys when !@with_sys. */
static void read_tree(const char *tree, bool with_sys, struct metrics *m)
{
	char rel[128];
	int proc_fd, sys_fd = -1;

	snprintf(rel, sizeof(rel), "metrics/%s/proc", tree);
	proc_fd = open_dir(fixture(rel));
	if (with_sys) {
		snprintf(rel, sizeof(rel), "metrics/%s/sys", tree);
		sys_fd = open_dir(fixture(rel));
	}
	assert_int_equal(metrics_read(m, proc_fd, sys_fd), 0);
	close(proc_fd);
	if (sys_fd >= 0)
		close(sys_fd);
}

static void expect_ok(const struct metrics *m, enum metric_kind k)
{
	if (!m->st[k].ok)
		fail_msg("%s unavailable: %s", metric_names[k], m->st[k].why);
	assert_string_equal(m->st[k].why, "");
}

static void expect_unavailable(const struct metrics *m, enum metric_kind k, const char *why)
{
	assert_false(m->st[k].ok);
	assert_string_equal(m->st[k].why, why);
}

static void expect_net(const struct met_net *n, const char *name, uint64_t rx_bytes,
		       uint64_t rx_packets, uint64_t rx_errs, uint64_t rx_drop, uint64_t tx_bytes,
		       uint64_t tx_packets, uint64_t tx_errs, uint64_t tx_drop)
{
	assert_string_equal(n->name, name);
	assert_int_equal(n->rx_bytes, rx_bytes);
	assert_int_equal(n->rx_packets, rx_packets);
	assert_int_equal(n->rx_errs, rx_errs);
	assert_int_equal(n->rx_drop, rx_drop);
	assert_int_equal(n->tx_bytes, tx_bytes);
	assert_int_equal(n->tx_packets, tx_packets);
	assert_int_equal(n->tx_errs, tx_errs);
	assert_int_equal(n->tx_drop, tx_drop);
}

static void expect_disk(const struct met_disk *d, const char *name, uint64_t rd_ios,
			uint64_t rd_sectors, uint64_t rd_ms, uint64_t wr_ios, uint64_t wr_sectors,
			uint64_t wr_ms)
{
	assert_string_equal(d->name, name);
	assert_int_equal(d->rd_ios, rd_ios);
	assert_int_equal(d->rd_sectors, rd_sectors);
	assert_int_equal(d->rd_ms, rd_ms);
	assert_int_equal(d->wr_ios, wr_ios);
	assert_int_equal(d->wr_sectors, wr_sectors);
	assert_int_equal(d->wr_ms, wr_ms);
}

static void expect_temp(const struct met_temp *t, const char *name, int32_t mdegc)
{
	assert_string_equal(t->name, name);
	assert_int_equal(t->mdegc, mdegc);
}

/* ---- the fixture trees ---- */

/*
 * Every source there. cpu2 has no cpufreq directory: unknown, not taken from cpuinfo; the
 * cpufreq/ and cpuidle/ directories beside the CPUs are no CPUs.
 */
static void test_full(void **state)
{
	struct metrics *m = new_metrics();
	int k;

	(void)state;
	read_tree("full", true, m);
	for (k = 0; k < MET_NR; k++)
		expect_ok(m, k);

	assert_string_equal(m->freq.source, "cpufreq");
	assert_int_equal(m->freq.nr, 4);
	assert_int_equal(m->freq.more, 0);
	assert_int_equal(m->freq.khz[0], 2995000);
	assert_int_equal(m->freq.khz[1], 2994000);
	assert_int_equal(m->freq.khz[2], 0);
	assert_int_equal(m->freq.khz[3], 3400000);

	/* hwmon0 by channel number (temp10 after temp2), hwmon1, then the zones. */
	assert_int_equal(m->nr_temps, 6);
	assert_int_equal(m->temps_more, 0);
	assert_int_equal(m->temps_bad, 0);
	expect_temp(&m->temps[0], "coretemp/Package id 0", 52000);
	expect_temp(&m->temps[1], "coretemp/temp2", 47500);
	expect_temp(&m->temps[2], "coretemp/Core 8", 61000);
	expect_temp(&m->temps[3], "acpitz/temp1", 27800);
	expect_temp(&m->temps[4], "thermal/x86_pkg_temp", 53000);
	expect_temp(&m->temps[5], "thermal/battery", -5500);

	/* lo is out; wlan0's byte count touches its colon. */
	assert_int_equal(m->nr_nets, 2);
	assert_int_equal(m->nets_more, 0);
	assert_int_equal(m->nets_bad, 0);
	expect_net(&m->nets[0], "eth0", 1000000000, 2000000, 3, 4, 50000000, 1000000, 9, 10);
	expect_net(&m->nets[1], "wlan0", 12345678901ull, 9876543, 21, 22, 98765432, 123456, 29,
		   30);

	/* No loop0, ram0 or partitions; dm-0 has the 14 fields of kernels before 4.18. */
	assert_int_equal(m->nr_disks, 5);
	assert_int_equal(m->disks_more, 0);
	assert_int_equal(m->disks_bad, 0);
	expect_disk(&m->disks[0], "sda", 1000, 80000, 5000, 2000, 160000, 9000);
	expect_disk(&m->disks[1], "nvme0n1", 50000, 4000000, 25000, 30000, 2400000, 60000);
	expect_disk(&m->disks[2], "dm-0", 700, 56000, 3500, 1500, 120000, 7000);
	/* In /sys/block as cciss!c0d0. */
	expect_disk(&m->disks[3], "cciss/c0d0", 300, 24000, 900, 400, 32000, 1600);
	expect_disk(&m->disks[4], "zram0", 60, 480, 1, 70, 560, 2);

	/* pgmajfault_extra is another key. */
	assert_int_equal(m->vm.pgpgin_kib, 1716649);
	assert_int_equal(m->vm.pgpgout_kib, 2586480);
	assert_int_equal(m->vm.pswpin, 12);
	assert_int_equal(m->vm.pswpout, 34);
	assert_int_equal(m->vm.pgmajfault, 1531);

	expect_line(MET_FREQ, m, NULL, "Freq: 3130 MHz avg (2994-3400, cpufreq)");
	expect_line(MET_TEMP, m, NULL, "Temp: coretemp/Core 8 61.0 C, +5 more");
	free(m);
}

/*
 * No /sys: the frequency comes from cpuinfo, there are no sensors, "lo" still goes by its
 * name, and partitions cannot be told from disks (loop and ram devices still go).
 */
static void test_full_without_sys(void **state)
{
	static const char *const disks[] = {
		"sda", "sda1", "nvme0n1", "nvme0n1p1", "dm-0", "cciss/c0d0", "zram0"
	};
	struct metrics *m = new_metrics();
	uint32_t i;

	(void)state;
	read_tree("full", false, m);
	expect_ok(m, MET_FREQ);
	assert_string_equal(m->freq.source, "cpuinfo");
	assert_int_equal(m->freq.nr, 4);
	assert_int_equal(m->freq.khz[0], 2994375);
	assert_int_equal(m->freq.khz[1], 2995000);
	assert_int_equal(m->freq.khz[2], 2996500);
	assert_int_equal(m->freq.khz[3], 800000);
	/* (2994375 + 2995000 + 2996500 + 800000) / 4 = 2446468.75 kHz; 2996.5 MHz rounds up. */
	expect_line(MET_FREQ, m, NULL, "Freq: 2446 MHz avg (800-2997, cpuinfo)");

	expect_unavailable(m, MET_TEMP, "no hwmon or thermal zone sensors");
	expect_line(MET_TEMP, m, NULL, "Temp: unavailable (no hwmon or thermal zone sensors)");

	expect_ok(m, MET_NET);
	assert_int_equal(m->nr_nets, 2);
	assert_string_equal(m->nets[0].name, "eth0");
	assert_string_equal(m->nets[1].name, "wlan0");

	expect_ok(m, MET_DISK);
	assert_int_equal(m->nr_disks, 7);
	for (i = 0; i < 7; i++)
		assert_string_equal(m->disks[i].name, disks[i]);
	expect_disk(&m->disks[3], "nvme0n1p1", 49000, 3900000, 24000, 29000, 2300000, 59000);
	expect_ok(m, MET_VMSTAT);
	free(m);
}

/* Like this machine: a VM without cpufreq, hwmon or thermal zones. */
static void test_bare(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	read_tree("bare", true, m);
	expect_ok(m, MET_FREQ);
	assert_string_equal(m->freq.source, "cpuinfo");
	assert_int_equal(m->freq.nr, 2);
	assert_int_equal(m->freq.khz[0], 2000000);
	assert_int_equal(m->freq.khz[1], 2000000);
	expect_line(MET_FREQ, m, NULL, "Freq: 2000 MHz avg (2000-2000, cpuinfo)");

	expect_unavailable(m, MET_TEMP, "no hwmon or thermal zone sensors");

	expect_ok(m, MET_NET);
	assert_int_equal(m->nr_nets, 2);
	expect_net(&m->nets[0], "ifb0", 0, 0, 0, 0, 0, 0, 0, 0);
	expect_net(&m->nets[1], "eth0", 29277259, 1207, 0, 0, 77821, 1016, 0, 0);

	/* loop0-3 are in /sys/block but go by their name. */
	expect_ok(m, MET_DISK);
	assert_int_equal(m->nr_disks, 2);
	expect_disk(&m->disks[0], "vda", 31257, 3433298, 15049, 24323, 5172960, 38029);
	expect_disk(&m->disks[1], "zram0", 0, 0, 0, 0, 0, 0);

	expect_ok(m, MET_VMSTAT);
	assert_int_equal(m->vm.pgmajfault, 1531);
	free(m);
}

/*
 * Malformed sources, each failing alone. cpuinfo: a MHz that is no number, one in a block
 * whose processor is no number, one with two points, one of 0. The sensors: text, an empty
 * file, a directory, a value beyond int32, a zone's "12abc". net/dev: its last line cut.
 * diskstats: text, a field that is no number, a line short of fields. No vmstat at all.
 */
static void test_broken(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	read_tree("broken", true, m);
	expect_unavailable(m, MET_FREQ, "no cpufreq or cpu MHz in /proc/cpuinfo");
	expect_unavailable(m, MET_TEMP, "5 temperature sensors, none readable");
	assert_int_equal(m->nr_temps, 0);
	assert_int_equal(m->temps_bad, 5);

	expect_ok(m, MET_NET);
	assert_int_equal(m->nr_nets, 1);
	assert_int_equal(m->nets_bad, 1);
	expect_net(&m->nets[0], "eth0", 5000, 50, 0, 0, 6000, 60, 0, 0);

	expect_unavailable(m, MET_DISK, "/proc/diskstats: 3 malformed lines, no disk");
	assert_int_equal(m->nr_disks, 0);
	assert_int_equal(m->disks_bad, 3);
	expect_unavailable(m, MET_VMSTAT, "/proc/vmstat: No such file or directory");

	expect_line(MET_FREQ, m, NULL,
		    "Freq: unavailable (no cpufreq or cpu MHz in /proc/cpuinfo)");
	expect_line(MET_NET, m, NULL, "Net: eth0 (no rate yet), 1 bad line");
	expect_line(MET_DISK, m, NULL,
		    "Disk: unavailable (/proc/diskstats: 3 malformed lines, no disk)");
	expect_line(MET_VMSTAT, m, NULL,
		    "Paging: unavailable (/proc/vmstat: No such file or directory)");
	free(m);
}

static void test_empty(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	read_tree("empty", true, m);
	expect_unavailable(m, MET_FREQ, "no cpufreq; /proc/cpuinfo: No such file or directory");
	expect_unavailable(m, MET_TEMP, "no hwmon or thermal zone sensors");
	expect_unavailable(m, MET_NET, "/proc/net/dev: No such file or directory");
	expect_unavailable(m, MET_DISK, "/proc/diskstats: No such file or directory");
	expect_unavailable(m, MET_VMSTAT, "/proc/vmstat: No such file or directory");
	expect_line(MET_NET, m, NULL,
		    "Net: unavailable (/proc/net/dev: No such file or directory)");
	free(m);
}

/*
 * A loopback renamed lo0 goes by its sysfs type (772); wg0's type is ARPHRD_NONE, and tun0
 * has no sysfs entry: both stay.
 */
static void test_renamed_loopback(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	read_tree("renamed-lo", true, m);
	expect_ok(m, MET_NET);
	assert_int_equal(m->nr_nets, 3);
	expect_net(&m->nets[0], "eth0", 200, 2, 0, 0, 300, 3, 0, 0);
	expect_net(&m->nets[1], "wg0", 400, 4, 0, 0, 500, 5, 0, 0);
	expect_net(&m->nets[2], "tun0", 600, 6, 0, 0, 700, 7, 0, 0);
	free(m);
}

/* A struct is reused from one refresh to the next: a kind that fails keeps nothing. */
static void test_reread(void **state)
{
	struct metrics *m = new_metrics();
	int k;

	(void)state;
	read_tree("full", true, m);
	read_tree("empty", true, m);
	for (k = 0; k < MET_NR; k++)
		assert_false(m->st[k].ok);
	assert_int_equal(m->freq.nr, 0);
	assert_int_equal(m->freq.khz[0], 0);
	assert_int_equal(m->nr_temps, 0);
	assert_int_equal(m->nr_nets, 0);
	assert_int_equal(m->nr_disks, 0);
	assert_int_equal(m->vm.pgpgin_kib, 0);

	read_tree("full", true, m);
	read_tree("broken", true, m);
	assert_int_equal(m->freq.nr, 0);
	assert_int_equal(m->freq.khz[3], 0);
	assert_int_equal(m->nr_nets, 1);
	assert_int_equal(m->vm.pgmajfault, 0);

	/* And back: the counters of bad lines start over too. */
	read_tree("full", true, m);
	for (k = 0; k < MET_NR; k++)
		expect_ok(m, k);
	assert_int_equal(m->nets_bad, 0);
	assert_int_equal(m->temps_bad, 0);
	free(m);
}

/* ---- trees made at run time ---- */

static char tmp_root[64];

static void tmp_file(const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot create %s", path);
	fputs(text, f);
	fclose(f);
}

static void tmp_dir(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	if (mkdir(path, 0755))
		fail_msg("cannot create %s", path);
}

static int tmp_setup(void **state)
{
	(void)state;
	strcpy(tmp_root, "/tmp/cputop-metrics-XXXXXX");
	return mkdtemp(tmp_root) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	return system(cmd);
}

/* 70 sensors over two hwmon devices: 64 kept in order, 6 counted. */
static void test_temp_capacity(void **state)
{
	struct metrics *m = new_metrics();
	char rel[128], val[32];
	int i, proc_fd, sys_fd;

	(void)state;
	tmp_dir("proc");
	tmp_dir("sys");
	tmp_dir("sys/class");
	tmp_dir("sys/class/hwmon");
	tmp_dir("sys/class/hwmon/hwmon0");
	tmp_dir("sys/class/hwmon/hwmon1");
	tmp_file("sys/class/hwmon/hwmon0/name", "k10temp\n");
	tmp_file("sys/class/hwmon/hwmon1/name", "nct6775\n");
	for (i = 1; i <= 70; i++) {
		snprintf(rel, sizeof(rel), "sys/class/hwmon/hwmon%d/temp%d_input", i > 40, i);
		snprintf(val, sizeof(val), "%d\n", 1000 * i);
		tmp_file(rel, val);
	}
	snprintf(rel, sizeof(rel), "%s/proc", tmp_root);
	proc_fd = open_dir(rel);
	snprintf(rel, sizeof(rel), "%s/sys", tmp_root);
	sys_fd = open_dir(rel);
	assert_int_equal(metrics_read(m, proc_fd, sys_fd), 0);
	close(proc_fd);
	close(sys_fd);

	expect_ok(m, MET_TEMP);
	assert_int_equal(m->nr_temps, MET_MAX_TEMPS);
	assert_int_equal(m->temps_more, 6);
	expect_temp(&m->temps[0], "k10temp/temp1", 1000);
	expect_temp(&m->temps[9], "k10temp/temp10", 10000);
	expect_temp(&m->temps[39], "k10temp/temp40", 40000);
	expect_temp(&m->temps[40], "nct6775/temp41", 41000);
	expect_temp(&m->temps[63], "nct6775/temp64", 64000);
	/* The hottest kept is temp64; "+N more" counts the kept and the others. */
	expect_line(MET_TEMP, m, NULL, "Temp: nct6775/temp64 64.0 C, +69 more");
	free(m);
}

/*
 * A source that does not end (here /dev/zero) fails its own kind at 64 MiB; a source that is
 * a directory fails with EISDIR. The others still read.
 */
static void test_endless_source(void **state)
{
	struct metrics *m = new_metrics();
	char path[PATH_MAX];
	int proc_fd;

	(void)state;
	tmp_dir("proc");
	tmp_dir("proc/net");
	tmp_dir("proc/diskstats");
	tmp_file("proc/net/dev", " eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
	snprintf(path, sizeof(path), "%s/proc/vmstat", tmp_root);
	assert_int_equal(symlink("/dev/zero", path), 0);
	snprintf(path, sizeof(path), "%s/proc", tmp_root);
	proc_fd = open_dir(path);
	assert_int_equal(metrics_read(m, proc_fd, -1), 0);
	close(proc_fd);
	expect_unavailable(m, MET_VMSTAT, "/proc/vmstat: File too large");
	expect_unavailable(m, MET_DISK, "/proc/diskstats: Is a directory");
	expect_ok(m, MET_NET);
	expect_net(&m->nets[0], "eth0", 1, 2, 3, 4, 9, 10, 11, 12);
	free(m);
}

/* ---- parse_cpuinfo_mhz ---- */

static void test_cpuinfo_numbers(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	assert_int_equal(parse_cpuinfo_mhz("cpu MHz : 1000.000\n"	/* before any processor */
					   "processor : 0\ncpu MHz : 2000\n"
					   "processor : 1\ncpu MHz\t\t: 1234.5678\n"
					   "processor : 2\ncpu MHz : 3000.1 \n"
					   "processor : 3\ncpu MHz dynamic : 5000\n"
					   "processor : 4\ncpu MHz : -5.0\n"
					   "processor : 5\ncpu MHz : 4294967.295\n"
					   "processor : 6\ncpu MHz : 4294967.296\n"
					   "processor : 7\ncpu MHz : .5\n"
					   "processor\t: 8\ncpu MHz : 7", m), 0);
	expect_ok(m, MET_FREQ);
	assert_string_equal(m->freq.source, "cpuinfo");
	assert_int_equal(m->freq.nr, 9);
	assert_int_equal(m->freq.khz[0], 2000000);
	assert_int_equal(m->freq.khz[1], 1234567);	/* finer than kHz is dropped */
	assert_int_equal(m->freq.khz[2], 3000100);
	assert_int_equal(m->freq.khz[3], 0);		/* s390's other key */
	assert_int_equal(m->freq.khz[4], 0);
	assert_int_equal(m->freq.khz[5], UINT32_MAX);
	assert_int_equal(m->freq.khz[6], 0);		/* beyond 32 bits of kHz */
	assert_int_equal(m->freq.khz[7], 0);
	assert_int_equal(m->freq.khz[8], 0);		/* cut: maybe the head of "7000" */
	free(m);
}

/* CPUs numbered beyond the array are counted; a block without a CPU number gets nothing. */
static void test_cpuinfo_capacity(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	assert_int_equal(parse_cpuinfo_mhz("processor : 1023\ncpu MHz : 1500.000\n"
					   "processor : 1024\ncpu MHz : 1600.000\n"
					   "processor : 4000\ncpu MHz : 1700.000\n"
					   "processor : 99999999999\ncpu MHz : 1800.000\n", m), 0);
	assert_int_equal(m->freq.nr, 1024);
	assert_int_equal(m->freq.khz[1023], 1500000);
	assert_int_equal(m->freq.more, 2);
	expect_line(MET_FREQ, m, NULL, "Freq: 1500 MHz avg (1500-1500, cpuinfo, +2 more)");

	assert_int_equal(parse_cpuinfo_mhz("processor : 2000\ncpu MHz : 1600.000\n", m), 0);
	assert_int_equal(m->freq.nr, 0);
	assert_int_equal(m->freq.more, 1);
	expect_line(MET_FREQ, m, NULL, "Freq: no CPU below 1024 (cpuinfo, +1 more)");

	/* arm64 has no MHz at all. */
	assert_int_equal(parse_cpuinfo_mhz("processor\t: 0\nBogoMIPS\t: 48.00\n"
					   "CPU implementer\t: 0x41\n", m), -EINVAL);
	expect_unavailable(m, MET_FREQ, "no cpufreq or cpu MHz in /proc/cpuinfo");
	assert_int_equal(parse_cpuinfo_mhz("", m), -EINVAL);
	free(m);
}

/* ---- parse_net_dev ---- */

#define NET_HEAD "Inter-|   Receive   |  Transmit\n face |bytes packets|bytes packets\n"

static bool keep_not_eth1(const char *name, void *ctx)
{
	(*(int *)ctx)++;
	return strcmp(name, "eth1");
}

static void test_net_lines(void **state)
{
	struct metrics *m = new_metrics();
	int asked = 0;

	(void)state;
	assert_int_equal(parse_net_dev(NET_HEAD
		"    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"  eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"\teth2:\t10\t20 30 40 50 60 70 80 90 100 110 120 130 140 150 160 \n"
		"  eth3: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"		/* 15 columns */
		"  eth4: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 x\n"
		"  eth4: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1x\n"
		" et h5: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"      : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"  eth6  1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"a_name_of_thirty_two_characters_: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"  eth7: 1 2 3 4 5 6 7 8 99999999999999999999 10 11 12 13 14 15 16\n"
		"\n"
		"  eth8: 18446744073709551615 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"  eth9: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", m, keep_not_eth1, &asked), 0);
	expect_ok(m, MET_NET);
	/* lo is not asked about; the others that parse are: eth0, eth1, eth2, eth8. */
	assert_int_equal(asked, 4);
	assert_int_equal(m->nr_nets, 3);
	/*
	 * eth3, both eth4, "et h5", the nameless one, eth6, the overlong name, eth7 (beyond 64
	 * bits) and eth9 (cut after its last number); not the empty line.
	 */
	assert_int_equal(m->nets_bad, 9);
	expect_net(&m->nets[0], "eth0", 1, 2, 3, 4, 9, 10, 11, 12);
	expect_net(&m->nets[1], "eth2", 10, 20, 30, 40, 90, 100, 110, 120);
	expect_net(&m->nets[2], "eth8", UINT64_MAX, 2, 3, 4, 9, 10, 11, 12);

	/* A 31-character name fits. */
	assert_int_equal(parse_net_dev("a_name_of_thirty_one_characters: "
				       "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
				       m, NULL, NULL), 0);
	assert_string_equal(m->nets[0].name, "a_name_of_thirty_one_characters");

	/* Only the headers and lo: available, with no interface. */
	assert_int_equal(parse_net_dev(NET_HEAD "lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
				       m, NULL, NULL), 0);
	expect_ok(m, MET_NET);
	assert_int_equal(m->nr_nets, 0);
	expect_line(MET_NET, m, NULL, "Net: no interface");

	/* Nothing parses: unavailable. */
	assert_int_equal(parse_net_dev("garbage: here\nmore: 1 2\n", m, NULL, NULL), -EINVAL);
	expect_unavailable(m, MET_NET, "/proc/net/dev: 2 malformed lines, no interface");
	assert_int_equal(m->nets_bad, 2);
	free(m);
}

static void test_net_capacity(void **state)
{
	struct metrics *m = new_metrics();
	char *buf = malloc(70 * 64 + 1);
	size_t len = 0;
	int i;

	(void)state;
	assert_non_null(buf);
	buf[0] = '\0';
	for (i = 0; i < 70; i++)
		len += sprintf(buf + len, "veth%d: %d 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 0\n",
			       i, i, 2 * i);
	assert_int_equal(parse_net_dev(buf, m, NULL, NULL), 0);
	assert_int_equal(m->nr_nets, MET_MAX_NETS);
	assert_int_equal(m->nets_more, 6);
	assert_string_equal(m->nets[63].name, "veth63");
	assert_int_equal(m->nets[63].rx_bytes, 63);
	assert_int_equal(m->nets[63].tx_bytes, 126);
	expect_line(MET_NET, m, NULL, "Net: veth0 (no rate yet), +69 more");
	free(buf);
	free(m);
}

/* ---- parse_diskstats ---- */

static bool keep_not_sdb(const char *name, void *ctx)
{
	(*(int *)ctx)++;
	return strcmp(name, "sdb");
}

static void test_disk_lines(void **state)
{
	struct metrics *m = new_metrics();
	int asked = 0;

	(void)state;
	assert_int_equal(parse_diskstats(
		"   7       0 loop0 1 2 3 4 5 6 7 8 9 10 11\n"
		"   7      12 loop12 1 2 3 4 5 6 7 8 9 10 11\n"
		"   1       3 ram3 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8      16 sdb 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8      32 sdc 1 2 3 4 5 6 7 8 9 10\n"			/* 10 fields */
		"   8      48 sdd 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21\n"
		"\t8\t64\tsde\t10\t20\t30\t40\t50\t60\t70\t80\t90\t100\t110 \n"
		"   8      80 sdf 1 2 3 -4 5 6 7 8 9 10 11\n"
		"   8          sdg 1 2 3 4 5 6 7 8 9 10 11\n"		/* no minor */
		"   x       0 sdh 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8     0xsdj 1 2 3 4 5 6 7 8 9 10 11\n"		/* no name after 0 */
		"\n"
		" 252       0 zram0 1 2 3 4 5 6 7 8 9 10 11\n"
		" 179       0 a_device_name_of_32_characters__ 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8      96 sdi 1 2 3 4 5 6 7 8 9 10 11", m, keep_not_sdb, &asked), 0);
	expect_ok(m, MET_DISK);
	/* sda, sdb, sdd, sde, zram0: not the loop and ram devices, nor the bad lines. */
	assert_int_equal(asked, 5);
	assert_int_equal(m->nr_disks, 4);
	/* sdc, sdf, sdg, sdh, "0xsdj", the overlong name, sdi (cut). */
	assert_int_equal(m->disks_bad, 7);
	expect_disk(&m->disks[0], "sda", 1, 3, 4, 5, 7, 8);
	expect_disk(&m->disks[1], "sdd", 1, 3, 4, 5, 7, 8);
	expect_disk(&m->disks[2], "sde", 10, 30, 40, 50, 70, 80);
	expect_disk(&m->disks[3], "zram0", 1, 3, 4, 5, 7, 8);

	/* No device at all is a machine without disks, not a broken file. */
	assert_int_equal(parse_diskstats("", m, NULL, NULL), 0);
	expect_ok(m, MET_DISK);
	expect_line(MET_DISK, m, NULL, "Disk: no disk");
	free(m);
}

static void test_disk_capacity(void **state)
{
	struct metrics *m = new_metrics();
	char *buf = malloc(80 * 64 + 1);
	size_t len = 0;
	int i;

	(void)state;
	assert_non_null(buf);
	buf[0] = '\0';
	for (i = 0; i < 80; i++) {
		/* Ten loop devices among them take no slot. */
		len += sprintf(buf + len, " 8 %d %s%d %d 0 0 0 0 0 0 0 0 0 0\n", i,
			       i % 8 ? "sd" : "loop", i, i);
	}
	assert_int_equal(parse_diskstats(buf, m, NULL, NULL), 0);
	assert_int_equal(m->nr_disks, MET_MAX_DISKS);
	assert_int_equal(m->disks_more, 6);
	assert_string_equal(m->disks[0].name, "sd1");
	/* Seven of every eight lines are disks: the 64th is the first of the tenth eight. */
	assert_string_equal(m->disks[63].name, "sd73");
	assert_int_equal(m->disks[63].rd_ios, 73);
	free(buf);
	free(m);
}

/* ---- parse_vmstat ---- */

static void test_vmstat(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	assert_int_equal(parse_vmstat("pgpgin_x 5\npgpgin 7\npgpgout 8\npswpin 9\n"
				      "pswpout 10\npgmajfault 11\n", m), 0);
	expect_ok(m, MET_VMSTAT);
	assert_int_equal(m->vm.pgpgin_kib, 7);
	assert_int_equal(m->vm.pgpgout_kib, 8);
	assert_int_equal(m->vm.pswpin, 9);
	assert_int_equal(m->vm.pswpout, 10);
	assert_int_equal(m->vm.pgmajfault, 11);

	/* A kernel without CONFIG_VM_EVENT_COUNTERS has none of the events. */
	assert_int_equal(parse_vmstat("nr_free_pages 5\nnr_dirty 6\n", m), -EINVAL);
	expect_unavailable(m, MET_VMSTAT, "no pgpgin in /proc/vmstat");
	assert_int_equal(m->vm.pgpgin_kib, 0);

	/* A bad value counts as missing, as does a last line the buffer cuts. */
	assert_int_equal(parse_vmstat("pgpgin 7\npgpgout 8\npswpin nine\n"
				      "pswpout 10\npgmajfault 11\n", m), -EINVAL);
	expect_unavailable(m, MET_VMSTAT, "no pswpin in /proc/vmstat");
	assert_int_equal(parse_vmstat("pgpgin 7\npgpgout 8\npswpin 9\n"
				      "pswpout 10\npgmajfault 11", m), -EINVAL);
	expect_unavailable(m, MET_VMSTAT, "no pgmajfault in /proc/vmstat");
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_full_without_sys),
		cmocka_unit_test(test_bare),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_renamed_loopback),
		cmocka_unit_test(test_reread),
		cmocka_unit_test_setup_teardown(test_temp_capacity, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_endless_source, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_cpuinfo_numbers),
		cmocka_unit_test(test_cpuinfo_capacity),
		cmocka_unit_test(test_net_lines),
		cmocka_unit_test(test_net_capacity),
		cmocka_unit_test(test_disk_lines),
		cmocka_unit_test(test_disk_capacity),
		cmocka_unit_test(test_vmstat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
