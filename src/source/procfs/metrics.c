// SPDX-License-Identifier: GPL-2.0
/*
 * System metric collectors on directory fds. Sources and units:
 * - cpufreq: /sys/devices/system/cpu/cpuN/cpufreq/scaling_cur_freq, kHz
 *   (Documentation/admin-guide/pm/cpufreq.rst); else "cpu MHz" in /proc/cpuinfo (x86).
 * - hwmon: /sys/class/hwmon/hwmonN/{name,tempK_input,tempK_label}, temp*_input in millidegrees
 *   Celsius (Documentation/hwmon/sysfs-interface.rst); thermal zones:
 *   /sys/class/thermal/thermal_zoneN/{type,temp}, millidegrees Celsius too
 *   (Documentation/driver-api/thermal/sysfs-api.rst).
 * - /proc/net/dev: per interface, receive then transmit columns (proc(5)).
 * - /proc/diskstats: Documentation/ABI/testing/procfs-diskstats, fields explained in
 *   Documentation/admin-guide/iostats.rst.
 * - /proc/vmstat: one "name value" pair per line (proc(5)).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/procfs/metrics.h"
#include "lib/scan.h"

#define ARPHRD_LOOPBACK	772	/* include/uapi/linux/if_arp.h: sys/class/net/IF/type */

/* ---- status ---- */

/* Forget what kind @k held: a kind is either read afresh or unavailable, never stale. */
static void kind_reset(struct metrics *m, enum metric_kind k)
{
	m->st[k].ok = false;
	m->st[k].why[0] = '\0';
	switch (k) {
	case MET_FREQ:
		memset(&m->freq, 0, sizeof(m->freq));
		break;
	case MET_TEMP:
		m->nr_temps = m->temps_more = m->temps_bad = 0;
		break;
	case MET_NET:
		m->nr_nets = m->nets_more = m->nets_bad = 0;
		break;
	case MET_DISK:
		m->nr_disks = m->disks_more = m->disks_bad = 0;
		break;
	case MET_VMSTAT:
		memset(&m->vm, 0, sizeof(m->vm));
		break;
	case MET_NR:
		break;
	}
}

static void kind_ok(struct metrics *m, enum metric_kind k)
{
	m->st[k].ok = true;
	m->st[k].why[0] = '\0';
}

__attribute__((format(printf, 3, 4)))
static void kind_fail(struct metrics *m, enum metric_kind k, const char *fmt, ...)
{
	va_list ap;

	m->st[k].ok = false;
	va_start(ap, fmt);
	vsnprintf(m->st[k].why, sizeof(m->st[k].why), fmt, ap);
	va_end(ap);
}

/* ---- scanning ---- */

/* A string of digits only, as in "cpu12" or "processor : 12"; -EINVAL otherwise. */
static int parse_index(const char *s, const char *end, uint32_t *v)
{
	uint64_t n = 0;

	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		n = n * 10 + (*s - '0');
		if (n > UINT32_MAX)
			return -EINVAL;
	}
	*v = n;
	return 0;
}

/*
 * A sysfs number: an optional '-', digits, then at most a newline (one value per file,
 * Documentation/filesystems/sysfs.rst).
 */
static int parse_attr_ll(const char *buf, long long *v)
{
	char *end;

	if (!isdigit((unsigned char)buf[buf[0] == '-']))
		return -EINVAL;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || (*end && strcmp(end, "\n")))
		return -EINVAL;
	return 0;
}

/* Copy the @len bytes at @s into @dst (MET_NAME_LEN); -EINVAL when they do not fit. */
static int copy_name(char *dst, const char *s, size_t len)
{
	if (!len || len >= MET_NAME_LEN)
		return -EINVAL;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* @src into @dst of @size, cut to fit: the names are for display. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ---- files ---- */

/*
 * Far beyond any file read here (/proc/cpuinfo of 8192 CPUs is some 12 MiB): a source that
 * does not end fails its kind rather than take all memory.
 */
#define RBUF_MAX	(64u << 20)

/* The read buffer of one metrics_read(), grown to fit the largest file. */
struct rbuf {
	char *buf;
	size_t cap;
};

/* The whole of @path under @dirfd into rb->buf, NUL-terminated: 0 or -errno. */
static int rbuf_load(struct rbuf *rb, int dirfd, const char *path)
{
	size_t len = 0;
	ssize_t n;
	int fd, err = 0;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len + 1 >= rb->cap) {
			size_t cap = rb->cap ? 2 * rb->cap : 16384;
			char *buf;

			if (cap > RBUF_MAX) {
				err = -EFBIG;
				goto cleanup;
			}
			buf = realloc(rb->buf, cap);
			if (!buf) {
				err = -ENOMEM;
				goto cleanup;
			}
			rb->buf = buf;
			rb->cap = cap;
		}
		n = read(fd, rb->buf + len, rb->cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto cleanup;
		}
		if (!n)
			break;
		len += n;
	}
	rb->buf[len] = '\0';
