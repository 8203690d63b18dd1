/* gf_prom.h - OUT/metrics.prom: the run's counters in the Prometheus text
 * exposition format, for node_exporter's textfile collector (point
 * --collector.textfile.directory at OUT, or link the file into its
 * directory). Replaced atomically every stats interval, as the collector
 * requires; every series has the label out="<OUT>", escaped as the format
 * says (backslash, double quote, newline). */
#ifndef GF_PROM_H
#define GF_PROM_H

#include <stdint.h>

#include "gf_err.h"
#include "gf_stats.h"

int gf_prom_write(const gf_stats *s, const char *out_dir, uint64_t now_ns, gf_err *err);

#endif
