/* gf_wtmp.c - see gf_wtmp.h. */
#include "gf_wtmp.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf_err.h"

char **gf_wtmp_env(char **env, char *dir, size_t cap) {
  const char *base = getenv("TMPDIR");
  dir[0] = '\0';
  if (snprintf(dir, cap, "%s/gcfuzz-worker-XXXXXX", base && base[0] == '/' ? base : "/tmp") >= (int)cap ||
      mkdtemp(dir) == NULL) {
    dir[0] = '\0';
    return NULL;
  }
  size_t n = 0, k = 0, len = strlen(dir) + 16;
  while (env && env[n]) n++;
  char **v = calloc(n + 3, sizeof *v), *tmp = malloc(len), *ours = malloc(len);
  if (v == NULL || tmp == NULL || ours == NULL) {
    free(v), free(tmp), free(ours);
    rmdir(dir);
    dir[0] = '\0';
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (strncmp(env[i], "TMPDIR=", 7) != 0 && strncmp(env[i], "GCFUZZ_TMPDIR=", 14) != 0) v[k++] = env[i];
  snprintf(tmp, len, "TMPDIR=%s", dir);
  snprintf(ours, len, "GCFUZZ_TMPDIR=%s", dir);
  v[k++] = tmp; /* the last two are ours (gf_wtmp_env_free) */
  v[k++] = ours;
  return v;
}

void gf_wtmp_env_free(char **env) {
  if (env == NULL) return;
  size_t n = 0;
  while (env[n]) n++;
  /* ours are the last two (see above): the rest are the plan's */
  for (size_t i = n >= 2 ? n - 2 : 0; i < n; i++) free(env[i]);
  free(env);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0; /* go on: a file that will not go must not keep the rest */
}

void gf_wtmp_remove(char *dir) {
  if (dir == NULL || dir[0] == '\0') return;
  nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  dir[0] = '\0';
}
