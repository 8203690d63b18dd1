/* test_fds.c - the daemon started with stdin, stdout or stderr closed
 * (`nohup gcfuzz … <&-`, some service managers) runs and stops in order.
 * Before, an orderly stop ended in a libuv assertion (exit 134): the
 * runner's own pipes took fds 0-2. */
#include "helpers.h"

#include <fcntl.h>
#include <sys/wait.h>

/* Runs a 2-second soak with the fds of `closed` (bit i: fd i) closed. */
static int soak_with_closed(int closed, const char *out) {
  pid_t pid = fork();
  if (pid == 0) {
    for (int fd = 0; fd < 3; fd++)
      if (closed & (1 << fd)) close(fd);
    execl("build/gcfuzz", "build/gcfuzz", "soak", "--config", "config/soak.json", "--out", out,
          "--max-time", "2", "--workers", "1", "--seed", "1", (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

static void closed_std_fds(void **state) {
  (void)state;
  char dir[PATH_MAX], out[PATH_MAX + 16];
  temp_dir(dir, sizeof dir);
  for (int closed = 1; closed < 8; closed <<= 1) { /* stdin, stdout, stderr in turn */
    snprintf(out, sizeof out, "%s/out%d", dir, closed);
    int status = soak_with_closed(closed, out);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      fail_msg("fd mask %d: status %d (signal %d)", closed, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
               WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  snprintf(out, sizeof out, "%s/out7", dir);
  int status = soak_with_closed(7, out);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(closed_std_fds)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
