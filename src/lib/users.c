// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "lib/users.h"

struct user_entry {
	uint32_t uid;
	char name[33];	/* useradd's limit is 32 */
};

const char *users_name(uint32_t uid, void *arg)
{
	struct users *u = arg;
	struct passwd pw, *res = NULL;
	struct user_entry *e;
	char buf[1024];
	uint32_t i;

	/* A machine has few distinct task owners: a short linear scan beats hashing here. */
	for (i = 0; i < u->nr; i++) {
		if (u->v[i].uid == uid)
			return u->v[i].name;
	}
	if (u->nr == u->cap) {
		uint32_t cap = u->cap ? 2 * u->cap : 16;

		e = realloc(u->v, cap * sizeof(*e));
		if (!e)
			return "?";
		u->v = e;
		u->cap = cap;
	}
	e = &u->v[u->nr++];
	e->uid = uid;
	if (!getpwuid_r(uid, &pw, buf, sizeof(buf), &res) && res)
		text_sanitize(e->name, sizeof(e->name), res->pw_name, strlen(res->pw_name));
	else
		snprintf(e->name, sizeof(e->name), "%u", uid);
	return e->name;
}

int users_uid(const char *name, uint32_t *uid)
{
	struct passwd pw, *res = NULL;
	unsigned long v;
	char buf[1024], *end;

	if (!getpwnam_r(name, &pw, buf, sizeof(buf), &res) && res) {
		*uid = res->pw_uid;
		return 0;
	}
	/* A uid without a passwd entry is still a uid: digits alone, (uid_t)-1 excluded. */
	if (*name < '0' || *name > '9')
		return -ENOENT;
	errno = 0;
	v = strtoul(name, &end, 10);
	if (errno || *end || v >= UINT32_MAX)
		return -ENOENT;
	*uid = v;
	return 0;
}

void users_free(struct users *u)
{
	free(u->v);
	memset(u, 0, sizeof(*u));
}
