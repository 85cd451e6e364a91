/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Times, durations and sizes as users type them for recording and replay: --begin, --end,
 * --retain, --retain-size, --keep, --after and the TUI's "jump to time". Pure: the current time
 * comes in as an argument, the local time zone from TZ through localtime_r(). Blanks around the
 * text are ignored; anything else that is not an accepted form is -EINVAL.
 */
#ifndef CPUTOP_WHEN_H
#define CPUTOP_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for when_format()'s longest text, "YYYY-MM-DD HH:MM:SS", and its NUL. */
#define WHEN_FORMAT_LEN 20

/*
 * An instant @s into @out_ns (Unix ns), @now_ns being the current Unix time in ns:
 *   now
 *   @SECONDS                      Unix time, a fraction allowed: @1773578096, @1773578096.5
 *   -DURATION                     that long before now: -90s, -30m, -2d, -1h30m, -1.5h; the
 *                                 forms of when_duration() with a unit (-90 is ambiguous)
 *   HH:MM, HH:MM:SS               today (H may be one digit: 9:30)
 *   today, yesterday              the midnight that starts that day
 *   today HH:MM[:SS], yesterday HH:MM[:SS]
 *   YYYY-MM-DD                    its midnight
 *   YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS]
 * Keywords and the T are case-insensitive. Days and times are local. A bare HH:MM is today even
 * when that is later than now, as atop's -b and below's --begin read it: --begin 09:00 --end
 * 17:00 then stays one day wherever now falls, where a rule that moved a future HH:MM to
 * yesterday would, at noon, end the range before it begins. Yesterday is "yesterday HH:MM".
 * Hours are 0-23, minutes and seconds 0-59 (no leap second), the day one of its month's.
 * A local time that the clock skips (spring forward: 02:30 on 2026-03-29 in Berlin) is read with
 * the offset in force before the change, which the clock shows as 03:30; one that it shows twice
 * (fall back) is the first, the summer time one.
 * Returns 0; -EINVAL; -ERANGE when the instant is outside int64 ns (1677-09-21 to 2262-04-11).
 */
int when_parse(const char *s, int64_t now_ns, int64_t *out_ns);

/*
 * A duration @s into @out_ns: NUMBER UNIT, one or more, units d, h, m, s and ms (lower case:
 * M is not a minute), each at most once and the largest first (1h30m, 2d12h, 500ms, 1.5h); or a
 * bare NUMBER of seconds (10, 0.5). A NUMBER is digits with an optional fraction (.5 needs its
 * 0), counted to 18 places and rounded down to the ns. Zero is a duration: the callers that
 * have no use for it reject it. Returns 0; -EINVAL; -ERANGE beyond UINT64_MAX ns (584 years).
 */
int when_duration(const char *s, uint64_t *out_ns);

/*
 * A size @s into @out_bytes: a whole NUMBER of bytes, B after it or not (1000, 1000B); or a
 * NUMBER and a multiplier K, M, G, T, P or E, with B or iB after it or not, in any case (10K,
 * 512M, 1.5G, 2GiB, 1tb). Multipliers are powers of 1024 however spelt, as du -h, ls -h and
 * sort -h show and read K and M; no power-of-1000 form is offered, so 1KB = 1KiB = 1024. A
 * fraction needs a multiplier and is rounded down to the byte. Returns 0; -EINVAL; -ERANGE
 * beyond UINT64_MAX.
 */
int when_size(const char *s, uint64_t *out_bytes);

/*
 * The local time of @unix_ns, rounded down to the second, as YYYY-MM-DD HH:MM:SS, or HH:MM:SS
 * when !@date, into @buf of @len bytes: cut to fit and NUL-terminated (when @len > 0), as
 * snprintf() does. Returns the length written.
 */
size_t when_format(char *buf, size_t len, int64_t unix_ns, bool date);

#endif /* CPUTOP_WHEN_H */
