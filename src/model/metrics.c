// SPDX-License-Identifier: GPL-2.0
/*
 * The system metrics' names and their rates between two reads. Pure: source/procfs/metrics.c
 * reads the counters and view/metrics_line.c prints them.
 */
#include <string.h>

#include "model/metrics.h"

#define SECTOR_BYTES	512	/* diskstats sectors, whatever the device's block size */

const char *const metric_names[MET_NR] = {
	[MET_FREQ] = "freq",
	[MET_TEMP] = "temp",
	[MET_NET] = "net",
	[MET_DISK] = "disk",
	[MET_VMSTAT] = "vmstat",
};

/* ---- rates ---- */

static double rate(uint64_t prev, uint64_t cur, double secs)
{
	return cur >= prev ? (cur - prev) / secs : 0;
}

/*
 * diskstats prints its ms fields as unsigned int (block/genhd.c), so they wrap at 2^32 ms,
 * within days on a busy disk: that difference is taken modulo 2^32.
 */
static uint64_t ms_delta(uint64_t prev, uint64_t cur)
{
	if (cur >= prev)
		return cur - prev;
	return prev <= UINT32_MAX ? (uint32_t)(cur - prev) : 0;
}

_Static_assert(offsetof(struct met_net, name) == 0, "find_named() needs the name first");
_Static_assert(offsetof(struct met_disk, name) == 0, "find_named() needs the name first");

/* The entry named @name in @arr (@nr of @size bytes, name first), tried at @hint first. */
static const void *find_named(const void *arr, uint32_t nr, size_t size, uint32_t hint,
			      const char *name)
{
	uint32_t i;

	if (hint < nr && !strcmp((const char *)arr + hint * size, name))
		return (const char *)arr + hint * size;
	for (i = 0; i < nr; i++) {
		if (!strcmp((const char *)arr + i * size, name))
			return (const char *)arr + i * size;
	}
	return NULL;
}

static void net_rate(struct met_net_rate *r, const struct met_net *p, const struct met_net *c,
		     double secs)
{
	r->have = true;
	r->rx_bps = rate(p->rx_bytes, c->rx_bytes, secs);
	r->tx_bps = rate(p->tx_bytes, c->tx_bytes, secs);
	r->rx_pps = rate(p->rx_packets, c->rx_packets, secs);
	r->tx_pps = rate(p->tx_packets, c->tx_packets, secs);
	r->errs = rate(p->rx_errs, c->rx_errs, secs) + rate(p->tx_errs, c->tx_errs, secs);
	r->drops = rate(p->rx_drop, c->rx_drop, secs) + rate(p->tx_drop, c->tx_drop, secs);
}

static void disk_rate(struct met_disk_rate *r, const struct met_disk *p,
		      const struct met_disk *c, double secs)
{
	/* Completed I/Os going back means a new disk under the old name: its ms are not ours. */
	bool reset = c->rd_ios < p->rd_ios || c->wr_ios < p->wr_ios;
	uint64_t ios = reset ? 0 : (c->rd_ios - p->rd_ios) + (c->wr_ios - p->wr_ios);
	uint64_t ms = reset ? 0 : ms_delta(p->rd_ms, c->rd_ms) + ms_delta(p->wr_ms, c->wr_ms);

	r->have = true;
	r->rd_bps = rate(p->rd_sectors, c->rd_sectors, secs) * SECTOR_BYTES;
	r->wr_bps = rate(p->wr_sectors, c->wr_sectors, secs) * SECTOR_BYTES;
	r->rd_iops = rate(p->rd_ios, c->rd_ios, secs);
	r->wr_iops = rate(p->wr_ios, c->wr_ios, secs);
	/* iostats.rst: each I/O adds its time from start to completion to fields 4 and 8. */
	r->lat_ms = ios ? (double)ms / ios : 0;
}

void metrics_rate(struct metrics_rates *r, const struct metrics *prev, const struct metrics *cur,
		  double secs)
{
	bool valid = prev && secs > 0;
	uint32_t i;

	memset(r, 0, sizeof(*r));
	memcpy(r->st, cur->st, sizeof(r->st));
	r->nr_nets = cur->nr_nets;
	r->nr_disks = cur->nr_disks;
	if (valid && prev->st[MET_NET].ok && cur->st[MET_NET].ok) {
		for (i = 0; i < cur->nr_nets; i++) {
			const struct met_net *p = find_named(prev->nets, prev->nr_nets,
							     sizeof(*p), i, cur->nets[i].name);

			if (p)
				net_rate(&r->net[i], p, &cur->nets[i], secs);
		}
	}
	if (valid && prev->st[MET_DISK].ok && cur->st[MET_DISK].ok) {
		for (i = 0; i < cur->nr_disks; i++) {
			const struct met_disk *p = find_named(prev->disks, prev->nr_disks,
							      sizeof(*p), i, cur->disks[i].name);

			if (p)
				disk_rate(&r->disk[i], p, &cur->disks[i], secs);
		}
	}
	if (valid && prev->st[MET_VMSTAT].ok && cur->st[MET_VMSTAT].ok) {
		const struct met_vmstat *p = &prev->vm, *c = &cur->vm;

		r->vm.have = true;
		r->vm.in_bps = rate(p->pgpgin_kib, c->pgpgin_kib, secs) * 1024;
		r->vm.out_bps = rate(p->pgpgout_kib, c->pgpgout_kib, secs) * 1024;
		r->vm.swpin_pps = rate(p->pswpin, c->pswpin, secs);
		r->vm.swpout_pps = rate(p->pswpout, c->pswpout, secs);
		r->vm.majflt = rate(p->pgmajfault, c->pgmajfault, secs);
	}
}
