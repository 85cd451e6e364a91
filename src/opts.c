// SPDX-License-Identifier: GPL-2.0
/*
 * Command line: top's batch flags (-b -n -d -p -u -o -H) plus cputop's own long options, and
 * the rc file's settings, which share the flags' grammar.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "view/columns.h"
#include "opts.h"

enum {
	OPT_TOP = 256, OPT_NO_BPF, OPT_PROC_ROOT, OPT_FIELDS, OPT_FILTER, OPT_READONLY, OPT_CPUS,
	OPT_GROUP, OPT_TREE, OPT_FORMAT, OPT_EXIT_LOG, OPT_SYS_ROOT, OPT_NO_SYSCALLS, OPT_STORAGE
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
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "exit-log", required_argument, NULL, OPT_EXIT_LOG },
	{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
	{ "no-bpf", no_argument, NULL, OPT_NO_BPF },
	{ "no-syscalls", no_argument, NULL, OPT_NO_SYSCALLS },
	{ "bpf-storage", required_argument, NULL, OPT_STORAGE },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 }
};

const char *const opts_setting_names[SET_NR] = {
	[SET_DELAY] = "delay", [SET_SORT] = "sort", [SET_THREADS] = "threads",
	[SET_FILTER] = "filter", [SET_USER] = "user", [SET_FIELDS] = "fields",
	[SET_METERS] = "meters", [SET_GRAPH] = "graph", [SET_CPUS] = "cpus",
	[SET_GROUP] = "group", [SET_TREE] = "tree", [SET_METRICS] = "metrics",
};

void opts_usage(FILE *f)
{
	fputs("Usage: cputop [-b] [-n N] [-d SECS] [-p PID[,PID...]] [-u USER] [-o [+|-]FIELD]\n"
	      "              [-H] [--fields LIST] [--filter TEXT] [--top N] [--readonly]\n"
	      "              [--cpus] [--group comm|user] [--tree] [--format text|json|csv]\n"
	      "              [--exit-log FILE] [--no-bpf] [--no-syscalls] [--bpf-storage MODE]\n"
	      "              [--proc-root DIR] [--sys-root DIR]\n"
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
	      "                       PID USER S THR %CPU %USR %SYS SYSC VCSW ICSW WAIT% MAXW\n"
	      "                       IOW% MIGR TIME+ COMMAND CNT CREDITS IPC (default: PID to\n"
	      "                       %SYS, TIME+ and COMMAND)\n"
	      "      --cpus           a table of per-CPU times, switches, syscalls and interrupts\n"
	      "                       above the processes (the interactive view's c key)\n"
	      "      --group KEY      one row per program: KEY is comm (command name) or user;\n"
	      "                       CNT counts the processes seen since cputop started, TIME+\n"
	      "                       and CREDITS (CPU-minutes) their CPU: live ones' whole life,\n"
	      "                       and that of the ones that exited since\n"
	      "      --tree           children under their parents (the interactive view's V)\n"
	      "      --format FMT     batch output: text (default), json (a line a snapshot) or\n"
	      "                       csv (a row a process a snapshot); see docs/output.md\n"
	      "      --exit-log FILE  append a line (InfluxDB line protocol) for every process\n"
	      "                       that exits; - is stdout (batch only); needs eBPF\n"
	      "      --filter TEXT    only commands containing TEXT (any case)\n"
	      "      --top N          print only the first N rows of each snapshot\n"
	      "      --readonly       the interactive view neither kills nor renices\n"
	      "      --no-bpf         read /proc only, without the eBPF program\n"
	      "      --no-syscalls    light eBPF: no system call hooks, so system calls cost\n"
	      "                       nothing more; user/sys from the kernel's tick ratio\n"
	      "      --bpf-storage auto|task|hash\n"
	      "                       per-task state in the task (5.11+) or a hash map\n"
	      "      --proc-root DIR  read the /proc files from DIR (implies --no-bpf)\n"
	      "      --sys-root DIR   read the /sys files from DIR\n"
	      "  -h, --help           this help\n"
	      "  -V, --version        the version\n"
	      "\n"
	      "The interactive view reads $XDG_CONFIG_HOME/cputop/cputoprc (default\n"
	      "~/.config/cputop/cputoprc), which its W key writes; flags override it.\n", f);
}

static int fail(struct cputop_opts *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof(o->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Every field name, for the error that refuses one. */
static const char *fields_all(void)
{
	static char buf[FIELD_NR * 10];
	size_t len = 0;
	int f;

	for (f = 0; f < FIELD_NR; f++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s", f ? " " : "", field_names[f]);
	return buf;
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

int opts_user(const char *name, uint32_t *uid)
{
	struct passwd pw, *res = NULL;
	unsigned long v;
	char buf[1024];

	if (!getpwnam_r(name, &pw, buf, sizeof(buf), &res) && res) {
		*uid = res->pw_uid;
		return 0;
	}
	/* A uid without a passwd entry is still a uid. */
	if (!parse_ulong(name, 0, UINT32_MAX - 1, &v)) {
		*uid = v;
		return 0;
	}
	return -ENOENT;
}

/* "yes" or "no" and their usual spellings. */
static int parse_bool(const char *s, bool *v)
{
	static const char *const yes[] = { "yes", "on", "true", "1" }, *const no[] = {
		"no", "off", "false", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
			*v = !strcasecmp(s, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

/* One setting, from a flag (@label "-d") or the rc file (@label "delay"); all or nothing. */
static int setting_apply(struct cputop_opts *o, enum opts_setting set, const char *label,
			 const char *arg)
{
	enum field fields[FIELD_NR], f;
	const char *bad;
	size_t nr;
	uint32_t uid;
	double d;
	char *end;
	bool b;

	switch (set) {
	case SET_DELAY:
		errno = 0;
		d = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(d) || d < 0.01 || d > 86400)
			return fail(o, "%s: '%s' is not a delay in seconds (0.01 to 86400)", label,
				    arg);
		o->delay_s = d;
		return 0;
	case SET_SORT:
		bad = arg + (*arg == '+' || *arg == '-');
		if (field_parse(bad, &f))
			return fail(o, "%s: unknown field '%s' (%s)", label, bad, fields_all());
		o->sort = f;
		o->descending = *arg == '+' ? true : *arg == '-' ? false : field_descends(f);
		return 0;
	case SET_THREADS:
		if (parse_bool(arg, &o->threads))
			return fail(o, "%s: '%s' is not yes or no", label, arg);
		return 0;
	case SET_FILTER:
		/*
		 * Blanks at the ends are dropped (the rc file could not keep them) and control
		 * bytes refused (a newline would start another rc line).
		 */
		arg += strspn(arg, " \t");
		nr = strlen(arg);
		while (nr && (arg[nr - 1] == ' ' || arg[nr - 1] == '\t'))
			nr--;
		if (nr >= sizeof(o->filter))
			return fail(o, "%s: longer than %zu bytes", label, sizeof(o->filter) - 1);
		for (size_t i = 0; i < nr; i++) {
			if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f)
				return fail(o, "%s: control characters are not allowed", label);
		}
		memcpy(o->filter, arg, nr);
		o->filter[nr] = '\0';
		return 0;
	case SET_USER:
		/* Empty: every user. */
		if (*arg && opts_user(arg, &uid))
			return fail(o, "%s: unknown user '%s'", label, arg);
		o->uid_set = *arg;
		o->uid = *arg ? uid : 0;
		return 0;
	case SET_FIELDS:
		if (fields_parse(arg, fields, &nr, &bad))
			return fail(o, "%s: bad or repeated field at '%s' (%s)", label, bad,
				    fields_all());
		memcpy(o->fields, fields, nr * sizeof(*fields));
		o->nr_fields = nr;
		return 0;
	case SET_METERS:
		if (strcmp(arg, "each") && strcmp(arg, "all"))
			return fail(o, "%s: '%s' is not each or all", label, arg);
		o->cpu_total = !strcmp(arg, "all");
		return 0;
	case SET_GRAPH:
		if (parse_bool(arg, &b))
			return fail(o, "%s: '%s' is not yes or no", label, arg);
		o->no_graph = !b;
		return 0;
	case SET_CPUS:
		if (parse_bool(arg, &o->cpus))
			return fail(o, "%s: '%s' is not yes or no", label, arg);
		return 0;
	case SET_GROUP:
		for (nr = 0; nr < GROUP_NR && strcmp(arg, group_names[nr]); nr++)
			;
		if (nr == GROUP_NR)
			return fail(o, "%s: '%s' is not comm, user or none", label, arg);
		o->group = nr;
		return 0;
	case SET_TREE:
		if (parse_bool(arg, &o->tree))
			return fail(o, "%s: '%s' is not yes or no", label, arg);
		return 0;
	case SET_METRICS:
		if (parse_bool(arg, &b))
			return fail(o, "%s: '%s' is not yes or no", label, arg);
		o->no_metrics = !b;
		return 0;
	case SET_NR:
		break;
	}
	return -EINVAL;
}

int opts_set(struct cputop_opts *o, enum opts_setting set, const char *value)
{
	return setting_apply(o, set, opts_setting_names[set], value);
}

int opts_setting(struct cputop_opts *o, const char *name, const char *value)
{
	int i;

	for (i = 0; i < SET_NR; i++) {
		if (strcmp(name, opts_setting_names[i]))
			continue;
		if (o->given & 1u << i)
			return 0;
		/* --tree and --group exclude each other: the rc file cannot add the other. */
		if ((i == SET_GROUP && o->given & 1u << SET_TREE) ||
		    (i == SET_TREE && o->given & 1u << SET_GROUP))
			return 0;
		return setting_apply(o, i, name, value);
	}
	return fail(o, "unknown setting '%s'", name);
}

void opts_settings_write(FILE *f, const struct cputop_opts *o)
{
	char buf[32];
	size_t i;

	snprintf(buf, sizeof(buf), "%.15g", o->delay_s);
	/* The shortest decimal that reads back as the same double. */
	for (i = 15; i < 17 && strtod(buf, NULL) != o->delay_s; i++)
		snprintf(buf, sizeof(buf), "%.*g", (int)i + 1, o->delay_s);
	fprintf(f, "delay=%s\n", buf);
	fprintf(f, "sort=%c%s\n", o->descending ? '+' : '-', field_names[o->sort]);
	fprintf(f, "threads=%s\n", o->threads ? "yes" : "no");
	fprintf(f, "filter=%s\n", o->filter);
	if (o->uid_set)
		fprintf(f, "user=%u\n", o->uid);
	else
		fputs("user=\n", f);
	fputs("fields=", f);
	for (i = 0; i < o->nr_fields; i++)
		fprintf(f, "%s%s", i ? "," : "", field_names[o->fields[i]]);
	fprintf(f, "\nmeters=%s\n", o->cpu_total ? "all" : "each");
	fprintf(f, "graph=%s\n", o->no_graph ? "no" : "yes");
	fprintf(f, "cpus=%s\n", o->cpus ? "yes" : "no");
	fprintf(f, "group=%s\n", group_names[o->group]);
	fprintf(f, "tree=%s\n", o->tree ? "yes" : "no");
	fprintf(f, "metrics=%s\n", o->no_metrics ? "no" : "yes");
}

/* A flag's setting: applied, and remembered as given so the rc file cannot undo it. */
static int flag_setting(struct cputop_opts *o, enum opts_setting set, const char *label,
			const char *arg)
{
	o->given |= 1u << set;
	return setting_apply(o, set, label, arg);
}

int opts_parse(struct cputop_opts *o, int argc, char **argv)
{
	unsigned long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->delay_s = 1.0;
	o->sort = FIELD_CPU;
	o->descending = true;
	memcpy(o->fields, fields_default, sizeof(fields_default));
	o->nr_fields = NR_FIELDS_DEFAULT;
	o->proc_root = "/proc";
	o->sys_root = "/sys";
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
				return fail(o, "--group: '%s' is not comm or user", optarg);
			if (flag_setting(o, SET_GROUP, "--group", optarg))
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
			else
				return fail(o, "--format: '%s' is not text, json or csv", optarg);
			break;
		case OPT_EXIT_LOG:
			if (!*optarg)
				return fail(o, "--exit-log: no file given");
			o->exit_log = optarg;
			break;
		case OPT_SYS_ROOT:
			o->sys_root = optarg;
			break;
		case OPT_NO_BPF:
			o->no_bpf = true;
			break;
		case OPT_NO_SYSCALLS:
			o->bpf.no_syscalls = true;
			break;
		case OPT_STORAGE:
			if (!strcmp(optarg, "auto"))
				o->bpf.storage = BPF_STORAGE_AUTO;
			else if (!strcmp(optarg, "task"))
				o->bpf.storage = BPF_STORAGE_TASK;
			else if (!strcmp(optarg, "hash"))
				o->bpf.storage = BPF_STORAGE_HASH;
			else
				return fail(o, "--bpf-storage: '%s' is not auto, task or hash", optarg);
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
	/* One order at a time: a program's processes are not one subtree. */
	if (o->tree && o->group)
		return fail(o, "--tree and --group do not go together");
	if (o->exit_log && !strcmp(o->exit_log, "-") && o->format != FORMAT_TEXT)
		return fail(o, "--exit-log - would mix its lines into --format %s on standard "
			    "output", o->format == FORMAT_JSON ? "json" : "csv");
	return 0;
}
