// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "text.h"

const struct column columns[FIELD_NR] = {
	[FIELD_PID] = { "PID", 7, false },
	[FIELD_USER] = { "USER", 8, true },
	[FIELD_STATE] = { "S", 1, true },
	[FIELD_THR] = { "THR", 3, false },
	[FIELD_CPU] = { "%CPU", 5, false },
	[FIELD_USR] = { "%USR", 5, false },
	[FIELD_SYS] = { "%SYS", 5, false },
	[FIELD_TIME] = { "TIME+", 9, false },
	[FIELD_COMMAND] = { "COMMAND", SNAP_COMM_LEN - 1, true },
};

const enum field fields_default[FIELD_NR] = {
	FIELD_PID, FIELD_USER, FIELD_STATE, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
	FIELD_TIME, FIELD_COMMAND,
};

/* @text padded to the column's width in terminal columns, not bytes (names may be UTF-8). */
static void pad(char *buf, size_t size, enum field f, const char *text)
{
	const struct column *c = &columns[f];
	size_t cols = text_cols(text);
	int fill = (size_t)c->width > cols ? c->width - (int)cols : 0;

	if (c->left)
		snprintf(buf, size, "%s%*s", text, fill, "");
	else
		snprintf(buf, size, "%*s%s", fill, "", text);
}

/* A percentage in 5 columns: 1000% and more (ten busy CPUs) lose the decimal, as in top. */
static void pct(char *buf, size_t size, double v)
{
	snprintf(buf, size, v < 999.95 ? "%.1f" : "%.0f", v);
}

void column_cell(char *buf, size_t size, enum field f, const struct row *r, const char *user)
{
	char tmp[4 * SNAP_COMM_LEN];

	switch (f) {
	case FIELD_PID:
		snprintf(tmp, sizeof(tmp), "%u", r->pid);
		break;
	case FIELD_USER:
		/* top's habit: a name too long for the column ends in '+'. */
		if (text_cols(user) > (size_t)columns[f].width)
			snprintf(tmp, sizeof(tmp), "%.*s+", (int)text_fit(user, columns[f].width - 1),
				 user);
		else
			snprintf(tmp, sizeof(tmp), "%s", user);
		break;
	case FIELD_STATE:
		snprintf(tmp, sizeof(tmp), "%c", r->state);
		break;
	case FIELD_THR:
		snprintf(tmp, sizeof(tmp), "%u", r->nr_threads);
		break;
	case FIELD_CPU:
		pct(tmp, sizeof(tmp), r->cpu_pct);
		break;
	case FIELD_USR:
		pct(tmp, sizeof(tmp), r->usr_pct);
		break;
	case FIELD_SYS:
		pct(tmp, sizeof(tmp), r->sys_pct);
		break;
	case FIELD_TIME:
		text_time(tmp, sizeof(tmp), r->time_ns, columns[f].width);
		break;
	case FIELD_COMMAND:
		text_sanitize(tmp, sizeof(tmp), r->comm, sizeof(r->comm));
		break;
	default:
		tmp[0] = '\0';
	}
	pad(buf, size, f, tmp);
}

void column_head(char *buf, size_t size, enum field f)
{
	pad(buf, size, f, columns[f].name);
}

int fields_parse(const char *list, enum field *out, size_t *nr, const char **bad)
{
	const char *p = list;
	bool seen[FIELD_NR] = {};

	*nr = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char name[16];
		enum field f;

		*bad = p;
		if (!len || len >= sizeof(name) || *nr == FIELD_NR)
			return -EINVAL;
		memcpy(name, p, len);
		name[len] = '\0';
		if (field_parse(name, &f) || seen[f])
			return -EINVAL;
		seen[f] = true;
		out[(*nr)++] = f;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}
