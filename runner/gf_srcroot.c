/* gf_srcroot.c - see gf_srcroot.h. */
#include "gf_srcroot.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gf_err.h"

#define GF_SRCROOT_MAX_FILES 50000
#define GF_SRCROOT_MAX_DEPTH 12

static int source_file(const char *name) {
  static const char *const ext[] = {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".rs", ".m", ".mm"};
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < sizeof ext / sizeof *ext; i++)
    if (strcmp(dot, ext[i]) == 0) return 1;
  return 0;
}

/* Trees that hold no code of the repository's own (or too much of others'). */
static int skipped_dir(const char *name) {
  return name[0] == '.' || strcmp(name, "node_modules") == 0 || strcmp(name, "build") == 0;
}

static void walk(gf_srcroot *s, const char *rel, int depth) {
  char path[PATH_MAX * 2];
  snprintf(path, sizeof path, "%s%s%s", s->root, rel[0] ? "/" : "", rel);
  DIR *d = opendir(path);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && s->n < GF_SRCROOT_MAX_FILES) {
    char sub[PATH_MAX];
    if (snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >= (int)sizeof sub)
      continue;
    if (e->d_type == DT_DIR) {
      if (!skipped_dir(e->d_name) && depth < GF_SRCROOT_MAX_DEPTH) walk(s, sub, depth + 1);
    } else if (e->d_type == DT_REG && source_file(e->d_name)) {
      if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        char **f = realloc(s->files, cap * sizeof *f);
        if (f == NULL) break;
        s->files = f;
        s->cap = cap;
      }
      if ((s->files[s->n] = strdup(sub)) != NULL) s->n++;
    }
  }
  closedir(d);
}

void gf_srcroot_init(gf_srcroot *s, const char *given) {
  memset(s, 0, sizeof *s);
  char dir[PATH_MAX], probe[PATH_MAX + 8];
  if (given) {
    if (realpath(given, dir) == NULL) return;
  } else {
    if (getcwd(dir, sizeof dir) == NULL) return;
    for (;;) { /* up to the nearest .git */
      snprintf(probe, sizeof probe, "%s/.git", dir);
      if (access(probe, F_OK) == 0) break;
      char *slash = strrchr(dir, '/');
      if (slash == NULL || slash == dir) return;
      *slash = '\0';
    }
  }
  gf_strlcpy(s->root, dir, sizeof s->root);
  walk(s, "", 0);
}

void gf_srcroot_free(gf_srcroot *s) {
  for (size_t i = 0; i < s->n; i++) free(s->files[i]);
  free(s->files);
  memset(s, 0, sizeof *s);
}

/* The one file whose path ends with "/suffix" (or is suffix); NULL if none or several. */
static const char *unique_suffix(const gf_srcroot *s, const char *suffix) {
  const char *hit = NULL;
  size_t n = strlen(suffix);
  for (size_t i = 0; i < s->n; i++) {
    size_t m = strlen(s->files[i]);
    if (m < n || strcmp(s->files[i] + m - n, suffix) != 0 || (m > n && s->files[i][m - n - 1] != '/'))
      continue;
    if (hit) return NULL;
    hit = s->files[i];
  }
  return hit;
}

int gf_srcroot_resolve(const gf_srcroot *s, const char *loc, char *out, size_t cap, int *line) {
  char file[PATH_MAX];
  gf_strlcpy(file, loc, sizeof file);
  char *colon = strchr(file, ':');
  *line = colon ? atoi(colon + 1) : 0;
  if (colon) *colon = '\0';
  if (colon == NULL || strchr(file, '+') || file[0] == '\0') return -1; /* "/usr/bin/node+0x1234" */
  const char *rel = file;
  while (strncmp(rel, "../", 3) == 0 || strncmp(rel, "./", 2) == 0) rel += rel[1] == '/' ? 2 : 3;
  size_t rl = strlen(s->root);
  if (s->root[0] && file[0] == '/' && strncmp(file, s->root, rl) == 0 && file[rl] == '/') {
    gf_strlcpy(out, file + rl + 1, cap);
    return 1;
  }
  if (s->root[0] && file[0] != '/') {
    const char *hit = unique_suffix(s, rel);
    if (hit) {
      gf_strlcpy(out, hit, cap);
      return 1;
    }
  }
  gf_strlcpy(out, rel, cap);
  return 0;
}
