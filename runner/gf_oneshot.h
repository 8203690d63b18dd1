/* gf_oneshot.h - run cases in fresh processes (harness --once), a few at a
 * time, and report each run's finding (or none).
 *
 * The reproducibility check: confirmation of new buckets, `replay`, and
 * `minimize` all ask "does this case still fail, in a process that saw
 * nothing else?".
 *
 * A warm run asks the other half: a persistent worker first runs
 * GF_WARMUP_CASES benign warm-up cases (the case itself with `keep`: same
 * entry, inputs and GC schedule, but no input dropped mid-call), then the
 * case.
 * Some windows exist only in a warm process (the first GC of a cold ASan
 * process takes ~26 ms, under 1 ms once warm), and a soak finds bugs in
 * long-lived workers. Only the case's outcome counts; a worker that dies in
 * its warm-up never reached the case (found -1).
 *
 * Waiting runs are started by lane (gf_runq.h): a hang's runs cannot hold
 * up the others, and each run is charged its time.
 */
#ifndef GF_ONESHOT_H
#define GF_ONESHOT_H

#include <uv.h>

#include "gf_classify.h"
#include "gf_config.h"
#include "gf_runq.h"
#include "gf_spawn.h"
#include "gf_worker.h"

typedef struct gf_oneshot gf_oneshot;

/* found: 1 with f filled, 0 for a clean run, -1 when the harness never got to
 * the case (could not start, died before its ready line). */
typedef void (*gf_oneshot_cb)(gf_oneshot *o, void *data, int found, const gf_finding *f,
                              const char *stderr_tail);

#define GF_WARMUP_CASES 8

struct gf_oneshot {
  uv_loop_t *loop;
  const gf_config *cfg;
  const gf_spawn_plan *plan;
  gf_oneshot_cb cb;
  void *owner;
  gf_worker *slots;
  gf_oneshot_job *running; /* per slot */
  int nslots, nbusy;
  gf_runq queue; /* lanes: a hang's runs cannot hold up the others (gf_runq.h) */
  int stopping;
  uint64_t runs;
  char *stderr_buf;
  char last_node_version[32]; /* of the run being reported to cb */
  int last_warm;              /* whether the run being reported to cb was warm */
};

int gf_oneshot_init(gf_oneshot *o, uv_loop_t *loop, const gf_config *cfg,
                    const gf_spawn_plan *plan, int nslots, gf_oneshot_cb cb, void *owner);
int gf_oneshot_submit(gf_oneshot *o, const gf_case *c, void *data); /* flag set 0 */
int gf_oneshot_submit_set(gf_oneshot *o, const gf_case *c, int flag_set, void *data);
int gf_oneshot_submit_warm(gf_oneshot *o, const gf_case *c, int flag_set, void *data);
/* A run as job says: c, data, flag_set, warm, timeout_ms (0: the
 * config's; a timeout's patience run, gf_pending.h) and its lane. */
int gf_oneshot_submit_job(gf_oneshot *o, const gf_oneshot_job *job);
/* The run that would start next, taken off the queue (tests play it). */
int gf_oneshot_take(gf_oneshot *o, gf_oneshot_job *job);
/* Drops the queue and kills running processes (no callbacks for them). */
void gf_oneshot_stop(gf_oneshot *o);
int gf_oneshot_idle(const gf_oneshot *o);
size_t gf_oneshot_queued(const gf_oneshot *o);
void gf_oneshot_free(gf_oneshot *o);

/* Fills the outcome's fixed fields the same way for every caller: target
 * patterns, and the roots release frames' modules are read under. */
void gf_outcome_for(gf_outcome *out, const gf_worker *w, const gf_config *cfg, char *buf,
                    size_t cap);

#endif
