/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tests that read tests/fixtures (test_procfs.c, test_interrupts.c): include
 * after <limits.h>, <stdio.h>, <string.h> and <unistd.h>.
 */
#ifndef CPUTOP_TEST_FIXTURE_H
#define CPUTOP_TEST_FIXTURE_H

/*
 * A fixture path: from the repository root, where the runner runs; else from where the test
 * program lives (build/tests/test_*), so that it also runs from another directory.
 */
static const char *fixture(const char *name)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX - 64];	/* room for the fixture part */
	ssize_t n;
	int i;

	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	if (!access(path, F_OK))
		return path;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (i = 0; i < 3; i++) {
			char *slash = strrchr(exe, '/');

			if (slash)
				*slash = '\0';
		}
		snprintf(path, sizeof(path), "%s/tests/fixtures/%s", exe, name);
	}
	return path;
}

#endif /* CPUTOP_TEST_FIXTURE_H */
