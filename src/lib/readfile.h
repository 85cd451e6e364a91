/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_READFILE_H
#define CPUTOP_READFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The whole of @path under the directory @dirfd into @buf of @cap bytes, NUL-terminated: its
 * length, -EFBIG when it does not fit (the caller grows @buf or gives up), or -errno.
 */
ssize_t readfile_at(int dirfd, const char *path, char *buf, size_t cap);

#endif /* CPUTOP_READFILE_H */
