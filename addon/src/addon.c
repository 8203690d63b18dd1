/* addon.c - module registration and the shared error helper. */
#include "addon.h"

#include <stdio.h>

void gf_throw_last_error(napi_env env, const char *what) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  char msg[256];
  snprintf(msg, sizeof msg, "gcfuzz addon: %s failed: %s", what,
           info && info->error_message ? info->error_message : "unknown");
  napi_throw_error(env, NULL, msg);
}

static napi_value addon_init(napi_env env, napi_value exports) {
  if (gf_elem_class_init(env, exports) != napi_ok ||
      gf_entries_init(env, exports) != napi_ok) {
    gf_throw_last_error(env, "module init");
    return NULL;
  }
  napi_value build;
#ifdef GF_BUILD_NAME
  const char *name = GF_BUILD_NAME;
#else
  const char *name = "release";
#endif
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &build) != napi_ok ||
      napi_set_named_property(env, exports, "build", build) != napi_ok) {
    gf_throw_last_error(env, "module init");
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, addon_init)
