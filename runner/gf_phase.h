/* gf_phase.h - one bounded step of `gcfuzz hunt`: a child process with a
 * deadline, its output appended to a log file.
 *
 * The child starts as `gcfuzz __worker PID PROGRAM ARGS` (main.c: the
 * kernel kills it with us) in a process group of its own, so that at the
 * deadline - or when we are told to stop - npm, node-gyp, the compiler or a
 * fuzzing daemon go with everything they started: SIGTERM first (a gcfuzz
 * child then stops in order and writes its summary), SIGKILL after a grace.
 */
#ifndef GF_PHASE_H
#define GF_PHASE_H

#include "gf_err.h"

typedef struct gf_phase_result {
  int exit_status;  /* -1 when killed by a signal */
  int term_signal;
  int timed_out;    /* the deadline came first */
  int interrupted;  /* SIGINT/SIGTERM/SIGHUP reached us meanwhile */
  double seconds;
} gf_phase_result;

/* Runs argv (argv[0] a path or a name on PATH; no shell) until it exits or
 * max_s passes (0: no deadline); grace_s between SIGTERM and SIGKILL. The
 * log is opened O_APPEND | O_NOFOLLOW. -1 if it could not start. */
int gf_phase_run(char *const *argv, const char *log_path, double max_s, double grace_s,
                 gf_phase_result *r, gf_err *err);

#endif
