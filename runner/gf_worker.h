/* gf_worker.h - one harness process on the uv loop.
 *
 * Spawns `node ... harness` (argv from gf_spawn_plan, its own process group),
 * writes cases to its stdin one at a time, reads JSON lines from its stdout
 * and keeps the tail of its stderr in a ring. A per-case uv timer kills the
 * whole process group on timeout; another, every GF_RSS_POLL_MS, kills it
 * when its resident memory passes the limit (V8's heap limit does not bound
 * native memory: Buffers, addon allocations). When the process is gone and both pipes
 * are drained, every handle is closed and ops->on_closed runs: only then is
 * the stderr tail complete, so classification happens there.
 */
#ifndef GF_WORKER_H
#define GF_WORKER_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <limits.h>
#include <uv.h>

#include "gf_case.h"
#include "gf_classify.h"
#include "gf_ring.h"
#include "gf_spawn.h"

#define GF_STDERR_TAIL (64 * 1024)
#define GF_LINE_MAX (64 * 1024)

typedef struct gf_worker gf_worker;

typedef struct gf_worker_limits {
  uint32_t timeout_ms;   /* per case */
  uint32_t startup_ms;   /* until the ready line */
  uint32_t rss_limit_mb; /* 0: none */
} gf_worker_limits;

#define GF_RSS_POLL_MS 100

typedef struct gf_worker_ops {
  void (*on_ready)(gf_worker *w);
  /* The result line of the case in flight (outcome ok/mismatch/...). */
  void (*on_result)(gf_worker *w, const cJSON *result);
  /* Process gone, handles closed. The struct may be reused or freed here. */
  void (*on_closed)(gf_worker *w);
} gf_worker_ops;

struct gf_worker {
  void *owner; /* for the callbacks */
  int slot;
  int flag_set; /* which of the plan's V8 flag sets it is started with (set before spawn) */

  uv_loop_t *loop;
  const gf_worker_ops *ops;
  gf_worker_limits lim;
  uv_process_t proc;
  uv_pipe_t in, out, err;
  uv_timer_t timer, mem_timer;
  int handles_open;
  int pid;

  int spawn_failed; /* uv_spawn failed; on_closed still follows */
  int closed;       /* every handle closed: the slot may be reused */
  int ready, exited, out_eof, err_eof;
  int64_t exit_code;
  int term_signal;
  int timed_out; /* killed by us for running past the timeout */
  uint32_t rss_mb; /* killed by us at this resident size (MB), past the limit; 0: not */
  int retiring;  /* killed by us on purpose: not a finding */
  int recycled;  /* killed by us after a bad result: classify the result */

  int busy; /* a case was sent, no result yet */
  int announced; /* its start line came */
  gf_case current;
  int has_case; /* current holds the last case sent */
  gf_case started; /* the last case the harness announced with a start line */
  int has_started;
  int torn_down; /* that case's teardown line came: its Worker is being ended */
  uint64_t sent_ns;
  char result_outcome[16]; /* of the last result line */
  char result_message[256];
  gf_mismatch result_mismatch; /* of a mismatch result line */
  uint64_t cases_done;
  unsigned protocol_errors;
  char last_protocol_error[160];

  char line[GF_LINE_MAX];
  size_t line_len;
  int line_overflow;
  gf_ring stderr_tail;
  char node_version[32];
  int no_gc_entries; /* the ready line's lacks has gc_entries: the runtime gives no GC entries */
  char build[PATH_MAX]; /* the ready line's build: a path of any length */
  char entries[512]; /* the ready line's entries, "a, b, c" ("" when it listed none) */
  char tmpdir[4096]; /* its TMPDIR (gf_wtmp.h), removed when it has ended; "" none */
  char crash_key[33]; /* its GCFUZZ_CRASH_KEY (gf_native.h); "" none */
};

/* Starts the process. On failure err says why, and on_closed still follows
 * (with spawn_failed set) once the handles are closed. */
int gf_worker_spawn(gf_worker *w, uv_loop_t *loop, const gf_spawn_plan *plan, int once,
                    const gf_worker_limits *lim, const gf_worker_ops *ops, gf_err *err);

/* Sends one case (the worker must be ready and not busy). */
int gf_worker_send(gf_worker *w, const gf_case *c);

/* SIGKILLs the process group. retire: an orderly stop, not a finding. */
void gf_worker_kill(gf_worker *w, int retire);
/* Kills a worker whose last result was bad (mismatch, exception): its memory
 * may be corrupt. Classified at on_closed from the result and stderr, not
 * from our SIGKILL. */
void gf_worker_recycle(gf_worker *w);

/* Whether a result's outcome is one the protocol has (ok, mismatch,
 * exception, target_error, error); any other is a protocol error. */
int gf_outcome_known(const char *outcome);

/* Whether the harness's ready line named entry among its entries (1 when
 * it named none). */
int gf_worker_has_entry(const gf_worker *w, const char *entry);

/* The case a death is blamed on: the one in flight if the harness started
 * it, else the last one it started (it died after answering that one,
 * before starting the next, which it may not even have read). */
const gf_case *gf_worker_blamed_case(const gf_worker *w);

/* A --once worker answered: it should exit by itself. If it is still there
 * after grace_ms, it is recycled (killed, its result kept): a harness that
 * answers and lingers must not hold a slot forever. */
#define GF_EXIT_GRACE_MS 2000
/* After a worker exits, how long its pipes may still deliver before they
 * are closed without EOF (a helper of its that escaped may hold them). */
#define GF_DRAIN_MS 1000
void gf_worker_expect_exit(gf_worker *w, uint32_t grace_ms);

/* Frees the slot's buffers; only after on_closed (or before any spawn). */
void gf_worker_release(gf_worker *w);

/* The outcome to classify, once on_closed ran. stderr_buf receives the tail. */
void gf_worker_outcome(const gf_worker *w, gf_outcome *o, char *stderr_buf, size_t cap);

#endif
