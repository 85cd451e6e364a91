/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --thin: old recordings rewritten with fewer samples, as atop users ask of theirs: one sample
 * every @keep_ns among those older than @after_ns, whose intervals then cover the whole
 * @keep_ns (counters are totals, so a kept sample's change from the one kept before is the sum
 * of the changes of those left out) and which keeps every exit of the samples left out.
 */
#ifndef CPUTOP_THIN_H
#define CPUTOP_THIN_H

#include <stdint.h>

/*
 * Thin @path, a recording or a directory of them, in place: each file is written anew beside
 * itself and renamed over it, so that a crash leaves the old one or the new one whole. A file
 * being recorded is left alone. Tells what it did on stdout, errors on stderr; 0 or -errno.
 */
int thin_run(const char *path, uint64_t keep_ns, uint64_t after_ns);

#endif /* CPUTOP_THIN_H */
