// SPDX-License-Identifier: GPL-2.0
/*
 * Command line: top's batch flags (-b -n -d -p -u -o -H) plus cputop's own long options. The
 * flags that are settings go through settings_set(), the rc file's grammar.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "lib/addr.h"
#include "lib/clock.h"
#include "lib/when.h"

enum {
	OPT_TOP = 256, OPT_NO_BPF, OPT_PROC_ROOT, OPT_FIELDS, OPT_FILTER, OPT_READONLY, OPT_CPUS,
	OPT_GROUP, OPT_TREE, OPT_FORMAT, OPT_EXIT_LOG, OPT_SYS_ROOT, OPT_NO_SYSCALLS, OPT_STORAGE,
	OPT_RECORD, OPT_RETAIN, OPT_RETAIN_SIZE, OPT_REPLAY, OPT_BEGIN, OPT_END, OPT_THIN, OPT_KEEP,
	OPT_AFTER, OPT_CGROUP_DEPTH, OPT_LISTEN, OPT_EXPORT_TOP, OPT_EXPORT_GROUP, OPT_EXPORT_EXPIRE,
	OPT_EXPORT_LIMIT, OPT_EXPORT_STREAMS
};

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "sort", required_argument, NULL, 'o' },
	{ "threads", no_argument, NULL, 'H' },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "readonly", no_argument, NULL, OPT_READONLY },
	{ "cpus", no_argument, NULL, OPT_CPUS },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "cgroup-depth", required_argument, NULL, OPT_CGROUP_DEPTH },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "exit-log", required_argument, NULL, OPT_EXIT_LOG },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "retain", required_argument, NULL, OPT_RETAIN },
	{ "retain-size", required_argument, NULL, OPT_RETAIN_SIZE },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "begin", required_argument, NULL, OPT_BEGIN },
	{ "end", required_argument, NULL, OPT_END },
	{ "thin", required_argument, NULL, OPT_THIN },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "export-top", required_argument, NULL, OPT_EXPORT_TOP },
	{ "export-group", required_argument, NULL, OPT_EXPORT_GROUP },
	{ "export-expire", required_argument, NULL, OPT_EXPORT_EXPIRE },
	{ "export-limit", required_argument, NULL, OPT_EXPORT_LIMIT },
	{ "export-streams", required_argument, NULL, OPT_EXPORT_STREAMS },
	{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
	{ "no-bpf", no_argument, NULL, OPT_NO_BPF },
	{ "no-syscalls", no_argument, NULL, OPT_NO_SYSCALLS },
	{ "bpf-storage", required_argument, NULL, OPT_STORAGE },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 }
};

void cli_usage(FILE *f)
{
	fputs("Usage: cputop [-b] [-n N] [-d SECS] [-p PID[,PID...]] [-u USER] [-o [+|-]FIELD]\n"
	      "              [-H] [--fields LIST] [--filter TEXT] [--top N] [--readonly]\n"
	      "              [--cpus] [--group KEY [--cgroup-depth N]] [--tree]\n"
	      "              [--format text|json|csv|none] [--exit-log FILE]\n"
	      "              [--record PATH [--retain DAYS] [--retain-size BYTES]]\n"
	      "              [--replay PATH [--begin TIME] [--end TIME]]\n"
	      "              [--listen [ADDR:]PORT [--export-top K] [--export-group KIND]\n"
	      "               [--export-expire DURATION] [--export-limit N] [--export-streams N]]\n"
	      "              [--no-bpf] [--no-syscalls] [--bpf-storage MODE]\n"
	      "              [--proc-root DIR] [--sys-root DIR]\n"
	      "       cputop --thin PATH [--keep 1m] [--after 24h]\n"
	      "\n"
	      "Per-task CPU time measured in the kernel by eBPF, exits included. On a terminal\n"
	      "it is an interactive view (h or ? there lists the keys); -b prints text.\n"
	      "\n"
	      "  -b, --batch          print text snapshots instead of the interactive view\n"
	      "  -n, --iterations N   stop after N snapshots (default: until interrupted)\n"
	      "  -d, --delay SECS     seconds between snapshots, fractions allowed (default 1.0)\n"
	      "  -p, --pid LIST       only these processes (comma-separated PIDs)\n"
	      "  -u, --user USER      only processes of this user (name or uid)\n"
	      "  -o, --sort FIELD     sort by a column (any of --fields'); a leading + sorts\n"
	      "                       high to low, - low to high\n"
	      "  -H, --threads        one row per thread\n"
	      "      --fields LIST    the columns to show, comma-separated, in order, from\n"
	      "                       COLUMNS below (default: PID to %SYS, TIME+ and COMMAND)\n"
	      "      --cpus           a table of per-CPU times, switches, syscalls and interrupts\n"
	      "                       above the processes (the interactive view's c key)\n"
	      "      --group KEY      one row per program: KEY is comm (command name), user,\n"
	      "                       cgroup, unit (systemd's) or container; CNT counts the\n"
	      "                       processes seen since cputop started, TIME+ and CREDITS\n"
	      "                       (CPU-minutes) their CPU: live ones' whole life, and that\n"
	      "                       of the ones that exited since; a cgroup's row has its\n"
	      "                       LIMIT, THR% and PSI% too\n"
	      "      --cgroup-depth N fold cgroups deeper than N into their ancestor at depth N\n"
	      "                       (/system.slice is 1 deep) in --group cgroup\n"
	      "      --tree           children under their parents (the interactive view's V);\n"
	      "                       with --group cgroup, each cgroup holding its subtree\n"
	      "      --format FMT     batch output: text (default), json (a line a snapshot),\n"
	      "                       csv (a row a process a snapshot; see docs/output.md), or\n"
	      "                       none (for --record or --exit-log alone)\n"
	      "      --exit-log FILE  append a line (InfluxDB line protocol) for every process\n"
	      "                       that exits; - is stdout (batch only); needs eBPF\n"
	      "      --record PATH    append every snapshot, exits included, to a recording: a\n"
	      "                       file, or an existing directory: a file a day in it\n"
	      "                       (cputop-YYYYMMDD.rec); see docs/record-format.md\n"
	      "      --retain DAYS    delete a directory's files older than DAYS days\n"
	      "      --retain-size BYTES\n"
	      "                       delete its oldest files while all are over BYTES (10G)\n"
	      "      --replay PATH    show a recording (a file or a directory) instead of now:\n"
	      "                       every view and output; t, T, b and space step in it\n"
	      "      --begin TIME     replay from TIME: HH:MM, 'YYYY-MM-DD HH:MM:SS', -1h,\n"
	      "                       'yesterday 14:00', @UNIXSECONDS\n"
	      "      --end TIME       replay until TIME\n"
	      "      --thin PATH      rewrite a recording (file or directory) keeping one sample\n"
	      "                       every --keep (default 1m) among those older than --after\n"
	      "                       (default 24h): intervals summed, every exit kept\n"
	      "      --listen [ADDR:]PORT\n"
	      "                       serve /metrics (Prometheus, OpenMetrics), /snapshot (the\n"
	      "                       JSON of --format json) and /stream (it at each refresh,\n"
	      "                       Server-Sent Events) over HTTP; ADDR is 127.0.0.1 unless\n"
	      "                       given (0.0.0.0 or [::] for every network); see\n"
	      "                       docs/output.md\n"
	      "      --export-top K   /metrics: the K busiest processes, and the rest (10)\n"
	      "      --export-group KIND\n"
	      "                       /metrics per cgroup (default; --cgroup-depth folds deeper\n"
	      "                       ones), unit, container, or none\n"
	      "      --export-expire DURATION\n"
	      "                       drop a program or group idle this long (10m): its\n"
	      "                       counters start again from 0 if it comes back\n"
	      "      --export-limit N at most N programs and N groups (500); more count in\n"
	      "                       \"(other programs)\" and \"(other groups)\"\n"
	      "      --export-streams N\n"
	      "                       at most N clients of /stream at once (8)\n"
	      "      --filter TEXT    only commands containing TEXT (any case)\n"
	      "      --top N          print only the first N rows of each snapshot\n"
	      "      --readonly       the interactive view neither kills nor renices\n"
	      "      --no-bpf         read /proc only, without the eBPF program\n"
	      "      --no-syscalls    light eBPF: no system call hooks, so system calls cost\n"
	      "                       nothing more; user/sys from the kernel's tick ratio\n"
	      "      --bpf-storage auto|task|hash\n"
	      "                       per-task state in the task (5.11+) or a hash map\n"
	      "      --proc-root DIR  read the /proc files from DIR (implies --no-bpf, and no\n"
	      "                       /sys but --sys-root's)\n"
	      "      --sys-root DIR   read the /sys files from DIR\n"
	      "  -h, --help           this help\n"
	      "  -V, --version        the version\n"
	      "\n"
	      "The interactive view reads $XDG_CONFIG_HOME/cputop/cputoprc (default\n"
	      "~/.config/cputop/cputoprc), which its W key writes; flags override it.\n"
	      "\n"
	      "COLUMNS (--fields, -o; a - is a figure the source cannot give)\n", f);
	for (int i = 0; i < FIELD_COLUMNS; i++)
		fprintf(f, "  %-8s %s\n", field_table[i].name, field_table[i].help);
}

static int fail(struct cli *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof(o->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A whole decimal number in [min, max], nothing else. */
static int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

