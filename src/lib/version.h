/* SPDX-License-Identifier: GPL-2.0 */
/* cputop's version: -V, and the exporter's cputop_build_info. */
#ifndef CPUTOP_VERSION_H
#define CPUTOP_VERSION_H

#define CPUTOP_VERSION "0.1.0"

#endif /* CPUTOP_VERSION_H */
