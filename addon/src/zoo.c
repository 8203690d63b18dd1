/* zoo.c - more real shapes of the bug, each a POSITIVE CONTROL kept on
 * purpose, each beside its correct counterpart (README "The zoo"):
 *
 *   sumArrayRefAsync       BUG: roots only the *array* (napi-rs PR #2589, the
 *                          first fix for issue #2571). JS may truncate, pop or
 *                          replace elements after the call; those elements can
 *                          be collected while the worker reads them.
 *   sumArrayRefFixedAsync  fix: roots the array and every element.
 *   sumWeakRefAsync        BUG: references with count 0, which keep nothing
 *                          alive (the regression of napi-rs #1371, undone by
 *                          #1577).  Its counterpart is sumRefAsync.
 *   sumTypedAsync          BUG: keeps only the data pointers of Float64Arrays
 *                          (napi_get_typedarray_info) across the async work
 *                          (node-addon-api #431, #1453).
 *   sumTypedCopyAsync      fix: copies the values before queueing.
 *   elem.sumSelfAsync      BUG: an async method whose worker reads `this`'s
 *                          native struct without rooting `this` (napi-rs #1338).
 *   elem.sumSelfRefAsync   fix: roots `this`.
 *   fillValues(f64, seed)  fills a Float64Array with an Elem's values.
 */
#include <stdio.h>
#include <stdlib.h>

#include "job.h"

static napi_value sum_array_ref(napi_env env, napi_callback_info info, bool fixed,
                                const char *name) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !job_collect_elems(env, argv[0], j, fixed ? 1 : -1) || !job_root(env, j, argv[0], 1))
    return job_fail(env, j, name);
  return job_queue(env, j, name);
}

/* POSITIVE CONTROL: the array is rooted, its elements are not. */
static napi_value sum_array_ref_async(napi_env env, napi_callback_info info) {
  return sum_array_ref(env, info, false, "gcfuzz.sumArrayRefAsync");
}

static napi_value sum_array_ref_fixed_async(napi_env env, napi_callback_info info) {
  return sum_array_ref(env, info, true, "gcfuzz.sumArrayRefFixedAsync");
}

/* POSITIVE CONTROL: a reference of count 0 is weak. */
static napi_value sum_weak_ref_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !job_collect_elems(env, argv[0], j, 0))
    return job_fail(env, j, "sumWeakRefAsync");
  return job_queue(env, j, "gcfuzz.sumWeakRefAsync");
}

/* Every element of arr must be a Float64Array; its data becomes a view. */
static bool collect_views(napi_env env, napi_value arr, job *j) {
  uint32_t n;
  if (!job_array_length(env, arr, "Float64Array", &n)) return false;
  j->count = n;
  j->views = calloc(n ? n : 1, sizeof *j->views);
  if (j->views == NULL) {
    napi_throw_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "out of memory");
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    bool is_typed = false;
    napi_typedarray_type type = napi_int8_array;
    size_t len = 0;
    void *data = NULL;
    if (napi_get_element(env, arr, i, &v) != napi_ok ||
        napi_is_typedarray(env, v, &is_typed) != napi_ok)
      return false;
    if (is_typed && napi_get_typedarray_info(env, v, &type, &len, &data, NULL, NULL) != napi_ok)
      return false;
    if (!is_typed || type != napi_float64_array) {
      char msg[96];
      snprintf(msg, sizeof msg, "elems[%u] is not a Float64Array", i);
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
      return false;
    }
    j->views[i] = (gf_view){data, len};
  }
  return true;
}

/* POSITIVE CONTROL: data pointers outlive nothing that keeps them valid. */
static napi_value sum_typed_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_VIEWS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !collect_views(env, argv[0], j))
    return job_fail(env, j, "sumTypedAsync");
  return job_queue(env, j, "gcfuzz.sumTypedAsync");
}

static napi_value sum_typed_copy_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  job *j = job_new(env, JOB_READ_COPY);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, NULL) || !job_parse_opts(env, argv[1], j) ||
      !collect_views(env, argv[0], j))
    return job_fail(env, j, "sumTypedCopyAsync");
  if (gf_snapshot_take_views(&j->snapshot, j->views, j->count) != 0) {
    napi_throw_range_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "owning copy: out of memory");
    return job_fail(env, j, "sumTypedCopyAsync");
  }
  return job_queue(env, j, "gcfuzz.sumTypedCopyAsync");
}

/* elem.sumSelfAsync(opts) / elem.sumSelfRefAsync(opts): one-element jobs. */
static napi_value sum_self(napi_env env, napi_callback_info info, bool root, const char *name) {
  napi_value argv[2], this_arg;
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, &this_arg) || !job_parse_opts(env, argv[0], j))
    return job_fail(env, j, name);
  j->elems = calloc(1, sizeof *j->elems);
  if (j->elems == NULL || (j->elems[0] = gf_elem_unwrap(env, this_arg)) == NULL) {
    napi_throw_type_error(env, "ERR_INVALID_THIS", "this is not an Elem");
    return job_fail(env, j, name);
  }
  j->count = 1;
  if (root && !job_root(env, j, this_arg, 1)) return job_fail(env, j, name);
  return job_queue(env, j, name);
}

/* POSITIVE CONTROL: `this` is not rooted. */
napi_value gf_sum_self_async(napi_env env, napi_callback_info info) {
  return sum_self(env, info, false, "gcfuzz.sumSelfAsync");
}

napi_value gf_sum_self_ref_async(napi_env env, napi_callback_info info) {
  return sum_self(env, info, true, "gcfuzz.sumSelfRefAsync");
}

static napi_value fill_values(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  bool is_typed = false;
  napi_typedarray_type type = napi_int8_array;
  size_t len = 0;
  void *data = NULL;
  double seed = 0;
  GF_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1) GF_CALL(env, napi_is_typedarray(env, argv[0], &is_typed));
  if (is_typed) GF_CALL(env, napi_get_typedarray_info(env, argv[0], &type, &len, &data, NULL, NULL));
  if (!is_typed || type != napi_float64_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fillValues: a Float64Array expected");
    return NULL;
  }
  if (argc >= 2 && (napi_get_value_double(env, argv[1], &seed) != napi_ok || seed < 0 ||
                    seed > 4294967295.0 || seed != (double)(uint32_t)seed)) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "fillValues: seed must be a uint32");
    return NULL;
  }
  double *d = data;
  for (size_t i = 0; i < len; i++) d[i] = gf_elem_value((uint32_t)seed, i);
  return argv[0];
}

napi_status gf_zoo_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sumArrayRefAsync", NULL, sum_array_ref_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumArrayRefFixedAsync", NULL, sum_array_ref_fixed_async, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"sumWeakRefAsync", NULL, sum_weak_ref_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumTypedAsync", NULL, sum_typed_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumTypedCopyAsync", NULL, sum_typed_copy_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fillValues", NULL, fill_values, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
