/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_USERS_H
#define CPUTOP_USERS_H

#include <stdint.h>

/*
 * uid -> user name, looked up once per uid (getpwuid_r) and cached for the whole run; a uid
 * without a name is shown as its number. Names are sanitised for the terminal.
 */
struct users {
	struct user_entry *v;
	uint32_t nr, cap;
};

const char *users_name(uint32_t uid, void *users);
/* A user name or numeric uid to a uid; -ENOENT when it is neither. */
int users_uid(const char *name, uint32_t *uid);
void users_free(struct users *u);

#endif /* CPUTOP_USERS_H */
