// SPDX-License-Identifier: GPL-2.0
/*
 * The system metrics as text: one line per kind, ASCII whatever the names and reasons hold,
 * cut to the caller's buffer.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "view/metrics_line.h"
#include "lib/text.h"

/* ---- one line of text ---- */

struct line {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3)))
static void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len + 1 >= l->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->size - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len = l->len + n < l->size ? l->len + n : l->size - 1;
}

/*
 * A name, or a reason (strerror() may be translated), as the line shows it: text_sanitize()
 * turns control bytes into '?' but keeps valid UTF-8, and the line is ASCII, so each
 * multi-byte character becomes one '?' as well.
 */
static void line_text(struct line *l, const char *text)
{
	char safe[MET_WHY_LEN], *in, *out;

	text_sanitize(safe, sizeof(safe), text, strlen(text));
	for (in = out = safe; *in; in++) {
		unsigned char c = *in;

		if (c < 0x80)
			*out++ = c;
		else if (c >= 0xc0)
			*out++ = '?';	/* a lead byte; its continuation bytes are dropped */
	}
	*out = '\0';
	line_add(l, "%s", safe);
}

/* Bytes/s with decimal prefixes, as network and disk tools print them: "3.4 kB/s". */
static void line_bytes(struct line *l, double v)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB", "PB" };
	int u = 0;

	while (v >= 999.5 && u < 5) {
		v /= 1000;
		u++;
	}
	if (!u || v >= 9.95)
		line_add(l, "%.0f %s/s", v, unit[u]);
	else
		line_add(l, "%.1f %s/s", v, unit[u]);
}

/* A count per second: whole numbers, but "0.5" rather than "0" or "1" for a small fraction. */
static void line_count(struct line *l, double v)
{
	if (v < 9.95 && fabs(v - round(v)) >= 0.05)
		line_add(l, "%.1f", v);
	else
		line_add(l, "%.0f", v);
}

static void line_more(struct line *l, uint32_t more, uint32_t bad)
{
	if (more)
		line_add(l, ", +%u more", more);
	if (bad)
		line_add(l, ", %u bad line%s", bad, bad == 1 ? "" : "s");
}

static void line_freq(struct line *l, const struct met_freq *f)
{
	uint32_t i, known = 0, lo = UINT32_MAX, hi = 0;
	uint64_t sum = 0;

	for (i = 0; i < f->nr; i++) {
		if (!f->khz[i])
			continue;
		known++;
		sum += f->khz[i];
		lo = f->khz[i] < lo ? f->khz[i] : lo;
		hi = f->khz[i] > hi ? f->khz[i] : hi;
	}
	if (known)
		line_add(l, "%llu MHz avg (%u-%u, %s",
			 (unsigned long long)(sum / known + 500) / 1000, (lo + 500) / 1000,
			 (hi + 500) / 1000, f->source);
	else
		line_add(l, "no CPU below %d (%s", MET_MAX_CPUS, f->source);
	if (f->more)
		line_add(l, ", +%u more", f->more);
	line_add(l, ")");
}

static void line_temp(struct line *l, const struct metrics *m)
{
	uint32_t i, hot = 0;

	/* An available kind has a sensor: more are counted only once temps[] is full. */
	for (i = 1; i < m->nr_temps; i++) {
		if (m->temps[i].mdegc > m->temps[hot].mdegc)
			hot = i;
	}
	line_text(l, m->temps[hot].name);
	line_add(l, " %.1f C", m->temps[hot].mdegc / 1000.0);
	line_more(l, m->nr_temps - 1 + m->temps_more, 0);
}

static void line_net(struct line *l, const struct metrics *m, const struct metrics_rates *r)
{
	const struct met_net_rate *n, *best = NULL;
	uint32_t i, at = 0;

	if (!m->nr_nets) {
		line_add(l, "no interface");
		line_more(l, 0, m->nets_bad);
		return;
	}
	for (i = 0; r && i < m->nr_nets && i < r->nr_nets; i++) {
		n = &r->net[i];
		if (n->have && (!best || n->rx_bps + n->tx_bps > best->rx_bps + best->tx_bps)) {
			best = n;
			at = i;
		}
	}
	line_text(l, m->nets[at].name);
	if (best) {
		line_add(l, " rx ");
		line_bytes(l, best->rx_bps);
		line_add(l, " ");
		line_count(l, best->rx_pps);
		line_add(l, " p/s tx ");
		line_bytes(l, best->tx_bps);
		line_add(l, " ");
		line_count(l, best->tx_pps);
		line_add(l, " p/s, ");
		line_count(l, best->errs);
		line_add(l, " err/s ");
		line_count(l, best->drops);
		line_add(l, " drop/s");
	} else {
		line_add(l, " (no rate yet)");
	}
	line_more(l, m->nr_nets - 1 + m->nets_more, m->nets_bad);
}

