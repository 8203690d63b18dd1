/* gf_srcroot.h - a stack frame's file as a path in the repository.
 *
 * Sanitizer frames name files as the compiler saw them: relative to the
 * build directory ("../src/core.c" for node-gyp's build/) or absolute.
 * Code scanning wants paths relative to the repository root. The root is
 * --source-root, else the nearest ancestor of the working directory with a
 * .git; a relative frame path is matched against the root's source files
 * by its longest unique suffix ("../src/core.c" -> "addon/src/core.c").
 */
#ifndef GF_SRCROOT_H
#define GF_SRCROOT_H

#include <limits.h>
#include <stddef.h>

typedef struct gf_srcroot {
  char root[PATH_MAX]; /* "" when unknown */
  char **files;        /* source files under root, relative to it */
  size_t n, cap;
} gf_srcroot;

/* given: an explicit root, or NULL to look for .git upwards from the cwd. */
void gf_srcroot_init(gf_srcroot *s, const char *given);
void gf_srcroot_free(gf_srcroot *s);

/* "../src/core.c:82:35" -> out "addon/src/core.c", *line 82. Returns 1
 * when the file is in the repository, 0 when not (out: the path with its
 * leading ../ dropped), -1 when loc names no file (an address). */
int gf_srcroot_resolve(const gf_srcroot *s, const char *loc, char *out, size_t cap, int *line);

#endif
