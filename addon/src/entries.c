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
 */
#include "addon.h"

#include <stdio.h>
#include <stdlib.h>

typedef enum { MODE_COPY, MODE_REF, MODE_BORROWED } job_mode;

typedef struct job {
  job_mode mode;
  uint32_t delay_us;
  size_t count;
  const gf_elem **elems; /* MODE_REF, MODE_BORROWED: pointers into JS objects */
  napi_ref *refs;        /* MODE_REF: one strong reference per element */
  gf_snapshot snapshot;  /* MODE_COPY: the worker's own memory */
  double result;
  napi_deferred deferred;
  napi_async_work work;
} job;

static void job_free(napi_env env, job *j) {
  if (j->refs != NULL)
    for (size_t i = 0; i < j->count; i++)
      if (j->refs[i] != NULL) napi_delete_reference(env, j->refs[i]);
  gf_snapshot_free(&j->snapshot);
  free(j->refs);
  free(j->elems);
  free(j);
}

/* Worker thread: no N-API calls allowed here. */
static void job_execute(napi_env env, void *data) {
  (void)env;
  job *j = data;
  if (j->delay_us) gf_delay_us(j->delay_us);
  if (j->mode == MODE_COPY)
    j->result = gf_snapshot_sum(&j->snapshot);
  else
    j->result = gf_borrowed_sum(j->elems, j->count);
}

/* Main thread, after execute. */
static void job_complete(napi_env env, napi_status status, void *data) {
  job *j = data;
  napi_value v;
  if (status == napi_ok && napi_create_double(env, j->result, &v) == napi_ok) {
    napi_resolve_deferred(env, j->deferred, v);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, "gcfuzz addon: async work cancelled",
                            NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, j->deferred, err);
  }
  napi_delete_async_work(env, j->work);
  job_free(env, j);
}

/* opts: undefined, or an object whose delayUs is undefined or an integer in
 * [0, GF_MAX_DELAY_US]. */
static bool parse_opts(napi_env env, napi_value opts, uint32_t *delay_us) {
  napi_valuetype t;
  *delay_us = 0;
  if (napi_typeof(env, opts, &t) != napi_ok) return false;
  if (t == napi_undefined) return true;
  if (t != napi_object) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "opts must be an object");
    return false;
  }
  napi_value v;
  if (napi_get_named_property(env, opts, "delayUs", &v) != napi_ok ||
      napi_typeof(env, v, &t) != napi_ok)
    return false;
  if (t == napi_undefined) return true;
  if (t != napi_number) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "opts.delayUs must be a number");
    return false;
  }
  double d;
  napi_get_value_double(env, v, &d);
  if (!(d >= 0 && d <= GF_MAX_DELAY_US) || d != (double)(uint32_t)d) {
    char msg[128];
    snprintf(msg, sizeof msg,
             "opts.delayUs must be an integer in [0, %u], got %g",
             GF_MAX_DELAY_US, d);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  *delay_us = (uint32_t)d;
  return true;
}

/* Unwraps every element of the `elems` array into j->elems (and, in
 * MODE_REF, roots each one). On failure an exception is pending. */
static bool collect_elems(napi_env env, napi_value arr, job *j) {
  bool is_array = false;
  uint32_t n;
  if (napi_is_array(env, arr, &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "elems must be an array of Elem");
    return false;
  }
  if (napi_get_array_length(env, arr, &n) != napi_ok) return false;
  if (n > GF_CALL_MAX_ELEMS) {
    char msg[128];
    snprintf(msg, sizeof msg, "elems.length must be at most %u, got %u",
             GF_CALL_MAX_ELEMS, n);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  j->count = n;
  j->elems = calloc(n ? n : 1, sizeof *j->elems);
  if (j->mode == MODE_REF) j->refs = calloc(n ? n : 1, sizeof *j->refs);
  if (j->elems == NULL || (j->mode == MODE_REF && j->refs == NULL)) {
    napi_throw_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "out of memory");
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    if (napi_get_element(env, arr, i, &v) != napi_ok) return false;
    j->elems[i] = gf_elem_unwrap(env, v);
    if (j->elems[i] == NULL) {
      char msg[96];
      snprintf(msg, sizeof msg, "elems[%u] is not an Elem", i);
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
      return false;
    }
    if (j->mode == MODE_REF && napi_create_reference(env, v, 1, &j->refs[i]) != napi_ok)
      return false;
  }
  return true;
}

static napi_value start_job(napi_env env, napi_callback_info info, job_mode mode,
                            const char *resource) {
  size_t argc = 2;
  napi_value argv[2], undefined, promise, name;
  GF_CALL(env, napi_get_undefined(env, &undefined));
  GF_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) argv[1] = undefined;
  if (argc < 1) argv[0] = undefined;

  job *j = calloc(1, sizeof *j);
  if (j == NULL) {
    napi_throw_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "out of memory");
    return NULL;
  }
  j->mode = mode;
  if (!parse_opts(env, argv[1], &j->delay_us) || !collect_elems(env, argv[0], j))
    goto fail;
  if (mode == MODE_COPY &&
      gf_snapshot_take(&j->snapshot, j->elems, j->count) != 0) {
    napi_throw_range_error(env, "ERR_MEMORY_ALLOCATION_FAILED",
                           "owning copy: out of memory");
    goto fail;
  }
  if (napi_create_string_utf8(env, resource, NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_promise(env, &j->deferred, &promise) != napi_ok)
    goto fail;
  if (napi_create_async_work(env, NULL, name, job_execute, job_complete, j,
                             &j->work) != napi_ok)
    goto fail_promise;
  if (napi_queue_async_work(env, j->work) != napi_ok) {
    napi_delete_async_work(env, j->work);
    goto fail_promise;
  }
  return promise;

fail_promise:
  /* The deferred must be settled or it leaks: reject it, then throw. */
  napi_reject_deferred(env, j->deferred, undefined);
fail:
  gf_throw_last_error(env, resource);
  job_free(env, j);
  return NULL;
}

static napi_value sum_async(napi_env env, napi_callback_info info) {
  return start_job(env, info, MODE_COPY, "gcfuzz.sumAsync");
}

static napi_value sum_ref_async(napi_env env, napi_callback_info info) {
  return start_job(env, info, MODE_REF, "gcfuzz.sumRefAsync");
}

/* POSITIVE CONTROL - deliberately buggy, see the file comment. */
static napi_value sum_borrowed_async(napi_env env, napi_callback_info info) {
  return start_job(env, info, MODE_BORROWED, "gcfuzz.sumBorrowedAsync");
}

napi_status gf_entries_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sumAsync", NULL, sum_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumRefAsync", NULL, sum_ref_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumBorrowedAsync", NULL, sum_borrowed_async, NULL, NULL, NULL,
       napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
