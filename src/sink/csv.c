// SPDX-License-Identifier: GPL-2.0
/*
 * --format csv: a row per process (or thread, or program) per snapshot, the header once, in
 * RFC 4180 form. docs/output.md documents the columns. Figures are in base units, as in JSON.
 */
#include <errno.h>
#include <string.h>

#include "lib/text.h"
#include "sink/batch.h"

/* Text from a process, made terminal-safe, then quoted when it holds a comma or a quote. */
static void put_text(FILE *f, const char *s, size_t n)
{
	char clean[256];
	const char *p;

	text_sanitize(clean, sizeof(clean), s, n);
	if (!strpbrk(clean, ",\"")) {
		fputs(clean, f);
		return;
	}
	fputc('"', f);
	for (p = clean; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* A counter, or an empty cell when the source cannot give it. */
static void put_ctr(FILE *f, const struct row *r, int k)
{
	if (r->have & 1u << k)
		fprintf(f, ",%llu", (unsigned long long)r->ctr[k]);
	else
		fputc(',', f);
}

static void put_figures(FILE *f, const struct row *r)
{
	int k;

	fprintf(f, ",%u,%.2f,%.2f,%.2f,%llu,%llu,%llu,%llu", r->nr_threads, r->cpu_pct,
		r->usr_pct, r->sys_pct, (unsigned long long)r->cpu_ns,
		(unsigned long long)r->user_ns, (unsigned long long)r->sys_ns,
		(unsigned long long)r->time_ns);
	/* The hardware counters are JSON's alone: the columns stay as documented. */
	for (k = 0; k <= TASK_IOW_NS; k++)
		put_ctr(f, r, k);
	if (r->have & TASK_HAVE_MAXW)
		fprintf(f, ",%llu", (unsigned long long)r->max_wait_ns);
	else
		fputc(',', f);
}

#define FIGURES "threads,cpu_pct,user_pct,sys_pct,cpu_ns,user_ns,sys_ns,time_ns,syscalls," \
	"voluntary_switches,involuntary_switches,migrations,wait_ns,iowait_ns,max_wait_ns"

int csv_print(FILE *f, const struct snapshot *s, const struct model *m,
	      const struct settings *o, struct users *users, bool header)
{
	size_t i;

	if (header && o->group != GROUP_NONE)
		fputs("timestamp_ns,group,uid,count,live," FIGURES ",credits\n", f);
	else if (header)
		fputs("timestamp_ns,pid,ppid,uid,user,state," FIGURES ",command\n", f);
	for (i = 0; i < m->nr_rows; i++) {
		const struct row *r = &m->rows[i];
		const char *user = users_name(r->uid, users);

		fprintf(f, "%lld,", (long long)s->wall_ns);
		if (o->group != GROUP_NONE) {
			if (o->group == GROUP_USER)
				put_text(f, user, strlen(user));
			else
				put_text(f, r->comm, sizeof(r->comm));
			/* A command run by several users has no one uid. */
			if (r->many_users)
				fputc(',', f);
			else
				fprintf(f, ",%u", r->uid);
			fprintf(f, ",%u,%u", r->count, r->live);
			put_figures(f, r);
			fprintf(f, ",%.6f\n", r->time_ns / 60e9);
			continue;
		}
		fprintf(f, "%u,%u,%u,", r->pid, r->ppid, r->uid);
		put_text(f, user, strlen(user));
		fprintf(f, ",%c", r->state);
		put_figures(f, r);
		fputc(',', f);
		put_text(f, r->comm, sizeof(r->comm));
		fputc('\n', f);
	}
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
