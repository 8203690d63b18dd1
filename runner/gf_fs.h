/* gf_fs.h - the file operations gcfuzz's durability rests on.
 *
 * Records are replaced with gf_write_atomic (temp file, fsync, rename, fsync
 * of the directory), so a reader - or a kill -9 at any instant - sees either
 * the old complete file or the new complete file, never a torn one.
 */
#ifndef GF_FS_H
#define GF_FS_H

#include <stddef.h>

#include "gf_err.h"

/* Reads a whole file (at most max bytes) into a NUL-terminated malloc'd
 * buffer. */
char *gf_read_file(const char *path, size_t max, size_t *len, gf_err *err);

/* Removes dir's NAME.tmp.PID files whose PID is gone: a writer killed
 * mid-write (kill -9) leaves its temp file; OUT's new writer calls this. */
void gf_remove_stale_tmp(const char *dir);

int gf_write_atomic(const char *path, const char *data, size_t len, gf_err *err);

/* Appends one line (a '\n' is added) with a single write(2) on an O_APPEND
 * descriptor, then fdatasync: a line is either wholly there or not. */
int gf_append_line(int fd, const char *line, gf_err *err);

/* mkdir -p. */
int gf_mkdirs(const char *path, gf_err *err);

/* The names in dir ending in suffix, sorted (readdir order is not stable, and
 * the case stream must be). Returns the count; *names is malloc'd, free with
 * gf_free_names. -1 on error. */
int gf_list_dir(const char *dir, const char *suffix, char ***names, gf_err *err);
void gf_free_names(char **names, int n);

int gf_is_dir(const char *path);

/* Append-only logs (events.jsonl, stats.jsonl) are capped: past
 * GF_LOG_MAX bytes the file becomes <path>.1 (replacing an older .1) and a
 * new one starts, so at most two generations stay on disk. Returns 1 when
 * it rotated. */
#define GF_LOG_MAX (64L << 20)
int gf_log_rotate(const char *path, long max);

#endif
