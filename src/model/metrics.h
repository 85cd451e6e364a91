/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System metrics beside the CPU figures: per-CPU frequency, temperatures, network interfaces,
 * disks and paging; a kind that could not be read is unavailable, with a reason.
 *
 * struct metrics holds what the kernel counts since boot, as read (source/procfs/metrics.h
 * reads it); metrics_rate() turns two reads into per-second rates (view/metrics_line.h prints
 * both). Pure, like the rest of the model.
 */
#ifndef CPUTOP_METRICS_H
#define CPUTOP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capacities: what does not fit is counted in the kind's *_more, never dropped silently. */
#define MET_MAX_CPUS	1024
#define MET_MAX_TEMPS	64
#define MET_MAX_NETS	64
#define MET_MAX_DISKS	64

#define MET_NAME_LEN	32	/* DISK_NAME_LEN; interface names are shorter (IFNAMSIZ 16) */
#define MET_SENSOR_LEN	64	/* "<hwmon name>/<label>" or "thermal/<zone type>" */
#define MET_WHY_LEN	96

/* In display order. */
enum metric_kind { MET_FREQ, MET_TEMP, MET_NET, MET_DISK, MET_VMSTAT, MET_NR };

/* "freq", "temp", "net", "disk", "vmstat": stable keys for JSON and CSV. */
extern const char *const metric_names[MET_NR];

struct metric_status {
	bool ok;		/* the last read of this kind worked; its figures are valid */
	char why[MET_WHY_LEN];	/* when !ok, why: "/proc/vmstat: No such file or directory" */
};

struct met_freq {
	char source[8];			/* "cpufreq" (scaling_cur_freq) or "cpuinfo" ("cpu MHz") */
	uint32_t nr;			/* khz[] covers CPUs 0..nr-1 */
	uint32_t more;			/* CPUs numbered MET_MAX_CPUS and up that had a figure */
	uint32_t khz[MET_MAX_CPUS];	/* current frequency by CPU number, kHz; 0: unknown */
};

struct met_temp {
	char name[MET_SENSOR_LEN];	/* "coretemp/Package id 0", "thermal/x86_pkg_temp" */
	int32_t mdegc;			/* millidegrees Celsius; may be below zero */
};

/* /proc/net/dev, one interface: counters since the interface came up. */
struct met_net {
	char name[MET_NAME_LEN];
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;
};

/* /proc/diskstats, one whole disk: counters since the disk appeared. */
struct met_disk {
	char name[MET_NAME_LEN];	/* as /proc/diskstats prints it ("cciss/c0d0") */
	uint64_t rd_ios, rd_sectors, rd_ms;	/* reads completed, 512-byte sectors, ms */
	uint64_t wr_ios, wr_sectors, wr_ms;	/* the same for writes */
};

/* /proc/vmstat, since boot. */
struct met_vmstat {
	uint64_t pgpgin_kib, pgpgout_kib;	/* block I/O read and written, KiB (not pages) */
	uint64_t pswpin, pswpout;		/* pages swapped in and out */
	uint64_t pgmajfault;			/* page faults that needed I/O */
};

struct metrics {
	struct metric_status st[MET_NR];
	struct met_freq freq;
	/* Sensors in a stable order: hwmon devices, then thermal zones, each by number. */
	uint32_t nr_temps, temps_more;
	uint32_t temps_bad;		/* sensors whose value could not be read or parsed */
	struct met_temp temps[MET_MAX_TEMPS];
	/* Interfaces in /proc/net/dev order, loopback left out. */
	uint32_t nr_nets, nets_more;
	uint32_t nets_bad;		/* lines of /proc/net/dev that did not parse */
	struct met_net nets[MET_MAX_NETS];
	/* Whole disks in /proc/diskstats order: no partitions, loop or ram devices. */
	uint32_t nr_disks, disks_more;
	uint32_t disks_bad;		/* lines of /proc/diskstats that did not parse */
	struct met_disk disks[MET_MAX_DISKS];
	struct met_vmstat vm;
};

struct met_net_rate {
	bool have;		/* false: no rate yet (new interface, or no earlier read) */
	double rx_bps, tx_bps;	/* bytes/s */
	double rx_pps, tx_pps;	/* packets/s */
	double errs, drops;	/* receive + transmit, per second */
};

struct met_disk_rate {
	bool have;		/* false: no rate yet (new disk, or no earlier read) */
	double rd_bps, wr_bps;	/* bytes/s */
	double rd_iops, wr_iops;	/* completed I/Os per second */
	double lat_ms;		/* mean time per completed I/O over the interval, ms; 0: no I/O */
};

struct met_vmstat_rate {
	bool have;
	double in_bps, out_bps;		/* block I/O paged in and out, bytes/s */
	double swpin_pps, swpout_pps;	/* pages/s */
	double majflt;			/* major faults/s */
};

/* Rates of one interval; net[i] and disk[i] are those of cur->nets[i] and cur->disks[i]. */
struct metrics_rates {
	struct metric_status st[MET_NR];	/* copied from the newer read */
	uint32_t nr_nets, nr_disks;
	struct met_net_rate net[MET_MAX_NETS];
	struct met_disk_rate disk[MET_MAX_DISKS];
	struct met_vmstat_rate vm;
};

/*
 * Per-second rates between @prev and @cur, read @secs apart. @prev may be NULL (first read):
 * no rates yet. Interfaces and disks are matched by name; one new in @cur has no rate yet. A
 * counter that went back (a device reset or replaced under the same name) gives rate 0.
 */
void metrics_rate(struct metrics_rates *r, const struct metrics *prev, const struct metrics *cur,
		  double secs);

#endif /* CPUTOP_METRICS_H */
