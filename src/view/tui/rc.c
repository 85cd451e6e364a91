// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "view/tui/rc.h"

#define RC_MAX_BYTES 65536	/* an rc file is a few lines: anything larger is not one */

int rc_locate(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct passwd *pw;
	int n;

	/* The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and ignored. */
	if (xdg && *xdg == '/') {
		n = snprintf(buf, size, "%s/cputop/cputoprc", xdg);
	} else {
		if (!home || !*home) {
			pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home || !*home)
			return -ENOENT;
		n = snprintf(buf, size, "%s/.config/cputop/cputoprc", home);
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int rc_parse(struct settings *s, unsigned int given, const char *text, char *err,
	     size_t errlen)
{
	const char *p = text;
	unsigned int line = 0;
	int ret = 0;

	while (*p) {
		size_t len = strcspn(p, "\n");
		char buf[512], why[256], *name, *value, *eq;

		line++;
		if (len >= sizeof(buf)) {
			if (!ret)
				snprintf(err, errlen, "line %u: too long", line);
			ret = -EINVAL;
			goto next;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		name = trim(buf);
		if (!*name || *name == '#')
			goto next;
		eq = strchr(name, '=');
		if (!eq) {
			if (!ret)
				snprintf(err, errlen, "line %u: no '=' in '%.40s'", line, name);
			ret = -EINVAL;
			goto next;
		}
		*eq = '\0';
		value = trim(eq + 1);
		name = trim(name);
		if (settings_named(s, given, name, value, why, sizeof(why))) {
			if (!ret)
				snprintf(err, errlen, "line %u: %s", line, why);
			ret = -EINVAL;
		}
next:
		p += len + !!p[len];
	}
	return ret;
}

int rc_load(struct settings *s, unsigned int given, const char *path, char *err,
	    size_t errlen)
{
	char *text = NULL;
	ssize_t n, len = 0;
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: a FIFO planted at the path must not hang the start. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		ret = -EINVAL;
		goto cleanup;
	}
	text = malloc(RC_MAX_BYTES + 1);
	if (!text) {
		ret = -ENOMEM;
		goto cleanup;
	}
	while ((n = read(fd, text + len, RC_MAX_BYTES + 1 - len)) > 0)
		len += n;
	if (n < 0) {
		ret = -errno;
		goto cleanup;
	}
	if (len > RC_MAX_BYTES) {
		snprintf(err, errlen, "larger than %d bytes", RC_MAX_BYTES);
		ret = -EFBIG;
		goto cleanup;
	}
	text[len] = '\0';
	ret = rc_parse(s, given, text, err, errlen);
cleanup:
	free(text);
	close(fd);
	return ret;
}

/* mkdir -p of @path's directories (not of its last component). */
static int dirs_make(const char *path)
{
	char buf[4096], *p;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

int rc_save(const struct settings *s, const char *path)
{
	char tmp[4096];
	FILE *f = NULL;
	int fd, err;

	err = dirs_make(path);
	if (err)
		return err;
	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	/* O_EXCL|O_NOFOLLOW: a file or symlink planted at the temporary name is not written. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto cleanup;
	}
	fputs("# cputop settings, written by the W key; flags override them.\n", f);
	settings_write(f, s);
	if (fflush(f) || fsync(fd)) {
		err = -errno;
		goto cleanup;
	}
	/* rename() replaces a symlink at @path itself rather than following it. */
	if (rename(tmp, path))
		err = -errno;
cleanup:
	if (f && fclose(f) && !err)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
