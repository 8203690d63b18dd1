/* zoo.c - the Elem-method shape of the bug and a helper for the typed
 * entries (the array-taking variants are in entries.c's table).
 *
 *   elem.sumSelfAsync      BUG, a POSITIVE CONTROL: an async method whose
 *                          worker reads `this`'s native struct without
 *                          rooting `this` (napi-rs #1338).
 *   elem.sumSelfRefAsync   fix: roots `this`.
 *   fillValues(f64, seed)  fills a Float64Array with an Elem's values.
 */
#include <stdlib.h>

#include "job.h"

/* elem.sumSelfAsync(opts) / elem.sumSelfRefAsync(opts): one-element jobs. */
static napi_value sum_self(napi_env env, napi_callback_info info, bool root, const char *name) {
  napi_value argv[2], this_arg;
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_args(env, info, argv, &this_arg, NULL) || !job_parse_opts(env, argv[0], j))
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
  napi_property_descriptor prop = {"fillValues", NULL, fill_values, NULL, NULL, NULL,
                                   napi_enumerable, NULL};
  napi_status s = napi_define_properties(env, exports, 1, &prop);
  if (s == napi_ok) s = gf_pool_init(env, exports);
  if (s == napi_ok) s = gf_shared_init(env, exports);
  return s == napi_ok ? gf_batch_init(env, exports) : s;
}
