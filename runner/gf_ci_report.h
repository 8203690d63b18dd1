/* gf_ci_report.h - machine-readable results of a ci run:
 *   DIR/summary.json  phases, rates, exit code, buckets
 *   DIR/junit.xml     one testcase for the positive control, one per bucket
 *                     (a failure each), or one passing "no crash" testcase
 */
#ifndef GF_CI_REPORT_H
#define GF_CI_REPORT_H

#include <stdint.h>

#include "gf_err.h"
#include "gf_fuzz.h"

typedef struct gf_ci_summary {
  uint64_t seed;
  const char *entry, *control_entry;
  double budget_s;
  int control_detected, target_ran, exit_code;
  unsigned slow_cases; /* hit by the target phase: slow, not hung (gf_settle.h) */
  gf_fuzz_result control, target;
} gf_ci_summary;

int gf_ci_write_reports(const gf_ci_summary *s, const char *out_dir, gf_err *err);


#endif