static void line_disk(struct line *l, const struct metrics *m, const struct metrics_rates *r)
{
	const struct met_disk_rate *d, *best = NULL;
	uint32_t i, at = 0;

	if (!m->nr_disks) {
		line_add(l, "no disk");
		line_more(l, 0, m->disks_bad);
		return;
	}
	for (i = 0; r && i < m->nr_disks && i < r->nr_disks; i++) {
		d = &r->disk[i];
		if (d->have && (!best || d->rd_bps + d->wr_bps > best->rd_bps + best->wr_bps)) {
			best = d;
			at = i;
		}
	}
	line_text(l, m->disks[at].name);
	if (best) {
		line_add(l, " r ");
		line_bytes(l, best->rd_bps);
		line_add(l, " ");
		line_count(l, best->rd_iops);
		line_add(l, " IOPS w ");
		line_bytes(l, best->wr_bps);
		line_add(l, " ");
		line_count(l, best->wr_iops);
		line_add(l, " IOPS %.1f ms", best->lat_ms);
	} else {
		line_add(l, " (no rate yet)");
	}
	line_more(l, m->nr_disks - 1 + m->disks_more, m->disks_bad);
}

static void line_vmstat(struct line *l, const struct metrics_rates *r)
{
	if (!r || !r->vm.have) {
		line_add(l, "no rate yet");
		return;
	}
	line_add(l, "in ");
	line_bytes(l, r->vm.in_bps);
	line_add(l, " out ");
	line_bytes(l, r->vm.out_bps);
	line_add(l, ", swap in ");
	line_count(l, r->vm.swpin_pps);
	line_add(l, " out ");
	line_count(l, r->vm.swpout_pps);
	line_add(l, " pages/s, ");
	line_count(l, r->vm.majflt);
	line_add(l, " major faults/s");
}

void metrics_line(char *buf, size_t size, enum metric_kind k, const struct metrics *cur,
		  const struct metrics_rates *r)
{
	static const char *const label[MET_NR] = {
		[MET_FREQ] = "Freq",
		[MET_TEMP] = "Temp",
		[MET_NET] = "Net",
		[MET_DISK] = "Disk",
		[MET_VMSTAT] = "Paging",
	};
	struct line l = { .buf = buf, .size = size };

	if (!size)
		return;
	buf[0] = '\0';
	if (k >= MET_NR)
		return;
	line_add(&l, "%s: ", label[k]);
	if (!cur->st[k].ok) {
		line_add(&l, "unavailable (");
		line_text(&l, cur->st[k].why);
		line_add(&l, ")");
		return;
	}
	switch (k) {
	case MET_FREQ:
		line_freq(&l, &cur->freq);
		break;
	case MET_TEMP:
		line_temp(&l, cur);
		break;
	case MET_NET:
		line_net(&l, cur, r);
		break;
	case MET_DISK:
		line_disk(&l, cur, r);
		break;
	case MET_VMSTAT:
		line_vmstat(&l, r);
		break;
	case MET_NR:
		break;
	}
}

void pressure_line(char *buf, size_t size, const struct snapshot *s, const struct summary *sum)
{
	/* No interval yet: the kernel's own averages over the last 10 s. */
	bool avg = sum->psi_some_pct < 0;
	int n;

	if (s->psi_err) {
		snprintf(buf, size, "unavailable (%s)", snapshot_psi_why(s));
		return;
	}
	n = snprintf(buf, size, "some %.1f%%", avg ? s->psi.some_avg10 / 100.0 :
		     sum->psi_some_pct);
	/* The kernel prints "full" since 5.13, zeros for the whole system, where it means nothing. */
	if (n > 0 && (size_t)n < size && s->psi.have_full)
		n += snprintf(buf + n, size - n, ", full %.1f%%", avg ? s->psi.full_avg10 / 100.0 :
			      sum->psi_full_pct);
	if (avg && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - n, " (10 s average)");
}
