/* gf_runq.h - the one-shot pool's queue: which waiting run goes next.
 *
 * A hang's run costs its whole timeout_ms (and a patience run four times
 * that), a crash's run a fraction of a second. In one FIFO, a few hangs
 * kept every other bucket of a 90 s ci night from being confirmed (issue
 * 25). So runs wait in lanes:
 *
 *   GF_LANE_CHEAP     every bucket's runs but a timeout's (and replay's,
 *                     minimize's: one lane is a FIFO, as before)
 *   GF_LANE_SLOW      a timeout bucket's fresh, warm and control runs
 *   GF_LANE_PATIENCE  a timeout's patience run: after the other slow runs
 *
 * Cheap runs go first, and while both sides wait each gets a share of the
 * pool's time: the side that has used less of it goes next (deficit round
 * robin, charged by measured run time), so a hang cannot hold the pool for
 * more than its own run while crashes wait, and a storm of crashes cannot
 * starve the hangs either. A side that waits alone is not in debt: the
 * count starts over whenever one side has nothing waiting.
 */
#ifndef GF_RUNQ_H
#define GF_RUNQ_H

#include <stddef.h>
#include <stdint.h>

#include "gf_case.h"

typedef enum { GF_LANE_CHEAP, GF_LANE_SLOW, GF_LANE_PATIENCE, GF_NLANES } gf_lane;

typedef struct gf_oneshot_job {
  gf_case c;
  void *data;
  int flag_set;      /* the plan's V8 flag set to start it with */
  int warm;          /* a warm run: warm-up cases first, in a persistent worker */
  unsigned warmed;   /* warm-up results so far */
  int case_sent;     /* the case itself was sent */
  uint32_t timeout_ms; /* 0: the config's */
  gf_lane lane;
  uint64_t started_ms; /* the loop's time when it started */
} gf_oneshot_job;

typedef struct gf_runq_ring {
  gf_oneshot_job *v;
  size_t head, len, cap;
} gf_runq_ring;

typedef struct gf_runq {
  gf_runq_ring lane[GF_NLANES];
  uint64_t spent_ms[2]; /* cheap; slow and patience together */
} gf_runq;

int gf_runq_push(gf_runq *q, const gf_oneshot_job *job); /* -1: out of memory */
/* The run that goes next, taken off the queue; 0 when none waits. */
int gf_runq_pop(gf_runq *q, gf_oneshot_job *job);
/* A run of lane took ms of the pool's time. */
void gf_runq_charge(gf_runq *q, gf_lane lane, uint64_t ms);
size_t gf_runq_len(const gf_runq *q);
void gf_runq_clear(gf_runq *q);
void gf_runq_free(gf_runq *q);

#endif