cleanup:
	close(fd);
	return err;
}

/*
 * A sysfs attribute into @buf, its trailing newline dropped: 0 or -errno. One read() is
 * enough: sysfs returns an attribute whole, and it is far smaller than @buf.
 */
static int read_attr(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int read_attr_ll(int dirfd, const char *path, long long *v)
{
	char buf[32];

	return read_attr(dirfd, path, buf, sizeof(buf)) ?: parse_attr_ll(buf, v);
}

/* The reason for a source that could not be read; 0, or -ENOMEM for metrics_read(). */
static int source_fail(struct metrics *m, enum metric_kind k, const char *path, int err)
{
	kind_fail(m, k, "%s: %s", path, strerror(-err));
	return err == -ENOMEM ? err : 0;
}

/* ---- frequency ---- */

/*
 * "2994.375": MHz with up to three decimals, printed "%u.%03u" from kHz by x86's
 * arch/x86/kernel/cpu/proc.c, back to kHz. Fixed point rather than strtod(): the figure
 * stays exact and no locale's decimal comma gets in. Digits finer than kHz are dropped.
 */
static int parse_mhz(const char *p, const char *end, uint32_t *khz)
{
	int decimals = -1;	/* digits after the point; -1 before it */
	uint64_t v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; p < end && *p != ' ' && *p != '\t'; p++) {
		if (*p == '.' && decimals < 0) {
			decimals = 0;
		} else if (!isdigit((unsigned char)*p)) {
			return -EINVAL;
		} else if (decimals < 3) {
			v = v * 10 + (*p - '0');
			decimals += decimals >= 0;
			if (v > UINT32_MAX)
				return -EINVAL;
		}
	}
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 3; decimals++)
		v *= 10;
	if (scan_blanks(p) != end || v > UINT32_MAX)
		return -EINVAL;
	*khz = v;
	return 0;
}

int parse_cpuinfo_mhz(const char *buf, struct metrics *m)
{
	struct met_freq *f = &m->freq;
	uint32_t found = 0, cpu = 0, khz;
	bool in_cpu = false;
	const char *line, *end;

	kind_reset(m, MET_FREQ);
	strcpy(f->source, "cpuinfo");
	for (line = buf; *line; line = *end ? end + 1 : end) {
		const char *colon, *key_end, *val;

		end = strchrnul(line, '\n');
		colon = memchr(line, ':', end - line);
		if (!colon)
			continue;
		key_end = colon;
		while (key_end > line && (key_end[-1] == ' ' || key_end[-1] == '\t'))
			key_end--;
		val = scan_blanks(colon + 1);
		if (key_end - line == 9 && !memcmp(line, "processor", 9)) {
			/* A block that does not say which CPU it is gets nothing. */
			in_cpu = !parse_index(val, end, &cpu);
			if (in_cpu && cpu < MET_MAX_CPUS && cpu >= f->nr)
				f->nr = cpu + 1;
			continue;
		}
		/*
		 * "cpu MHz" exactly: s390's "cpu MHz dynamic" is another format. A line the
		 * buffer cuts may hold the head of a number. 0 is unknown.
		 */
		if (!in_cpu || key_end - line != 7 || memcmp(line, "cpu MHz", 7) ||
		    *end != '\n' || parse_mhz(val, end, &khz) || !khz)
			continue;
		found++;
		if (cpu < MET_MAX_CPUS)
			f->khz[cpu] = khz;
		else
			f->more++;
	}
	if (!found) {
		kind_reset(m, MET_FREQ);
		kind_fail(m, MET_FREQ, "no cpufreq or cpu MHz in /proc/cpuinfo");
		return -EINVAL;
	}
	kind_ok(m, MET_FREQ);
	return 0;
}

/* "cpu" and a number: CPU directories, not cpufreq/, cpuidle/ and the like. */
static bool cpu_dir(const char *name, uint32_t *cpu)
{
	return !strncmp(name, "cpu", 3) && !parse_index(name + 3, name + strlen(name), cpu);
}

