/* addon.h - what the Node-API files of the addon share.
 *
 *   elem_class.c  the Elem class (napi_wrap of a gf_elem, freed by finalizer)
 *   entries.c     sumAsync / sumRefAsync / sumBorrowedAsync
 *   addon.c       module init, instance data, error helpers
 */
#ifndef GF_ADDON_H
#define GF_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>

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

/* Defines the async entry points on exports. */
napi_status gf_entries_init(napi_env env, napi_value exports);

#endif /* GF_ADDON_H */
