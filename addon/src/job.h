/* job.h - one async call on the threadpool, shared by every entry.
 *
 * An entry fills a job on the main thread (what the worker will read, what
 * is rooted), then job_queue() returns the promise. The worker sleeps
 * delay_us and reads; complete (main thread) resolves, drops the roots and
 * frees the job. What differs between the correct entries and the bugs is
 * only *what the worker reads* and *what is rooted meanwhile*.
 */
#ifndef GF_JOB_H
#define GF_JOB_H

#include "addon.h"

typedef enum {
  JOB_READ_COPY,  /* the job's own snapshot: safe whatever JS does */
  JOB_READ_ELEMS, /* through gf_elem pointers: safe only if each is rooted */
  JOB_READ_VIEWS, /* through TypedArray data pointers: same */
} job_read;

/* References held together and dropped together. */
typedef struct job_refs {
  napi_ref *v;
  size_t n, cap;
} job_refs;

/* Adds a reference of `count` to v; false with an exception pending. */
bool job_refs_add(napi_env env, job_refs *r, napi_value v, uint32_t count);

/* Deletes them (env NULL: the env is gone with them; only the memory). */
void job_refs_drop(napi_env env, job_refs *r);

typedef struct job {
  job_read read;
  uint32_t delay_us;
  size_t count;
  const gf_elem **elems;
  gf_view *views;
  job_refs refs; /* roots held until complete (strong or, for a bug, weak) */
  gf_snapshot snapshot;
  double result;
  napi_deferred deferred;
  napi_async_work work;
  void *owner;                                  /* the entry's own state, for on_free */
  void (*on_free)(napi_env env, struct job *j); /* main thread, before the roots go */
} job;

job *job_new(napi_env env, job_read read);

/* What a worker does (any thread; no N-API): sleeps delay_us, then reads.
 * Always inlined: a stack keeps its caller (job_execute, the pool's thread)
 * next to the read, so signatures stay what they were before the pool
 * shared this (ASan folds an inlined frame into its caller). */
static inline __attribute__((always_inline)) void job_run(job *j) {
  if (j->delay_us) gf_delay_us(j->delay_us);
  switch (j->read) {
    case JOB_READ_COPY: j->result = gf_snapshot_sum(&j->snapshot); break;
    case JOB_READ_ELEMS: j->result = gf_borrowed_sum(j->elems, j->count); break;
    case JOB_READ_VIEWS: j->result = gf_views_sum(j->views, j->count); break;
  }
}

/* Main thread: resolves the promise with the result (ok), or rejects it. */
void job_settle(napi_env env, job *j, bool ok);
void job_free(napi_env env, job *j);

/* opts: undefined, or an object whose delayUs is undefined or an integer in
 * [0, GF_MAX_DELAY_US]. False with an exception pending otherwise. */
bool job_parse_opts(napi_env env, napi_value opts, job *j);

/* Holds v with a reference of `count` (1: keeps it alive; 0: a weak one,
 * which keeps nothing alive) until complete. */
bool job_root(napi_env env, job *j, napi_value v, uint32_t count);

/* Validates that arr is an array of at most GF_CALL_MAX_ELEMS `what`s, sets
 * j->count to its length and allocates *slots: one `size`-byte slot per
 * element, zeroed, for the caller's loop to fill. */
bool job_array_slots(napi_env env, napi_value arr, const char *what, job *j, size_t size,
                     void **slots);

/* Unwraps every Elem of arr into j->elems; roots each with `ref_count`
 * unless ref_count < 0. */
bool job_collect_elems(napi_env env, napi_value arr, job *j, int ref_count);

/* Queues the work and returns its promise; on failure frees j and throws. */
napi_value job_queue(napi_env env, job *j, const char *resource);

/* Common shape of an entry's failure: free and return NULL (exception set). */
napi_value job_fail(napi_env env, job *j, const char *what);

/* Defines a wrong fix and its fix, one callback whose data is each one's
 * per-env state (bug, fix: heap, freed by free_state at the env's cleanup,
 * or here on failure, as is whatever is not registered yet). */
napi_status job_define_pair(napi_env env, napi_value exports, const char *bug_name,
                            const char *fix_name, napi_callback cb, void *bug, void *fix,
                            void (*free_state)(void *));

/* argv[0] and argv[1] of a call, undefined when missing; this_arg and data
 * (the callback's data pointer) when non-NULL. */
bool job_args(napi_env env, napi_callback_info info, napi_value argv[2], napi_value *this_arg,
              void **data);

#endif