/*
 * scaling_cur_freq of every CPU that has one. A CPU without (offline, or outside every
 * policy) stays 0, unknown. Returns how many CPUs had a figure.
 */
static uint32_t read_cpufreq(struct metrics *m, int sys_fd)
{
	struct met_freq *f = &m->freq;
	uint32_t found = 0, cpu;
	struct dirent *de;
	DIR *dir;
	int fd;

	kind_reset(m, MET_FREQ);
	strcpy(f->source, "cpufreq");
	fd = openat(sys_fd, "devices/system/cpu", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	while ((de = readdir(dir))) {
		char path[300];
		long long khz;

		if (!cpu_dir(de->d_name, &cpu))
			continue;
		if (cpu < MET_MAX_CPUS && cpu >= f->nr)
			f->nr = cpu + 1;
		snprintf(path, sizeof(path), "%s/cpufreq/scaling_cur_freq", de->d_name);
		/* Some drivers print "<unknown>" when they cannot tell. */
		if (read_attr_ll(dirfd(dir), path, &khz) || khz <= 0 || khz > UINT32_MAX)
			continue;
		found++;
		if (cpu < MET_MAX_CPUS)
			f->khz[cpu] = khz;
		else
			f->more++;
	}
	closedir(dir);
	return found;
}

static int collect_freq(struct metrics *m, struct rbuf *rb, int proc_fd, int sys_fd)
{
	int err;

	if (read_cpufreq(m, sys_fd)) {
		kind_ok(m, MET_FREQ);
		return 0;
	}
	err = rbuf_load(rb, proc_fd, "cpuinfo");
	if (err) {
		kind_reset(m, MET_FREQ);
		kind_fail(m, MET_FREQ, "no cpufreq; /proc/cpuinfo: %s", strerror(-err));
		return err == -ENOMEM ? err : 0;
	}
	parse_cpuinfo_mhz(rb->buf, m);
	return 0;
}

/* ---- temperatures ---- */

/* Each half of "device/label", so that the two always fit in met_temp.name. */
#define TEMP_PART_LEN	(MET_SENSOR_LEN / 2)

static void temp_add(struct metrics *m, const char *dev, const char *label, long long mdegc)
{
	struct met_temp *t;

	/* A value outside int32 is no temperature a sensor reports: a broken file. */
	if (mdegc < INT32_MIN || mdegc > INT32_MAX) {
		m->temps_bad++;
		return;
	}
	if (m->nr_temps == MET_MAX_TEMPS) {
		m->temps_more++;
		return;
	}
	t = &m->temps[m->nr_temps++];
	snprintf(t->name, sizeof(t->name), "%s/%s", dev, label);
	t->mdegc = mdegc;
}

static int is_hwmon(const struct dirent *de)
{
	return !strncmp(de->d_name, "hwmon", 5);
}

static int is_thermal_zone(const struct dirent *de)
{
	return !strncmp(de->d_name, "thermal_zone", 12);
}

/* "temp<K>_input": the sysfs-interface name of temperature channel K. */
static int is_temp_input(const struct dirent *de)
{
	const char *p = de->d_name;

	if (strncmp(p, "temp", 4) || !isdigit((unsigned char)p[4]))
		return 0;
	for (p += 4; isdigit((unsigned char)*p); p++)
		;
	return !strcmp(p, "_input");
}

/*
 * The entries of @path under @dirfd that @want, in version order (hwmon2 before hwmon10), so
 * that sensors keep their places from one read to the next; how many, or -errno.
 */
static int list_dir(int dirfd, const char *path, int (*want)(const struct dirent *),
		    struct dirent ***list)
{
	int n = scandirat(dirfd, path, list, want, versionsort);

	return n < 0 ? -errno : n;
}

static void free_list(struct dirent **list, int n)
{
	while (n > 0)
		free(list[--n]);
	free(list);
}

/* The temperature channels of one hwmon device (its directory fd @fd); 0 or -ENOMEM. */
static int read_hwmon_dev(struct metrics *m, int fd, const char *dir)
{
	struct dirent **list;
	char dev[TEMP_PART_LEN];
	int i, n;

	/* "name" is mandatory (sysfs-interface.rst); a device without gets its directory's. */
	if (read_attr(fd, "name", dev, sizeof(dev)) || !dev[0])
		copy_str(dev, sizeof(dev), dir);
	n = list_dir(fd, ".", is_temp_input, &list);
	if (n < 0)
		return n == -ENOMEM ? n : 0;
	for (i = 0; i < n; i++) {
		char path[300], label[TEMP_PART_LEN];
		size_t k = strlen(list[i]->d_name) - strlen("_input");
		long long v;

		if (read_attr_ll(fd, list[i]->d_name, &v)) {
			m->temps_bad++;
			continue;
		}
		/* tempK_label is optional; without it, the channel's own name. */
		snprintf(path, sizeof(path), "%.*s_label", (int)k, list[i]->d_name);
		if (read_attr(fd, path, label, sizeof(label)) || !label[0])
			snprintf(label, sizeof(label), "%.*s", (int)k, list[i]->d_name);
		temp_add(m, dev, label, v);
	}
	free_list(list, n);
	return 0;
}

static int read_hwmon(struct metrics *m, int sys_fd)
{
	struct dirent **list;
	int i, n, err = 0;

	n = list_dir(sys_fd, "class/hwmon", is_hwmon, &list);
	if (n < 0)
		return n == -ENOMEM ? n : 0;
	for (i = 0; i < n; i++) {
		char path[300];
		int fd;

		snprintf(path, sizeof(path), "class/hwmon/%s", list[i]->d_name);
		fd = openat(sys_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read_hwmon_dev(m, fd, list[i]->d_name))
			err = -ENOMEM;
		close(fd);
	}
	free_list(list, n);
	return err;
}

static int read_thermal(struct metrics *m, int sys_fd)
{
	struct dirent **list;
	int i, n;

	n = list_dir(sys_fd, "class/thermal", is_thermal_zone, &list);
	if (n < 0)
		return n == -ENOMEM ? n : 0;
	for (i = 0; i < n; i++) {
		char path[300], type[TEMP_PART_LEN];
		long long v;

		snprintf(path, sizeof(path), "class/thermal/%s/temp", list[i]->d_name);
		/* A disabled zone, or one whose sensor is not ready, fails the read. */
		if (read_attr_ll(sys_fd, path, &v)) {
			m->temps_bad++;
			continue;
		}
		snprintf(path, sizeof(path), "class/thermal/%s/type", list[i]->d_name);
		if (read_attr(sys_fd, path, type, sizeof(type)) || !type[0])
			copy_str(type, sizeof(type), list[i]->d_name);
		temp_add(m, "thermal", type, v);
	}
	free_list(list, n);
	return 0;
}

/*
 * Both hwmon and thermal zones: a machine may have either, and a thermal zone with a hwmon
 * twin ("acpitz") shows under both names.
 */
static int collect_temp(struct metrics *m, int sys_fd)
{
	int err;

	kind_reset(m, MET_TEMP);
	err = read_hwmon(m, sys_fd);
	if (!err)
		err = read_thermal(m, sys_fd);
	if (err) {
		kind_fail(m, MET_TEMP, "%s", strerror(-err));
		return err;
	}
	if (m->nr_temps || m->temps_more)
		kind_ok(m, MET_TEMP);
	else if (m->temps_bad)
		kind_fail(m, MET_TEMP, "%u temperature sensors, none readable", m->temps_bad);
	else
		kind_fail(m, MET_TEMP, "no hwmon or thermal zone sensors");
	return 0;
}

/* ---- network ---- */

/* /proc/net/dev columns after "name:" (proc(5)): 8 receive, then 8 transmit. */
#define NET_COLS	16

/*
 * "name: c1 .. c16" ending in a newline. Older kernels printed "%6s:%8lu", so a large byte
 * count may touch the colon; names cannot hold a colon (dev_valid_name()).
 */
static int parse_net_line(const char *line, const char *end, struct met_net *n)
{
	const char *p = scan_blanks(line), *colon = memchr(line, ':', end - line);
	uint64_t v[NET_COLS];
	int i;

	if (!colon || *end != '\n' || memchr(p, ' ', colon - p) || memchr(p, '\t', colon - p) ||
	    copy_name(n->name, p, colon - p))
		return -EINVAL;
	p = colon + 1;
	for (i = 0; i < NET_COLS; i++) {
		p = scan_dec(scan_blanks(p), &v[i]);
		if (!p)
			return -EINVAL;
	}
	if (scan_blanks(p) != end)
		return -EINVAL;
	/* Columns 1-4 and 9-12: bytes, packets, errs, drop of each direction. */
	n->rx_bytes = v[0];
	n->rx_packets = v[1];
	n->rx_errs = v[2];
	n->rx_drop = v[3];
	n->tx_bytes = v[8];
	n->tx_packets = v[9];
	n->tx_errs = v[10];
	n->tx_drop = v[11];
	return 0;
}

int parse_net_dev(const char *buf, struct metrics *m, bool (*keep)(const char *name, void *ctx),
		  void *ctx)
{
	const char *line, *end;

	kind_reset(m, MET_NET);
	for (line = buf; *line; line = *end ? end + 1 : end) {
		struct met_net n;

		end = strchrnul(line, '\n');
		/* The two header lines are the ones with '|'. */
		if (end == line || memchr(line, '|', end - line))
			continue;
		if (parse_net_line(line, end, &n)) {
			m->nets_bad++;
			continue;
		}
		if (!strcmp(n.name, "lo") || (keep && !keep(n.name, ctx)))
			continue;
		if (m->nr_nets == MET_MAX_NETS)
			m->nets_more++;
		else
			m->nets[m->nr_nets++] = n;
	}
	if (m->nets_bad && !m->nr_nets && !m->nets_more) {
		kind_fail(m, MET_NET, "/proc/net/dev: %u malformed lines, no interface",
			  m->nets_bad);
		return -EINVAL;
	}
	kind_ok(m, MET_NET);
	return 0;
}

/*
 * A loopback interface under another name than "lo" has the type ARPHRD_LOOPBACK
 * (Documentation/ABI/testing/sysfs-class-net); an unreadable type keeps the interface.
 */
static bool net_keep(const char *name, void *ctx)
{
	char path[64];
	long long type;

	snprintf(path, sizeof(path), "class/net/%s/type", name);
	return read_attr_ll(*(int *)ctx, path, &type) || type != ARPHRD_LOOPBACK;
}

static int collect_net(struct metrics *m, struct rbuf *rb, int proc_fd, int sys_fd)
{
	int err = rbuf_load(rb, proc_fd, "net/dev");

	if (err) {
		kind_reset(m, MET_NET);
		return source_fail(m, MET_NET, "/proc/net/dev", err);
	}
	parse_net_dev(rb->buf, m, net_keep, &sys_fd);
	return 0;
}

/* ---- disks ---- */

/* Fields 4-14 of procfs-diskstats are in every kernel since 2.6; 15-20 came later. */
#define DISK_MIN_COLS	11

/* "major minor name" and at least DISK_MIN_COLS numbers, ending in a newline. */
static int parse_disk_line(const char *line, const char *end, struct met_disk *d)
{
	const char *p = scan_blanks(line), *name;
	uint64_t v[DISK_MIN_COLS], x;
	int i;

	if (*end != '\n')
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		p = scan_dec(p, &x);
		if (!p)
			return -EINVAL;
		p = scan_blanks(p);
	}
	name = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	if (copy_name(d->name, name, p - name))
		return -EINVAL;
	for (i = 0; p != end; i++) {
		p = scan_dec(scan_blanks(p), i < DISK_MIN_COLS ? &v[i] : &x);
		if (!p)
			return -EINVAL;
		p = scan_blanks(p);
	}
	if (i < DISK_MIN_COLS)
		return -EINVAL;
	/* procfs-diskstats fields 4, 6, 7 and 8, 10, 11 (iostats.rst fields 1, 3, 4, 5, 7, 8). */
	d->rd_ios = v[0];
	d->rd_sectors = v[2];
	d->rd_ms = v[3];
	d->wr_ios = v[4];
	d->wr_sectors = v[6];
	d->wr_ms = v[7];
	return 0;
}

