/* gf_lock.c - see gf_lock.h. */
#include "gf_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* The holder's pid and whether it is a brief writer, from the file. */
static void read_holder(int lfd, char *pid, size_t cap, int *brief) {
  char text[48] = "";
  ssize_t n = pread(lfd, text, sizeof text - 1, 0);
  text[n > 0 ? n : 0] = '\0';
  size_t digits = strspn(text, "0123456789");
  snprintf(pid, cap, "%.*s", (int)digits, text);
  *brief = strncmp(text + digits, " brief", 6) == 0;
}

/* flock, waiting for a brief holder when the caller is not one. */
static int take(int lfd, const char *out_dir, int brief, char *pid, size_t cap) {
  int holder_brief = 0, said = 0;
  for (unsigned waited = 0;; waited += 10) {
    if (flock(lfd, LOCK_EX | LOCK_NB) == 0) return 0;
    if (errno != EWOULDBLOCK) return -1;
    read_holder(lfd, pid, cap, &holder_brief);
    if (brief || !holder_brief || waited >= GF_LOCK_BRIEF_WAIT_MS) return 1;
    if (!said++)
      fprintf(stderr, "gcfuzz: %s is being updated by pid %s (a record update); waiting for it\n",
              out_dir, pid[0] ? pid : "?");
    struct timespec ts = {0, 10 * 1000000L};
    nanosleep(&ts, NULL);
  }
}

int gf_lock_out(const char *out_dir, int brief, int *fd, gf_err *err) {
  char path[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s/.lock", out_dir);
  /* O_CLOEXEC: a worker (or a helper that escaped it) must never keep the
   * daemon's lock alive after the daemon is gone. */
  int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lfd < 0) return gf_errf(err, "%s: cannot open: %s", path, strerror(errno));
  char pid[24] = "";
  int rc = take(lfd, out_dir, brief, pid, sizeof pid);
  if (rc != 0) {
    int e = errno;
    close(lfd);
    if (rc < 0) return gf_errf(err, "%s: cannot lock: %s", path, strerror(e));
    gf_errf(err, "%s is in use by another gcfuzz (pid %s, holding %s); one writer per "
            "output folder: stop it, or use another --out", out_dir, pid[0] ? pid : "?", path);
    return 1;
  }
  char me[40];
  int len = snprintf(me, sizeof me, "%ld%s\n", (long)getpid(), brief ? " brief" : "");
  if (ftruncate(lfd, 0) != 0 || pwrite(lfd, me, (size_t)len, 0) != len) {
    /* The pid is only for the message; the lock itself holds. */
  }
  *fd = lfd;
  return 0;
}

void gf_unlock_out(int fd) {
  if (fd >= 0) close(fd); /* closing the descriptor releases the flock */
}
