// SPDX-License-Identifier: GPL-2.0
/*
 * The settings' grammar, shared by the command line, the rc file and the interactive view's
 * prompts.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/users.h"
#include "view/settings.h"

const char *const setting_names[SET_NR] = {
	[SET_DELAY] = "delay", [SET_SORT] = "sort", [SET_THREADS] = "threads",
	[SET_FILTER] = "filter", [SET_USER] = "user", [SET_FIELDS] = "fields",
	[SET_METERS] = "meters", [SET_GRAPH] = "graph", [SET_CPUS] = "cpus",
	[SET_GROUP] = "group", [SET_TREE] = "tree", [SET_METRICS] = "metrics",
	[SET_CGROUP_DEPTH] = "cgroup-depth",
};

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->delay_s = 1.0;
	s->sort = FIELD_CPU;
	s->descending = true;
	memcpy(s->fields, fields_default, sizeof(fields_default));
	s->nr_fields = NR_FIELDS_DEFAULT;
}

static int __attribute__((format(printf, 3, 4))) fail(char *err, size_t errlen, const char *fmt,
						      ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Every column's name, for the error that refuses one. */
static const char *fields_all(void)
{
	static char buf[FIELD_COLUMNS * 10];
	size_t len = 0;
	int f;

	for (f = 0; f < FIELD_COLUMNS; f++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s", f ? " " : "",
				field_table[f].name);
	return buf;
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

int settings_set(struct settings *s, enum setting k, const char *label, const char *arg,
		 char *err, size_t errlen)
{
	enum field fields[FIELD_COLUMNS], f;
	const char *bad;
	size_t nr;
	uint32_t uid;
	double d;
	char *end;
	bool b;

	switch (k) {
	case SET_DELAY:
		errno = 0;
		d = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(d) || d < 0.01 || d > 86400)
			return fail(err, errlen, "%s: '%s' is not a delay in seconds (0.01 to "
				    "86400)", label, arg);
		s->delay_s = d;
		return 0;
	case SET_SORT:
		bad = arg + (*arg == '+' || *arg == '-');
		if (field_parse(bad, &f))
			return fail(err, errlen, "%s: unknown field '%s' (%s)", label, bad,
				    fields_all());
		s->sort = f;
		s->descending = *arg == '+' ? true : *arg == '-' ? false : field_table[f].descends;
		return 0;
	case SET_THREADS:
		if (parse_bool(arg, &s->threads))
			return fail(err, errlen, "%s: '%s' is not yes or no", label, arg);
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
		if (nr >= sizeof(s->filter))
			return fail(err, errlen, "%s: longer than %zu bytes", label,
				    sizeof(s->filter) - 1);
		for (size_t i = 0; i < nr; i++) {
			if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f)
				return fail(err, errlen, "%s: control characters are not allowed",
					    label);
		}
		memcpy(s->filter, arg, nr);
		s->filter[nr] = '\0';
		return 0;
	case SET_USER:
		/* Empty: every user. */
		if (*arg && users_uid(arg, &uid))
			return fail(err, errlen, "%s: unknown user '%s'", label, arg);
		s->uid_set = *arg;
		s->uid = *arg ? uid : 0;
		return 0;
	case SET_FIELDS:
		if (fields_parse(arg, fields, &nr, &bad))
			return fail(err, errlen, "%s: bad or repeated field at '%s' (%s)", label,
				    bad, fields_all());
		memcpy(s->fields, fields, nr * sizeof(*fields));
		s->nr_fields = nr;
		return 0;
	case SET_METERS:
		if (strcmp(arg, "each") && strcmp(arg, "all"))
			return fail(err, errlen, "%s: '%s' is not each or all", label, arg);
		s->cpu_total = !strcmp(arg, "all");
		return 0;
	case SET_GRAPH:
		if (parse_bool(arg, &b))
			return fail(err, errlen, "%s: '%s' is not yes or no", label, arg);
		s->no_graph = !b;
		return 0;
	case SET_CPUS:
		if (parse_bool(arg, &s->cpus))
			return fail(err, errlen, "%s: '%s' is not yes or no", label, arg);
		return 0;
	case SET_GROUP:
		for (nr = 0; nr < GROUP_NR && strcmp(arg, group_names[nr]); nr++)
			;
		if (nr == GROUP_NR)
			return fail(err, errlen, "%s: '%s' is not comm, user, cgroup, unit, container "
				    "or none", label, arg);
		s->group = nr;
		return 0;
	case SET_TREE:
		if (parse_bool(arg, &s->tree))
			return fail(err, errlen, "%s: '%s' is not yes or no", label, arg);
		return 0;
	case SET_METRICS:
		if (parse_bool(arg, &b))
			return fail(err, errlen, "%s: '%s' is not yes or no", label, arg);
		s->no_metrics = !b;
		return 0;
	case SET_CGROUP_DEPTH: {
		char *end;
		unsigned long d;

		/* Deeper than the kernel's limit (cgroup.max.depth is unbounded) means nothing. */
		errno = 0;
		d = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || *arg == '-' || d > 1000)
			return fail(err, errlen, "%s: '%s' is not a depth from 0 (none) to 1000",
				    label, arg);
		s->cgroup_depth = d;
		return 0;
	}
	case SET_NR:
		break;
	}
	return -EINVAL;
}