static int parse_pids(struct cli *o, const char *arg)
{
	char buf[1024], *tok, *save = NULL;
	unsigned long pid;

	if (strlen(arg) >= sizeof(buf))
		return fail(o, "-p: list too long");
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (parse_ulong(tok, 1, UINT32_MAX, &pid))
			return fail(o, "-p: '%s' is not a PID", tok);
		if (o->nr_pids == CLI_MAX_PIDS)
			return fail(o, "-p: at most %d PIDs", CLI_MAX_PIDS);
		o->pids[o->nr_pids++] = pid;
	}
	return o->nr_pids ? 0 : fail(o, "-p: no PID given");
}

/* A flag's setting: applied, and remembered as given so the rc file cannot undo it. */
static int flag_setting(struct cli *o, enum setting set, const char *label, const char *arg)
{
	o->given |= 1u << set;
	return settings_set(&o->set, set, label, arg, o->err, sizeof(o->err));
}

int cli_parse(struct cli *o, int argc, char **argv)
{
	bool proc_given = false, sys_given = false, thin_given = false, export_given = false;
	int64_t now = clock_ns(CLOCK_REALTIME);
	unsigned long v;
	int c;

	memset(o, 0, sizeof(*o));
	settings_init(&o->set);
	o->src.proc_root = "/proc";
	o->src.sys_root = "/sys";
	o->src.begin_ns = INT64_MIN;
	o->src.end_ns = INT64_MAX;
	o->thin_keep_ns = 60 * NSEC_PER_SEC;
	o->thin_after_ns = 24 * 3600 * NSEC_PER_SEC;
	o->export.expo = (struct expo_opts){ .top = 10, .group = GROUP_CGROUP,
					     .expire_ns = 600 * NSEC_PER_SEC, .limit = 500 };
	o->export.streams = 8;
	optind = 0;	/* glibc: 0 also forgets a cluster left half-read by an earlier parse */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bn:d:p:u:o:HhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'n':
			if (parse_ulong(optarg, 1, ULONG_MAX, &o->iterations))
				return fail(o, "-n: '%s' is not a positive count", optarg);
			break;
		case 'd':
			if (flag_setting(o, SET_DELAY, "-d", optarg))
				return -EINVAL;
			break;
		case 'p':
			if (parse_pids(o, optarg))
				return -EINVAL;
			break;
		case 'u':
			if (!*optarg || flag_setting(o, SET_USER, "-u", optarg))
				return *o->err ? -EINVAL : fail(o, "-u: no user given");
			break;
		case 'o':
			if (flag_setting(o, SET_SORT, "-o", optarg))
				return -EINVAL;
			break;
		case 'H':
			if (flag_setting(o, SET_THREADS, "-H", "yes"))
				return -EINVAL;
			break;
		case OPT_FIELDS:
			if (flag_setting(o, SET_FIELDS, "--fields", optarg))
				return -EINVAL;
			break;
		case OPT_FILTER:
			if (flag_setting(o, SET_FILTER, "--filter", optarg))
				return -EINVAL;
			break;
		case OPT_TOP:
			if (parse_ulong(optarg, 1, SIZE_MAX, &v))
				return fail(o, "--top: '%s' is not a positive count", optarg);
			o->top_n = v;
			break;
		case OPT_READONLY:
			o->readonly = true;
			break;
		case OPT_CPUS:
			if (flag_setting(o, SET_CPUS, "--cpus", "yes"))
				return -EINVAL;
			break;
		case OPT_GROUP:
			if (!strcmp(optarg, "none"))
				return fail(o, "--group: '%s' is not comm, user, cgroup, unit or "
					    "container", optarg);
			if (flag_setting(o, SET_GROUP, "--group", optarg))
				return -EINVAL;
			break;
		case OPT_CGROUP_DEPTH:
			if (flag_setting(o, SET_CGROUP_DEPTH, "--cgroup-depth", optarg))
				return -EINVAL;
			break;
		case OPT_TREE:
			if (flag_setting(o, SET_TREE, "--tree", "yes"))
				return -EINVAL;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				o->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				o->format = FORMAT_JSON;
			else if (!strcmp(optarg, "csv"))
				o->format = FORMAT_CSV;
			else if (!strcmp(optarg, "none"))
				o->format = FORMAT_NONE;
			else
				return fail(o, "--format: '%s' is not text, json, csv or none",
					    optarg);
			break;
		case OPT_RECORD:
			if (!*optarg)
				return fail(o, "--record: no path given");
			o->record.path = optarg;
			break;
		case OPT_RETAIN:
			if (parse_ulong(optarg, 1, UINT_MAX, &v))
				return fail(o, "--retain: '%s' is not a number of days", optarg);
			o->record.retain_days = v;
			break;
		case OPT_RETAIN_SIZE:
			if (when_size(optarg, &o->record.retain_bytes) || !o->record.retain_bytes)
				return fail(o, "--retain-size: '%s' is not a size (10G, 512M)",
					    optarg);
			break;
		case OPT_REPLAY:
			if (!*optarg)
				return fail(o, "--replay: no path given");
			o->src.replay = optarg;
			break;
		case OPT_BEGIN: case OPT_END:
			if (when_parse(optarg, now, c == OPT_BEGIN ? &o->src.begin_ns :
				       &o->src.end_ns))
				return fail(o, "%s: '%s' is not a time (HH:MM, 'YYYY-MM-DD "
					    "HH:MM:SS', -1h, 'yesterday 14:00')",
					    c == OPT_BEGIN ? "--begin" : "--end", optarg);
			break;
		case OPT_THIN:
			if (!*optarg)
				return fail(o, "--thin: no path given");
			o->thin = optarg;
			o->action = CLI_THIN;
			break;
		case OPT_KEEP: case OPT_AFTER:
			if (when_duration(optarg, c == OPT_KEEP ? &o->thin_keep_ns :
					  &o->thin_after_ns) ||
			    (c == OPT_KEEP && !o->thin_keep_ns))
				return fail(o, "%s: '%s' is not a duration (10s, 1m, 24h, 7d)",
					    c == OPT_KEEP ? "--keep" : "--after", optarg);
			thin_given = true;
			break;
		case OPT_EXIT_LOG:
			if (!*optarg)
				return fail(o, "--exit-log: no file given");
			o->exit_log = optarg;
			break;
		case OPT_LISTEN:
			if (addr_parse(optarg, &o->export.addr, &o->export.addr_len))
				return fail(o, "--listen: '%s' is not [ADDR:]PORT (9000, "
					    "127.0.0.1:9000, [::1]:9000)", optarg);
			o->export.listen = optarg;
			break;
		case OPT_EXPORT_TOP:
			if (parse_ulong(optarg, 0, 10000, &v))
				return fail(o, "--export-top: '%s' is not a count up to 10000",
					    optarg);
			o->export.expo.top = v;
			export_given = true;
			break;
		case OPT_EXPORT_GROUP:
			o->export.expo.group = !strcmp(optarg, "cgroup") ? GROUP_CGROUP :
					       !strcmp(optarg, "unit") ? GROUP_UNIT :
					       !strcmp(optarg, "container") ? GROUP_CONTAINER :
					       !strcmp(optarg, "none") ? GROUP_NONE : GROUP_NR;
			if (o->export.expo.group == GROUP_NR)
				return fail(o, "--export-group: '%s' is not cgroup, unit, "
					    "container or none", optarg);
			export_given = true;
			break;
		case OPT_EXPORT_EXPIRE:
			if (when_duration(optarg, &o->export.expo.expire_ns) ||
			    !o->export.expo.expire_ns)
				return fail(o, "--export-expire: '%s' is not a duration (30s, 10m, "
					    "1h)", optarg);
			export_given = true;
			break;
		case OPT_EXPORT_LIMIT:
			if (parse_ulong(optarg, 1, 100000, &v))
				return fail(o, "--export-limit: '%s' is not a count from 1 to "
					    "100000", optarg);
			o->export.expo.limit = v;
			export_given = true;
			break;
		case OPT_EXPORT_STREAMS:
			if (parse_ulong(optarg, 0, 256, &v))
				return fail(o, "--export-streams: '%s' is not a count up to 256",
					    optarg);
			o->export.streams = v;
			export_given = true;
			break;
		case OPT_SYS_ROOT:
			o->src.sys_root = optarg;
			sys_given = true;
			break;
		case OPT_NO_BPF:
			o->src.no_bpf = true;
			break;
		case OPT_NO_SYSCALLS:
			o->src.no_syscalls = true;
			break;
		case OPT_STORAGE:
			if (!strcmp(optarg, "auto"))
				o->src.storage = BPF_STORAGE_AUTO;
			else if (!strcmp(optarg, "task"))
				o->src.storage = BPF_STORAGE_TASK;
			else if (!strcmp(optarg, "hash"))
				o->src.storage = BPF_STORAGE_HASH;
			else
				return fail(o, "--bpf-storage: '%s' is not auto, task or hash", optarg);
			break;
		case OPT_PROC_ROOT:
			o->src.proc_root = optarg;
			o->src.no_bpf = true;	/* kernel data would not match a recorded tree */
			proc_given = true;
			break;
		case 'h':
			o->action = CLI_HELP;
			return 0;
		case 'V':
			o->action = CLI_VERSION;
			return 0;
		/* In a cluster (-bz), argv[optind - 1] is not the culprit: the letter is. */
		case ':':
			if (strncmp(argv[optind - 1], "--", 2))
				return fail(o, "option '-%c' needs a value", optopt);
			return fail(o, "option '%s' needs a value", argv[optind - 1]);
		default:
			if (strncmp(argv[optind - 1], "--", 2) && optopt)
				return fail(o, "unknown option '-%c'", optopt);
			return fail(o, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(o, "unexpected argument '%s'", argv[optind]);
	/* Every figure of a recorded tree comes from it: not from this machine's /sys. */
	if (proc_given && !sys_given)
		o->src.sys_root = NULL;
	/* One order at a time: a program's processes are not one subtree; cgroups are a tree. */
	if (o->set.tree && !group_has_tree(o->set.group))
		return fail(o, "--tree goes with no --group but cgroup");
	if (o->action == CLI_THIN && (o->src.replay || o->record.path))
		return fail(o, "--thin rewrites a recording: it goes with --keep and --after only");
	if (thin_given && o->action != CLI_THIN)
		return fail(o, "--keep and --after go with --thin");
	if ((o->record.retain_days || o->record.retain_bytes) && !o->record.path)
		return fail(o, "--retain and --retain-size go with --record");
	if ((o->src.begin_ns != INT64_MIN || o->src.end_ns != INT64_MAX) && !o->src.replay)
		return fail(o, "--begin and --end go with --replay");
	if (o->src.begin_ns > o->src.end_ns)
		return fail(o, "--begin is after --end");
	/* A recording's figures are all in it: nothing of this machine's goes with it. */
	if (o->src.replay && (proc_given || sys_given || o->src.no_bpf || o->src.no_syscalls))
		return fail(o, "--replay shows a recording: no source option goes with it");
	/* A counter of the past would read as the live machine's to whatever scrapes it. */
	if (o->export.listen && o->src.replay)
		return fail(o, "--listen serves this machine now: it does not go with --replay");
	if (export_given && !o->export.listen)
		return fail(o, "--export-top, -group, -expire, -limit and -streams go with --listen");
	o->export.expo.depth = o->set.cgroup_depth;
	if (o->exit_log && !strcmp(o->exit_log, "-") &&
	    (o->format == FORMAT_JSON || o->format == FORMAT_CSV))
		return fail(o, "--exit-log - would mix its lines into --format %s on standard "
			    "output", o->format == FORMAT_JSON ? "json" : "csv");
	return 0;
}
