/* gf_err.h - one error message, filled where the failure is understood.
 *
 * Every function that can fail on bad input takes a gf_err* and writes a
 * message that names the file or field and the reason; callers add context
 * with gf_err_prefix() and print it once.
 */
#ifndef GF_ERR_H
#define GF_ERR_H

#include <stddef.h>

typedef struct gf_err {
  char msg[512];
} gf_err;

/* Formats into err (if non-NULL) and returns -1, so `return gf_errf(...)`. */
int gf_errf(gf_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to the message already in err. Returns -1. */
int gf_err_prefix(gf_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* snprintf that always terminates and never warns about truncation. */
void gf_strlcpy(char *dst, const char *src, size_t cap);

#endif
