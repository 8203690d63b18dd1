/* elem_class.c - `new Elem(length, seed = 0)`, a wrapped gf_elem.
 *
 * The finalizer frees the native struct. That is correct for the object's
 * own lifetime, and exactly what turns a borrowed pointer held by async
 * work into a use-after-free once the JS object is collected.
 */
#include "addon.h"

#include <stdio.h>

/* Random but fixed: marks objects wrapped by this addon (napi type tags). */
static const napi_type_tag elem_type_tag = {0x6763667a7a456c65ull,
                                            0x6d5f76315f746167ull};

static void elem_finalize(gf_finalize_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gf_elem_free(data);
}

/* Reads an optional integer argument in [0, max]. Returns false with a
 * TypeError/RangeError pending when it is not one. */
static bool arg_to_uint(napi_env env, napi_value v, const char *name,
                        double max, double *out) {
  napi_valuetype t;
  char msg[160];
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t != napi_number) {
    snprintf(msg, sizeof msg, "%s must be a number", name);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return false;
  }
  double d;
  napi_get_value_double(env, v, &d);
  if (!(d >= 0 && d <= max) || d != (double)(uint64_t)d) {
    snprintf(msg, sizeof msg, "%s must be an integer in [0, %.0f], got %g",
             name, max, d);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  *out = d;
  return true;
}

static napi_value elem_construct(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], this_arg, new_target;
  GF_CALL(env, napi_get_cb_info(env, info, &argc, argv, &this_arg, NULL));
  GF_CALL(env, napi_get_new_target(env, info, &new_target));
  if (new_target == NULL) {
    napi_throw_type_error(env, "ERR_CONSTRUCT_CALL_REQUIRED",
                          "Class constructor Elem cannot be invoked without 'new'");
    return NULL;
  }
  double length, seed = 0;
  if (argc < 1) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "length must be a number");
    return NULL;
  }
  if (!arg_to_uint(env, argv[0], "length", GF_ELEM_MAX_LEN, &length)) return NULL;
  if (argc >= 2) {
    napi_valuetype t;
    GF_CALL(env, napi_typeof(env, argv[1], &t));
    if (t != napi_undefined &&
        !arg_to_uint(env, argv[1], "seed", 4294967295.0, &seed))
      return NULL;
  }
  gf_elem *e = gf_elem_new((size_t)length, (uint32_t)seed);
  if (e == NULL) {
    napi_throw_range_error(env, "ERR_MEMORY_ALLOCATION_FAILED",
                           "Elem: out of memory");
    return NULL;
  }
  if (napi_wrap(env, this_arg, e, elem_finalize, NULL, NULL) != napi_ok) {
    gf_elem_free(e);
    gf_throw_last_error(env, "napi_wrap");
    return NULL;
  }
  GF_CALL(env, napi_type_tag_object(env, this_arg, &elem_type_tag));
  return this_arg;
}

gf_elem *gf_elem_unwrap(napi_env env, napi_value value) {
  napi_valuetype t;
  bool tagged = false;
  void *data = NULL;
  if (napi_typeof(env, value, &t) != napi_ok || t != napi_object) return NULL;
  if (napi_check_object_type_tag(env, value, &elem_type_tag, &tagged) != napi_ok ||
      !tagged)
    return NULL;
  if (napi_unwrap(env, value, &data) != napi_ok) return NULL;
  return data;
}

/* Methods: `this` must be a real Elem (Elem.prototype.sum.call({}) throws). */
static gf_elem *this_elem(napi_env env, napi_callback_info info) {
  napi_value this_arg;
  size_t argc = 0;
  if (napi_get_cb_info(env, info, &argc, NULL, &this_arg, NULL) != napi_ok)
    return NULL;
  gf_elem *e = gf_elem_unwrap(env, this_arg);
  if (e == NULL)
    napi_throw_type_error(env, "ERR_INVALID_THIS", "this is not an Elem");
  return e;
}

static napi_value elem_get_length(napi_env env, napi_callback_info info) {
  gf_elem *e = this_elem(env, info);
  if (e == NULL) return NULL;
  napi_value out;
  GF_CALL(env, napi_create_double(env, (double)e->length, &out));
  return out;
}

static napi_value elem_sum(napi_env env, napi_callback_info info) {
  gf_elem *e = this_elem(env, info);
  if (e == NULL) return NULL;
  napi_value out;
  GF_CALL(env, napi_create_double(env, gf_elem_sum(e), &out));
  return out;
}

napi_status gf_elem_class_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"length", NULL, NULL, elem_get_length, NULL, NULL, napi_default, NULL},
      {"sum", NULL, elem_sum, NULL, NULL, NULL, napi_default, NULL},
      {"sumSelfAsync", NULL, gf_sum_self_async, NULL, NULL, NULL, napi_default, NULL},
      {"sumSelfRefAsync", NULL, gf_sum_self_ref_async, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value cls;
  napi_status s = napi_define_class(env, "Elem", NAPI_AUTO_LENGTH, elem_construct,
                                    NULL, sizeof props / sizeof props[0], props,
                                    &cls);
  if (s != napi_ok) return s;
  return napi_set_named_property(env, exports, "Elem", cls);
}
