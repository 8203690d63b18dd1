/* addon.h - what the Node-API files of the addon share.
 *
 *   elem_class.c  the Elem class (napi_wrap of a gf_elem, freed by finalizer)
 *   job.c         one async call: what the worker reads, what is rooted
 *   entries.c     sumAsync / sumRefAsync / sumBorrowedAsync
 *   zoo.c         the other shapes of the bug and their fixes
 *   pool.c        entries on the addon's own thread pool (not libuv's), and
 *                 the environment-teardown control and its fix
 *   shared.c      roots shared between calls: a wrong fix and its fix
 *   batch.c       roots kept per batch of calls: a wrong fix and its fix
 *   addon.c       module init, instance data, error helpers
 */
#ifndef GF_ADDON_H
#define GF_ADDON_H

/* Node-API 8 (loads on Node 18 through 24), unless this is the
 * NAPI_EXPERIMENTAL flavour (finalizers run inside the GC on Node >= 20.10). */
#ifndef NAPI_EXPERIMENTAL
#define NAPI_VERSION 8
#endif
#include <node_api.h>

/* The env a wrap finalizer receives differs between the two flavours. */
#ifdef NAPI_EXPERIMENTAL
typedef node_api_basic_env gf_finalize_env;
#else
typedef napi_env gf_finalize_env;
#endif

#include "core.h"

/* Returns NULL from a napi_callback when a call failed, after making sure a
 * JS exception is pending (so a failed N-API call never goes unnoticed). */
#define GF_CALL(env, call)                                  \
  do {                                                      \
    if ((call) != napi_ok) {                                \
      gf_throw_last_error((env), #call);                    \
      return NULL;                                          \
    }                                                       \
  } while (0)

void gf_throw_last_error(napi_env env, const char *what);

/* Defines Elem on exports. */
napi_status gf_elem_class_init(napi_env env, napi_value exports);

/* The Elem behind `value`, or NULL (no exception thrown) if value is not an
 * Elem made by this addon: checked by type tag, not by duck typing. */
gf_elem *gf_elem_unwrap(napi_env env, napi_value value);

/* Defines the async entry points on exports (entries.c, zoo.c). */
napi_status gf_entries_init(napi_env env, napi_value exports);
napi_status gf_zoo_init(napi_env env, napi_value exports);
napi_status gf_pool_init(napi_env env, napi_value exports);
napi_status gf_shared_init(napi_env env, napi_value exports);
napi_status gf_batch_init(napi_env env, napi_value exports);

/* Elem methods defined in zoo.c. */
napi_value gf_sum_self_async(napi_env env, napi_callback_info info);
napi_value gf_sum_self_ref_async(napi_env env, napi_callback_info info);

#endif /* GF_ADDON_H */
