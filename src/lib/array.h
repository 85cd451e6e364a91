/* SPDX-License-Identifier: GPL-2.0 */
/* Growing arrays: the one way the tree makes room in one. */
#ifndef CPUTOP_ARRAY_H
#define CPUTOP_ARRAY_H

#include <stddef.h>

/*
 * Room for @want elements of @size bytes in the array *@v, which has room for *@cap: at least
 * doubled, so that adding one element at a time costs a constant on average. 0, or -ENOMEM
 * with *@v and *@cap as they were.
 */
int array_grow(void **v, size_t *cap, size_t want, size_t size);

#endif /* CPUTOP_ARRAY_H */