/* loopN and ramN (brd) mirror I/O that other disks or memory already count. */
static bool disk_virtual(const char *name)
{
	return (!strncmp(name, "loop", 4) && isdigit((unsigned char)name[4])) ||
	       (!strncmp(name, "ram", 3) && isdigit((unsigned char)name[3]));
}

int parse_diskstats(const char *buf, struct metrics *m, bool (*keep)(const char *name, void *ctx),
		    void *ctx)
{
	const char *line, *end;

	kind_reset(m, MET_DISK);
	for (line = buf; *line; line = *end ? end + 1 : end) {
		struct met_disk d;

		end = strchrnul(line, '\n');
		if (end == line)
			continue;
		if (parse_disk_line(line, end, &d)) {
			m->disks_bad++;
			continue;
		}
		if (disk_virtual(d.name) || (keep && !keep(d.name, ctx)))
			continue;
		if (m->nr_disks == MET_MAX_DISKS)
			m->disks_more++;
		else
			m->disks[m->nr_disks++] = d;
	}
	if (m->disks_bad && !m->nr_disks && !m->disks_more) {
		kind_fail(m, MET_DISK, "/proc/diskstats: %u malformed lines, no disk",
			  m->disks_bad);
		return -EINVAL;
	}
	kind_ok(m, MET_DISK);
	return 0;
}