int settings_named(struct settings *s, unsigned int given, const char *name, const char *value,
		   char *err, size_t errlen)
{
	int i;

	for (i = 0; i < SET_NR; i++) {
		if (strcmp(name, setting_names[i]))
			continue;
		if (given & 1u << i)
			return 0;
		/* --tree and --group exclude each other: the rc file cannot add the other. */
		if ((i == SET_GROUP && given & 1u << SET_TREE) ||
		    (i == SET_TREE && given & 1u << SET_GROUP))
			return 0;
		return settings_set(s, i, name, value, err, errlen);
	}
	return fail(err, errlen, "unknown setting '%s'", name);
}

void settings_write(FILE *f, const struct settings *s)
{
	char buf[32];
	size_t i;

	snprintf(buf, sizeof(buf), "%.15g", s->delay_s);
	/* The shortest decimal that reads back as the same double. */
	for (i = 15; i < 17 && strtod(buf, NULL) != s->delay_s; i++)
		snprintf(buf, sizeof(buf), "%.*g", (int)i + 1, s->delay_s);
	fprintf(f, "delay=%s\n", buf);
	fprintf(f, "sort=%c%s\n", s->descending ? '+' : '-', field_table[s->sort].name);
	fprintf(f, "threads=%s\n", s->threads ? "yes" : "no");
	fprintf(f, "filter=%s\n", s->filter);
	if (s->uid_set)
		fprintf(f, "user=%u\n", s->uid);
	else
		fputs("user=\n", f);
	fputs("fields=", f);
	for (i = 0; i < s->nr_fields; i++)
		fprintf(f, "%s%s", i ? "," : "", field_table[s->fields[i]].name);
	fprintf(f, "\nmeters=%s\n", s->cpu_total ? "all" : "each");
	fprintf(f, "graph=%s\n", s->no_graph ? "no" : "yes");
	fprintf(f, "cpus=%s\n", s->cpus ? "yes" : "no");
	fprintf(f, "group=%s\n", group_names[s->group]);
	fprintf(f, "tree=%s\n", s->tree ? "yes" : "no");
	fprintf(f, "metrics=%s\n", s->no_metrics ? "no" : "yes");
	fprintf(f, "cgroup-depth=%u\n", s->cgroup_depth);
}

bool settings_cgroups(const struct settings *s)
{
	for (size_t i = 0; i < s->nr_fields; i++) {
		if (field_table[s->fields[i]].needs & TASK_HAVE_CGROUP)
			return true;
	}
	return group_is_cgroup(s->group);
}

void settings_field_ctx(struct field_ctx *c, const struct settings *s,
			const struct snapshot *cur, const struct cg_table *cg, struct users *users)
{
	*c = (struct field_ctx){
		.user_name = users_name, .user_ctx = users, .group = s->group,
		.threads = s->threads, .tree = s->tree && group_has_tree(s->group),
		.ts_ns = cur->ts_ns, .wall_ns = cur->wall_ns, .cg = cg,
	};
}
