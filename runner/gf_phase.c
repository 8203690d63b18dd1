/* gf_phase.c - see gf_phase.h. */
#include "gf_phase.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "gf_container.h"

typedef struct phase {
  uv_process_t proc;
  uv_timer_t deadline;
  uv_timer_t grace;
  uv_signal_t sigs[3];
  gf_phase_result *r;
  double grace_s;
  int exited;
} phase;

static void close_all(phase *p) {
  uv_close((uv_handle_t *)&p->deadline, NULL);
  uv_close((uv_handle_t *)&p->grace, NULL);
  for (int i = 0; i < 3; i++) uv_close((uv_handle_t *)&p->sigs[i], NULL);
  uv_close((uv_handle_t *)&p->proc, NULL);
}

static void on_phase_exit(uv_process_t *proc, int64_t status, int term_signal) {
  phase *p = container_of(proc, phase, proc);
  p->exited = 1;
  p->r->exit_status = term_signal ? -1 : (int)status;
  p->r->term_signal = term_signal;
  close_all(p);
}

static void on_grace_over(uv_timer_t *t) {
  phase *p = container_of(t, phase, grace);
  if (!p->exited) kill(-p->proc.pid, SIGKILL);
}

/* SIGTERM to the whole group, then SIGKILL if it is still there. */
static void stop_group(phase *p) {
  if (p->exited || uv_is_active((uv_handle_t *)&p->grace)) return;
  kill(-p->proc.pid, SIGTERM);
  uv_timer_start(&p->grace, on_grace_over, (uint64_t)(p->grace_s * 1000), 0);
}

static void on_deadline(uv_timer_t *t) {
  phase *p = container_of(t, phase, deadline);
  p->r->timed_out = 1;
  stop_group(p);
}

static void on_stop_signal(uv_signal_t *s, int signum) {
  phase *p = s->data;
  p->r->interrupted = 1;
  stop_group(p);
}

/* `gcfuzz __worker PID argv...`: dies with us (PR_SET_PDEATHSIG). Through
 * /proc/self/exe, not its target: a hunt runs for hours, and the binary may
 * be rebuilt or reinstalled meanwhile (the link then names a deleted file,
 * which exec refuses, but /proc/self/exe itself still runs this binary). */
static char **with_trampoline(char *const *argv, char *pid, size_t cap) {
  size_t argc = 0;
  while (argv[argc]) argc++;
  char **v = calloc(argc + 4, sizeof *v);
  if (v == NULL || access("/proc/self/exe", X_OK) != 0) {
    free(v);
    return NULL;
  }
  snprintf(pid, cap, "%ld", (long)getpid());
  v[0] = "/proc/self/exe";
  v[1] = "__worker";
  v[2] = pid;
  memcpy(v + 3, argv, argc * sizeof *v);
  return v;
}

int gf_phase_run(char *const *argv, const char *log_path, double max_s, double grace_s,
                 gf_phase_result *r, gf_err *err) {
  memset(r, 0, sizeof *r);
  int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return gf_errf(err, "%s: %s", log_path, strerror(errno));
  char pid[32];
  char **v = with_trampoline(argv, pid, sizeof pid);
  if (v == NULL) {
    close(fd);
    return gf_errf(err, "cannot find our own executable");
  }
  uv_loop_t loop;
  phase p = {.r = r, .grace_s = grace_s};
  uv_loop_init(&loop);
  uv_stdio_container_t stdio[3] = {{UV_IGNORE, {0}}, {UV_INHERIT_FD, {.fd = fd}}, {UV_INHERIT_FD, {.fd = fd}}};
  uv_process_options_t opt = {.exit_cb = on_phase_exit, .file = v[0], .args = v, .stdio_count = 3,
                              .stdio = stdio, .flags = UV_PROCESS_DETACHED};
  uint64_t t0 = uv_hrtime();
  int rc = uv_spawn(&loop, &p.proc, &opt);
  close(fd);
  free(v);
  if (rc != 0) {
    uv_close((uv_handle_t *)&p.proc, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return gf_errf(err, "cannot run %s: %s", argv[0], uv_strerror(rc));
  }
  uv_timer_init(&loop, &p.deadline);
  uv_timer_init(&loop, &p.grace);
  const int signums[3] = {SIGINT, SIGTERM, SIGHUP};
  for (int i = 0; i < 3; i++) {
    uv_signal_init(&loop, &p.sigs[i]);
    p.sigs[i].data = &p;
    uv_signal_start(&p.sigs[i], on_stop_signal, signums[i]);
  }
  if (max_s > 0) uv_timer_start(&p.deadline, on_deadline, (uint64_t)(max_s * 1000), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  r->seconds = (double)(uv_hrtime() - t0) / 1e9;
  return 0;
}
