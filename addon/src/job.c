/* job.c - see job.h. */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>

job *job_new(napi_env env, job_read read) {
  job *j = calloc(1, sizeof *j);
  if (j == NULL) napi_throw_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "out of memory");
  else j->read = read;
  return j;
}

void job_free(napi_env env, job *j) {
  if (j->on_free) j->on_free(env, j);
  job_refs_drop(env, &j->refs);
  gf_snapshot_free(&j->snapshot);
  free(j->elems);
  free(j->views);
  free(j);
}

/* Worker thread: no N-API calls allowed here. */
static void job_execute(napi_env env, void *data) {
  (void)env;
  job_run(data);
}

void job_settle(napi_env env, job *j, bool ok) {
  napi_value v;
  if (ok && napi_create_double(env, j->result, &v) == napi_ok) {
    napi_resolve_deferred(env, j->deferred, v);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, "gcfuzz addon: async work cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, j->deferred, err);
  }
}

/* Main thread, after execute. */
static void job_complete(napi_env env, napi_status status, void *data) {
  job *j = data;
  job_settle(env, j, status == napi_ok);
  napi_delete_async_work(env, j->work);
  job_free(env, j);
}

napi_status job_define_pair(napi_env env, napi_value exports, const char *bug_name,
                            const char *fix_name, napi_callback cb, void *bug, void *fix,
                            void (*free_state)(void *)) {
  if (bug == NULL || fix == NULL) {
    free(bug);
    free(fix);
    return napi_generic_failure;
  }
  napi_status s = napi_add_env_cleanup_hook(env, free_state, bug);
  if (s != napi_ok) {
    free_state(bug);
    free_state(fix);
    return s;
  }
  if ((s = napi_add_env_cleanup_hook(env, free_state, fix)) != napi_ok) {
    free_state(fix);
    return s;
  }
  napi_property_descriptor props[] = {
      {bug_name, NULL, cb, NULL, NULL, NULL, napi_enumerable, bug},
      {fix_name, NULL, cb, NULL, NULL, NULL, napi_enumerable, fix},
  };
  return napi_define_properties(env, exports, 2, props);
}

bool job_parse_opts(napi_env env, napi_value opts, job *j) {
  napi_valuetype t;
  j->delay_us = 0;
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
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "opts.delayUs must be a number");
    return false;
  }
  double d;
  napi_get_value_double(env, v, &d);
  if (!(d >= 0 && d <= GF_MAX_DELAY_US) || d != (double)(uint32_t)d) {
    char msg[128];
    snprintf(msg, sizeof msg, "opts.delayUs must be an integer in [0, %u], got %g",
             GF_MAX_DELAY_US, d);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  j->delay_us = (uint32_t)d;
  return true;
}

bool job_refs_add(napi_env env, job_refs *r, napi_value v, uint32_t count) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 8;
    napi_ref *refs = realloc(r->v, cap * sizeof *refs);
    if (refs == NULL) {
      napi_throw_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "out of memory");
      return false;
    }
    r->v = refs;
    r->cap = cap;
  }
  if (napi_create_reference(env, v, count, &r->v[r->n]) != napi_ok) return false;
  r->n++;
  return true;
}

void job_refs_drop(napi_env env, job_refs *r) {
  if (env)
    for (size_t i = 0; i < r->n; i++) napi_delete_reference(env, r->v[i]);
  free(r->v);
  *r = (job_refs){0};
}

bool job_root(napi_env env, job *j, napi_value v, uint32_t count) {
  return job_refs_add(env, &j->refs, v, count);
}

bool job_array_slots(napi_env env, napi_value arr, const char *what, job *j, size_t size,
                     void **slots) {
  bool is_array = false;
  uint32_t n;
  char msg[128];
  if (napi_is_array(env, arr, &is_array) != napi_ok || !is_array) {
    snprintf(msg, sizeof msg, "elems must be an array of %s", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return false;
  }
  if (napi_get_array_length(env, arr, &n) != napi_ok) return false;
  if (n > GF_CALL_MAX_ELEMS) {
    snprintf(msg, sizeof msg, "elems.length must be at most %u, got %u", GF_CALL_MAX_ELEMS, n);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  j->count = n;
  *slots = calloc(n ? n : 1, size);
  if (*slots == NULL) {
    napi_throw_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "out of memory");
    return false;
  }
  return true;
}

bool job_collect_elems(napi_env env, napi_value arr, job *j, int ref_count) {
  if (!job_array_slots(env, arr, "Elem", j, sizeof *j->elems, (void **)&j->elems)) return false;
  for (uint32_t i = 0; i < j->count; i++) {
    napi_value v;
    if (napi_get_element(env, arr, i, &v) != napi_ok) return false;
    j->elems[i] = gf_elem_unwrap(env, v);
    if (j->elems[i] == NULL) {
      char msg[96];
      snprintf(msg, sizeof msg, "elems[%u] is not an Elem", i);
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
      return false;
    }
    if (ref_count >= 0 && !job_root(env, j, v, (uint32_t)ref_count)) return false;
  }
  return true;
}

napi_value job_fail(napi_env env, job *j, const char *what) {
  gf_throw_last_error(env, what);
  if (j) job_free(env, j);
  return NULL;
}

napi_value job_queue(napi_env env, job *j, const char *resource) {
  napi_value promise, name, undefined;
  if (napi_create_string_utf8(env, resource, NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_promise(env, &j->deferred, &promise) != napi_ok)
    return job_fail(env, j, resource);
  if (napi_create_async_work(env, NULL, name, job_execute, job_complete, j, &j->work) !=
          napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    if (j->work) napi_delete_async_work(env, j->work);
    /* The deferred must be settled or it leaks: reject it, then throw. */
    napi_get_undefined(env, &undefined);
    napi_reject_deferred(env, j->deferred, undefined);
    return job_fail(env, j, resource);
  }
  return promise;
}

bool job_args(napi_env env, napi_callback_info info, napi_value argv[2], napi_value *this_arg,
              void **data) {
  size_t argc = 2;
  napi_value undefined;
  if (napi_get_undefined(env, &undefined) != napi_ok ||
      napi_get_cb_info(env, info, &argc, argv, this_arg, data) != napi_ok)
    return false;
  for (size_t i = argc; i < 2; i++) argv[i] = undefined;
  return true;
}
