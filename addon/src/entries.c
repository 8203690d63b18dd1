/* entries.c - the async entry points: (elems: Elem[], opts = {delayUs: 0})
 * -> Promise<number>, the total of the elements' sums, computed on the libuv
 * threadpool. They differ only in how the worker reaches the data:
 *
 *   sumAsync          OWNING COPY (the shipped fix): values are copied into a
 *                     gf_snapshot on the main thread before queueing.
 *   sumRefAsync       ROOTED: a strong napi_ref (count 1) per element keeps
 *                     each JS object, and so its native struct, alive until
 *                     complete runs on the main thread.
 *   sumBorrowedAsync  THE BUG, KEPT ON PURPOSE as gcfuzz's positive control:
 *                     only the unwrapped pointers are kept. Once JS drops the
 *                     Elems, GC runs their finalizers (free) while the worker
 *                     may still be reading. Never "fix" this entry.
 *
 * zoo.c holds the other real-world shapes of the bug and their fixes.
 */
#include "job.h"

static napi_value sum_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_COPY);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !job_collect_elems(env, argv[0], j, -1))
    return job_fail(env, j, "sumAsync");
  if (gf_snapshot_take(&j->snapshot, j->elems, j->count) != 0) {
    napi_throw_range_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "owning copy: out of memory");
    return job_fail(env, j, "sumAsync");
  }
  return job_queue(env, j, "gcfuzz.sumAsync");
}

static napi_value sum_ref_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !job_collect_elems(env, argv[0], j, 1))
    return job_fail(env, j, "sumRefAsync");
  return job_queue(env, j, "gcfuzz.sumRefAsync");
}

/* POSITIVE CONTROL - deliberately buggy, see the file comment. */
static napi_value sum_borrowed_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !job_collect_elems(env, argv[0], j, -1))
    return job_fail(env, j, "sumBorrowedAsync");
  return job_queue(env, j, "gcfuzz.sumBorrowedAsync");
}

napi_status gf_entries_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sumAsync", NULL, sum_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumRefAsync", NULL, sum_ref_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumBorrowedAsync", NULL, sum_borrowed_async, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_status s = napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return s == napi_ok ? gf_zoo_init(env, exports) : s;
}
