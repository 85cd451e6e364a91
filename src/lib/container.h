/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_LIB_CONTAINER_H
#define CPUTOP_LIB_CONTAINER_H

#include <stddef.h>

/* The structure that holds @ptr as its @member: an interface's implementation from the base. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#endif /* CPUTOP_LIB_CONTAINER_H */
