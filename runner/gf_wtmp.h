/* gf_wtmp.h - every worker's own temporary directory.
 *
 * A target's temp files (a database's directory, an output file) outlive a
 * worker killed with SIGKILL: its exit hooks never run. So each worker is
 * started with TMPDIR (and GCFUZZ_TMPDIR) naming a directory gcfuzz made
 * for it, os.tmpdir() included, and gcfuzz removes the directory, whatever
 * is in it, when the worker has ended, however it ended.
 */
#ifndef GF_WTMP_H
#define GF_WTMP_H

#include <stddef.h>

/* env with TMPDIR and GCFUZZ_TMPDIR set to a new directory (its path in
 * dir): a new array for uv_spawn, or NULL (dir "") when none could be made
 * (the worker then runs with env as it is). */
char **gf_wtmp_env(char **env, char *dir, size_t cap);
void gf_wtmp_env_free(char **env);

/* Removes dir and everything below it (no link followed); "" is nothing. */
void gf_wtmp_remove(char *dir);

#endif
