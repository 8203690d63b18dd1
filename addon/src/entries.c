/* entries.c - the async entry points taking an array: (elems, opts =
 * {delayUs: 0}) -> Promise<number>, the total of the inputs' sums, computed
 * on the libuv threadpool. One table, one function: entries differ only in
 * what the worker reads and what stays rooted meanwhile.
 *
 *   sumAsync               OWNING COPY (the shipped fix): values are copied
 *                          into a gf_snapshot on the main thread first.
 *   sumRefAsync            ROOTED: a strong napi_ref (count 1) per element
 *                          until complete runs on the main thread.
 *   sumBorrowedAsync       THE BUG, KEPT ON PURPOSE as gcfuzz's positive
 *                          control: only the unwrapped pointers are kept. Once
 *                          JS drops the Elems, GC runs their finalizers (free)
 *                          while the worker may still read. Never "fix" it.
 * The zoo (doc/addon.md "The zoo"), each bug a POSITIVE CONTROL beside its fix:
 *   sumArrayRefAsync       BUG: roots only the *array* (napi-rs PR #2589, the
 *                          first fix for issue #2571). JS may truncate, pop or
 *                          replace elements after the call; those can be
 *                          collected while the worker reads them.
 *   sumArrayRefFixedAsync  fix: roots the array and every element.
 *   sumWeakRefAsync        BUG: references of count 0 keep nothing alive (the
 *                          regression of napi-rs #1371, undone by #1577).
 *                          Counterpart: sumRefAsync.
 *   sumTypedAsync          BUG: keeps only Float64Array data pointers
 *                          (napi_get_typedarray_info) across the async work
 *                          (node-addon-api #431, #1453).
 *   sumTypedCopyAsync      fix: copies the values before queueing.
 */
#include <stdio.h>

#include "job.h"

typedef struct entry_spec {
  const char *name;
  bool typed;       /* Float64Array[] rather than Elem[] */
  bool copy;        /* owning snapshot: the worker reads only that */
  int elem_refs;    /* per-element reference count; -1: none */
  bool root_array;  /* a strong reference to the array itself */
} entry_spec;

static const entry_spec entries[] = {
    {"sumAsync", false, true, -1, false},
    {"sumRefAsync", false, false, 1, false},
    {"sumBorrowedAsync", false, false, -1, false},     /* POSITIVE CONTROL */
    {"sumArrayRefAsync", false, false, -1, true},      /* POSITIVE CONTROL */
    {"sumArrayRefFixedAsync", false, false, 1, true},
    {"sumWeakRefAsync", false, false, 0, false},       /* POSITIVE CONTROL */
    {"sumTypedAsync", true, false, -1, false},         /* POSITIVE CONTROL */
    {"sumTypedCopyAsync", true, true, -1, false},
};

/* Every element of arr must be a Float64Array; its data becomes a view. */
static bool collect_views(napi_env env, napi_value arr, job *j) {
  if (!job_array_slots(env, arr, "Float64Array", j, sizeof *j->views, (void **)&j->views))
    return false;
  for (uint32_t i = 0; i < j->count; i++) {
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

static bool take_copy(napi_env env, job *j, bool typed) {
  int rc = typed ? gf_snapshot_take_views(&j->snapshot, j->views, j->count)
                 : gf_snapshot_take(&j->snapshot, j->elems, j->count);
  if (rc != 0) napi_throw_range_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "owning copy: out of memory");
  return rc == 0;
}

static napi_value entry_call(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void *data;
  if (!job_args(env, info, argv, NULL, &data)) return NULL;
  const entry_spec *spec = data;
  job *j = job_new(env, spec->copy ? JOB_READ_COPY : spec->typed ? JOB_READ_VIEWS : JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  bool ok = job_parse_opts(env, argv[1], j) &&
            (spec->typed ? collect_views(env, argv[0], j)
                         : job_collect_elems(env, argv[0], j, spec->elem_refs)) &&
            (!spec->root_array || job_root(env, j, argv[0], 1)) &&
            (!spec->copy || take_copy(env, j, spec->typed));
  return ok ? job_queue(env, j, spec->name) : job_fail(env, j, spec->name);
}

napi_status gf_entries_init(napi_env env, napi_value exports) {
  size_t n = sizeof entries / sizeof entries[0];
  napi_property_descriptor props[sizeof entries / sizeof entries[0]];
  for (size_t i = 0; i < n; i++)
    props[i] = (napi_property_descriptor){entries[i].name, NULL, entry_call, NULL, NULL,
                                          NULL, napi_enumerable, (void *)&entries[i]};
  napi_status s = napi_define_properties(env, exports, n, props);
  return s == napi_ok ? gf_zoo_init(env, exports) : s;
}
