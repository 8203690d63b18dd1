/* test_fds.c - the daemon started with stdin, stdout or stderr closed
 * (`nohup gcfuzz … <&-`, some service managers) runs and stops in order.
 * Before, an orderly stop ended in a libuv assertion (exit 134): the
 * runner's own pipes took fds 0-2. */
#include "helpers.h"

#include <fcntl.h>
#include <sys/wait.h>

/* Starts a 2-second soak with the fds of `closed` (bit i: fd i) closed. */
static pid_t start_soak_with_closed(int closed, const char *out) {
  pid_t pid = fork();
  if (pid == 0) {
    for (int fd = 0; fd < 3; fd++)
      if (closed & (1 << fd)) close(fd);
    execl("build/gcfuzz", "build/gcfuzz", "soak", "--config", "config/soak.json", "--out", out,
          "--max-time", "2", "--workers", "1", "--seed", "1", (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* stdin, stdout, stderr closed in turn, then all three: four soaks side by
 * side (each its own OUT), each must exit 0. */
static void closed_std_fds(void **state) {
  (void)state;
  static const int masks[] = {1, 2, 4, 7};
  char dir[PATH_MAX], out[PATH_MAX + 16];
  pid_t pids[4];
  temp_dir(dir, sizeof dir);
  for (int i = 0; i < 4; i++) {
    snprintf(out, sizeof out, "%s/out%d", dir, masks[i]);
    pids[i] = start_soak_with_closed(masks[i], out);
  }
  for (int i = 0; i < 4; i++) {
    int status = 0;
    waitpid(pids[i], &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      fail_msg("fd mask %d: status %d (signal %d)", masks[i], WIFEXITED(status) ? WEXITSTATUS(status) : -1,
               WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(closed_std_fds)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
