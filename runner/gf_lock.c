/* gf_lock.c - see gf_lock.h. */
#include "gf_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int gf_lock_out(const char *out_dir, int *fd, gf_err *err) {
  char path[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s/.lock", out_dir);
  /* O_CLOEXEC: a worker (or a helper that escaped it) must never keep the
   * daemon's lock alive after the daemon is gone. */
  int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lfd < 0) return gf_errf(err, "%s: cannot open: %s", path, strerror(errno));
  if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    char pid[24] = "";
    ssize_t n = pread(lfd, pid, sizeof pid - 1, 0);
    close(lfd);
    if (e != EWOULDBLOCK) return gf_errf(err, "%s: cannot lock: %s", path, strerror(e));
    pid[n > 0 ? strspn(pid, "0123456789") : 0] = '\0';
    gf_errf(err, "%s is in use by another gcfuzz (pid %s, holding %s); one writer per "
            "output folder: stop it, or use another --out", out_dir, pid[0] ? pid : "?", path);
    return 1;
  }
  char pid[24];
  int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
  if (ftruncate(lfd, 0) != 0 || pwrite(lfd, pid, (size_t)len, 0) != len) {
    /* The pid is only for the message; the lock itself holds. */
  }
  *fd = lfd;
  return 0;
}

void gf_unlock_out(int fd) {
  if (fd >= 0) close(fd); /* closing the descriptor releases the flock */
}