/*
 * /sys/block lists whole disks only; partitions live under their disk. A '/' in a disk name
 * ("cciss/c0d0") is a '!' in sysfs (lib/kobject.c, kobject_set_name_vargs()).
 */
static bool disk_keep(const char *name, void *ctx)
{
	char sysname[MET_NAME_LEN], *p;
	struct stat st;

	copy_str(sysname, sizeof(sysname), name);
	for (p = sysname; (p = strchr(p, '/')); p++)
		*p = '!';
	return !fstatat(*(int *)ctx, sysname, &st, AT_SYMLINK_NOFOLLOW);
}

static int collect_disk(struct metrics *m, struct rbuf *rb, int proc_fd, int sys_fd)
{
	int err = rbuf_load(rb, proc_fd, "diskstats"), block_fd;

	if (err) {
		kind_reset(m, MET_DISK);
		return source_fail(m, MET_DISK, "/proc/diskstats", err);
	}
	/* Without /sys/block partitions cannot be told apart: keep them all. */
	block_fd = openat(sys_fd, "block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (block_fd < 0) {
		parse_diskstats(rb->buf, m, NULL, NULL);
		return 0;
	}
	parse_diskstats(rb->buf, m, disk_keep, &block_fd);
	close(block_fd);
	return 0;
}

