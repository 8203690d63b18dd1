/* gf_cmin.h - corpus minimization (afl-cmin / libFuzzer -merge=1 for the
 * window features): of the cases search feedback kept in OUT/corpus/feedback,
 * keep for every feature the cheapest case that reached it, and move the
 * rest to OUT/corpus/feedback.removed/ (nothing is deleted). Works from the
 * features recorded beside each case (<name>.feat) when it was kept, so it
 * runs no worker. A case without its .feat is kept.
 */
#ifndef GF_CMIN_H
#define GF_CMIN_H

#include <stdio.h>

#include "gf_err.h"

typedef struct gf_cmin_result {
  int cases, kept, removed, unknown; /* unknown: kept for lack of a .feat */
  unsigned features;
} gf_cmin_result;

int gf_cmin(const char *out_dir, gf_cmin_result *res, FILE *log, gf_err *err);

#endif
