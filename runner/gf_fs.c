/* gf_fs.c - see gf_fs.h. */
#include "gf_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *gf_read_file(const char *path, size_t max, size_t *len, gf_err *err) {
  /* O_NONBLOCK: opening a FIFO named *.json must not block us forever; only
   * regular files are read. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    gf_errf(err, "%s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    gf_errf(err, "%s: not a regular file", path);
    return NULL;
  }
  FILE *f = fdopen(fd, "rb");
  if (f == NULL) {
    gf_errf(err, "%s: %s", path, strerror(errno));
    close(fd);
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  while (buf != NULL) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n > max) {
      gf_errf(err, "%s: larger than %zu bytes", path, max);
      free(buf);
      buf = NULL;
      break;
    }
    if (got == 0) break;
    if (n == cap) {
      char *bigger = realloc(buf, cap * 2 + 1);
      if (bigger == NULL) free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  int read_error = ferror(f);
  fclose(f);
  if (buf == NULL) {
    if (err && err->msg[0] == '\0') gf_errf(err, "%s: out of memory", path);
    return NULL;
  }
  if (read_error) {
    free(buf);
    gf_errf(err, "%s: read error", path);
    return NULL;
  }
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += w;
    len -= (size_t)w;
  }
  return 0;
}

static void fsync_parent_dir(const char *path) {
  char copy[PATH_MAX];
  gf_strlcpy(copy, path, sizeof copy);
  int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

void gf_remove_stale_tmp(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[PATH_MAX + 256];
  if (d == NULL) return;
  while ((e = readdir(d)) != NULL) {
    const char *t = strstr(e->d_name, ".tmp.");
    if (t == NULL || t[5] == '\0' || strspn(t + 5, "0123456789") != strlen(t + 5)) continue;
    long pid = strtol(t + 5, NULL, 10); /* a live writer's (a report's) is its own */
    if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
}

int gf_write_atomic(const char *path, const char *data, size_t len, gf_err *err) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
    return gf_errf(err, "%s: path too long", path);
  unlink(tmp); /* O_EXCL below: never through a link someone left there */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return gf_errf(err, "%s: %s", tmp, strerror(errno));
  if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
    int e = errno;
    close(fd);
    unlink(tmp);
    return gf_errf(err, "%s: %s", tmp, strerror(e));
  }
  close(fd);
  if (rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return gf_errf(err, "%s: rename: %s", path, strerror(e));
  }
  fsync_parent_dir(path);
  return 0;
}

int gf_append_line(int fd, const char *line, gf_err *err) {
  size_t n = strlen(line);
  char *buf = malloc(n + 1);
  if (buf == NULL) return gf_errf(err, "out of memory");
  memcpy(buf, line, n);
  buf[n] = '\n';
  off_t end = lseek(fd, 0, SEEK_END);
  int rc = write_all(fd, buf, n + 1);
  free(buf);
  if (rc != 0) {
    int e = errno;
    if (end >= 0 && ftruncate(fd, end) != 0) { /* no half line left for the next one to follow */
    }
    return gf_errf(err, "append: %s", strerror(e));
  }
  fdatasync(fd);
  return 0;
}

int gf_mkdirs(const char *path, gf_err *err) {
  char p[PATH_MAX];
  gf_strlcpy(p, path, sizeof p);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
      return gf_errf(err, "%s: %s", p, strerror(errno));
    *s = '/';
  }
  if (mkdir(p, 0755) != 0 && errno != EEXIST)
    return gf_errf(err, "%s: %s", p, strerror(errno));
  if (!gf_is_dir(p)) return gf_errf(err, "%s: not a directory", p);
  return 0;
}

int gf_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int gf_list_dir(const char *dir, const char *suffix, char ***names, gf_err *err) {
  DIR *d = opendir(dir);
  if (d == NULL) return gf_errf(err, "%s: %s", dir, strerror(errno));
  int n = 0, cap = 16;
  char **v = malloc(sizeof *v * cap);
  struct dirent *de;
  while (v != NULL && (de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix)) continue;
    if (n == cap) {
      char **bigger = realloc(v, sizeof *v * (cap *= 2));
      if (bigger == NULL) break;
      v = bigger;
    }
    v[n++] = strdup(de->d_name);
  }
  closedir(d);
  if (v == NULL) return gf_errf(err, "%s: out of memory", dir);
  qsort(v, n, sizeof *v, cmp_names);
  *names = v;
  return n;
}

void gf_free_names(char **names, int n) {
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
}

int gf_log_rotate(const char *path, long max) {
  struct stat st;
  if (stat(path, &st) != 0 || st.st_size <= max) return 0;
  char old[PATH_MAX + 8];
  if (snprintf(old, sizeof old, "%s.1", path) >= (int)sizeof old) return 0;
  return rename(path, old) == 0;
}