/* ---- paging ---- */

int parse_vmstat(const char *buf, struct metrics *m)
{
	/*
	 * pgpgin/pgpgout count the 512-byte sectors submit_bio() sends (block/blk-core.c);
	 * vmstat_start() halves them before printing (mm/vmstat.c: "sectors -> kbytes"), so the
	 * file gives KiB. pswpin/pswpout count pages, pgmajfault faults.
	 */
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "pgpgin", offsetof(struct met_vmstat, pgpgin_kib) },
		{ "pgpgout", offsetof(struct met_vmstat, pgpgout_kib) },
		{ "pswpin", offsetof(struct met_vmstat, pswpin) },
		{ "pswpout", offsetof(struct met_vmstat, pswpout) },
		{ "pgmajfault", offsetof(struct met_vmstat, pgmajfault) },
	};
	const size_t nr = sizeof(keys) / sizeof(keys[0]);
	const char *line, *end;
	unsigned int have = 0;
	size_t i;

	kind_reset(m, MET_VMSTAT);
	for (line = buf; *line; line = *end ? end + 1 : end) {
		const char *sp;
		uint64_t v;

		end = strchrnul(line, '\n');
		sp = memchr(line, ' ', end - line);
		if (!sp)
			continue;
		for (i = 0; i < nr; i++) {
			if ((size_t)(sp - line) != strlen(keys[i].key) ||
			    memcmp(line, keys[i].key, sp - line))
				continue;
			if (*end == '\n' && scan_dec(scan_blanks(sp), &v) == end) {
				*(uint64_t *)((char *)&m->vm + keys[i].off) = v;
				have |= 1u << i;
			}
			break;
		}
	}
	for (i = 0; i < nr; i++) {
		if (!(have & (1u << i))) {
			kind_reset(m, MET_VMSTAT);
			kind_fail(m, MET_VMSTAT, "no %s in /proc/vmstat", keys[i].key);
			return -EINVAL;
		}
	}
	kind_ok(m, MET_VMSTAT);
	return 0;
}

static int collect_vmstat(struct metrics *m, struct rbuf *rb, int proc_fd)
{
	int err = rbuf_load(rb, proc_fd, "vmstat");

	if (err) {
		kind_reset(m, MET_VMSTAT);
		return source_fail(m, MET_VMSTAT, "/proc/vmstat", err);
	}
	parse_vmstat(rb->buf, m);
	return 0;
}

int metrics_read(struct metrics *m, int proc_fd, int sys_fd)
{
	struct rbuf rb = {};
	int err;

	/* Every collector runs, whatever the ones before it did; -ENOMEM from any is returned. */
	err = collect_freq(m, &rb, proc_fd, sys_fd);
	err = collect_temp(m, sys_fd) ?: err;
	err = collect_net(m, &rb, proc_fd, sys_fd) ?: err;
	err = collect_disk(m, &rb, proc_fd, sys_fd) ?: err;
	err = collect_vmstat(m, &rb, proc_fd) ?: err;
	free(rb.buf);
	return err;
}
