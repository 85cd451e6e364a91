// SPDX-License-Identifier: GPL-2.0
/*
 * Command line: top's batch flags (-b -n -d -p -u -o -H) plus cputop's own long options.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

enum { OPT_TOP = 256, OPT_NO_BPF, OPT_PROC_ROOT };

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "sort", required_argument, NULL, 'o' },
	{ "threads", no_argument, NULL, 'H' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "no-bpf", no_argument, NULL, OPT_NO_BPF },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 }
};

void opts_usage(FILE *f)
{
	fputs("Usage: cputop [-b] [-n N] [-d SECS] [-p PID[,PID...]] [-u USER] [-o [+|-]FIELD]\n"
	      "              [-H] [--top N] [--no-bpf] [--proc-root DIR]\n"
	      "\n"
	      "Per-task CPU time measured in the kernel by eBPF, exits included.\n"
	      "\n"
	      "  -b, --batch          print text snapshots (the only view so far)\n"
	      "  -n, --iterations N   stop after N snapshots (default: until interrupted)\n"
	      "  -d, --delay SECS     seconds between snapshots, fractions allowed (default 1.0)\n"
	      "  -p, --pid LIST       only these processes (comma-separated PIDs)\n"
	      "  -u, --user USER      only processes of this user (name or uid)\n"
	      "  -o, --sort FIELD     sort by a column: PID USER S THR %CPU %USR %SYS TIME+\n"
	      "                       COMMAND; a leading + sorts high to low, - low to high\n"
	      "  -H, --threads        one row per thread\n"
	      "      --top N          print only the first N rows of each snapshot\n"
	      "      --no-bpf         read /proc only, without the eBPF program\n"
	      "      --proc-root DIR  read the /proc files from DIR (implies --no-bpf)\n"
	      "  -h, --help           this help\n"
	      "  -V, --version        the version\n", f);
}

static int fail(struct cputop_opts *o, const char *fmt, ...)
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

static int parse_pids(struct cputop_opts *o, const char *arg)
{
	char buf[1024], *tok, *save = NULL;
	unsigned long pid;

	if (strlen(arg) >= sizeof(buf))
		return fail(o, "-p: list too long");
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (parse_ulong(tok, 1, UINT32_MAX, &pid))
			return fail(o, "-p: '%s' is not a PID", tok);
		if (o->nr_pids == OPTS_MAX_PIDS)
			return fail(o, "-p: at most %d PIDs", OPTS_MAX_PIDS);
		o->pids[o->nr_pids++] = pid;
	}
	return o->nr_pids ? 0 : fail(o, "-p: no PID given");
}

static int parse_user(struct cputop_opts *o, const char *arg)
{
	struct passwd pw, *res = NULL;
	unsigned long uid;
	char buf[1024];

	if (!getpwnam_r(arg, &pw, buf, sizeof(buf), &res) && res) {
		o->uid = res->pw_uid;
	} else if (!parse_ulong(arg, 0, UINT32_MAX - 1, &uid)) {
		o->uid = uid;	/* a uid without a passwd entry is still a uid */
	} else {
		return fail(o, "-u: unknown user '%s'", arg);
	}
	o->uid_set = true;
	return 0;
}

static int parse_sort(struct cputop_opts *o, const char *arg)
{
	const char *name = arg + (*arg == '+' || *arg == '-');

	if (field_parse(name, &o->sort))
		return fail(o, "-o: unknown field '%s' (PID USER S THR %%CPU %%USR %%SYS TIME+ "
			    "COMMAND)", name);
	o->descending = *arg == '+' ? true : *arg == '-' ? false : field_descends(o->sort);
	return 0;
}

int opts_parse(struct cputop_opts *o, int argc, char **argv)
{
	unsigned long v;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->delay_s = 1.0;
	o->sort = FIELD_CPU;
	o->descending = true;
	o->proc_root = "/proc";
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
			errno = 0;
			o->delay_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(o->delay_s) ||
			    o->delay_s < 0.01 || o->delay_s > 86400)
				return fail(o, "-d: '%s' is not a delay in seconds (0.01 to 86400)",
					    optarg);
			break;
		case 'p':
			if (parse_pids(o, optarg))
				return -EINVAL;
			break;
		case 'u':
			if (parse_user(o, optarg))
				return -EINVAL;
			break;
		case 'o':
			if (parse_sort(o, optarg))
				return -EINVAL;
			break;
		case 'H':
			o->threads = true;
			break;
		case OPT_TOP:
			if (parse_ulong(optarg, 1, SIZE_MAX, &v))
				return fail(o, "--top: '%s' is not a positive count", optarg);
			o->top_n = v;
			break;
		case OPT_NO_BPF:
			o->no_bpf = true;
			break;
		case OPT_PROC_ROOT:
			o->proc_root = optarg;
			o->no_bpf = true;	/* kernel data would not match a recorded tree */
			break;
		case 'h':
			o->action = OPTS_HELP;
			return 0;
		case 'V':
			o->action = OPTS_VERSION;
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
	return 0;
}
