/* gf_err.c - see gf_err.h. */
#include "gf_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gf_errf(gf_err *err, const char *fmt, ...) {
  if (err != NULL) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

int gf_err_prefix(gf_err *err, const char *fmt, ...) {
  if (err == NULL) return -1;
  char prefix[256], old[sizeof err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, err->msg, sizeof old);
  if (snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old) >= (int)sizeof err->msg)
    memcpy(err->msg + sizeof err->msg - 4, "...", 4); /* truncated: say so */
  return -1;
}

void gf_strlcpy(char *dst, const char *src, size_t cap) {
  if (cap == 0) return;
  size_t n = strlen(src);
  if (n >= cap) n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}
