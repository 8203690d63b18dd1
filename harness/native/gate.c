/* gate.c - the window gate for thread pools that are not libuv's: the
 * tokio workers of a napi-rs `async fn`, an addon's own pthread pool.
 * harness/gate.js holds the libuv pool with blocking reads; a pool it
 * cannot queue work on is held here: its idle threads are stopped in a
 * signal handler, so work a call queues meanwhile waits until release(),
 * after the GC schedule, deterministically.
 *
 * Which threads: those whose name (/proc/self/task/TID/comm) starts with
 * one of the given prefixes, and that are parked idle - blocked in futex
 * wait, or in epoll_wait as tokio's I/O driver worker parks (their
 * /proc/self/task/TID/syscall is 202, 232 or 281). A thread that
 * runs may hold a lock (the allocator's, the runtime's) that the main
 * thread needs during a GC: stopping it could deadlock, so it is left
 * alone. A parked thread can still hold one lock while it waits for
 * another; so a watchdog thread lets every held thread go at a deadline
 * whatever the main thread does, and counts it (timeouts): a deadlock lasts
 * at most that long, and is seen.
 *
 * The handler only reads one byte from a pipe (async-signal-safe); release
 * writes one byte per signalled thread.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define GATE_MAX_PREFIXES 8
#define GATE_PREFIX_MAX 16 /* a thread name is at most 15 bytes */
#define GATE_PARK_WAIT_NS 50000000L /* how long hold() waits for signalled threads to stop */

typedef struct gate {
  int pipe_rd, pipe_wr;
  int signo;
  atomic_uint arrived; /* entries into the handler, ever: hold() waits for its own */
  pthread_mutex_t lock;
  pthread_cond_t armed;
  int outstanding;    /* signalled and not yet given their byte */
  struct timespec deadline;
  int deadline_set;
  uint32_t timeouts;  /* releases done by the watchdog */
} gate;

/* One per process: a signal handler has no argument to find it by. */
static gate the_gate = {-1, -1, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, {0, 0}, 0, 0};

static void on_gate_signal(int sig) {
  (void)sig;
  int saved = errno;
  char b;
  atomic_fetch_add(&the_gate.arrived, 1);
  while (read(the_gate.pipe_rd, &b, 1) < 0 && errno == EINTR) {
  }
  errno = saved;
}

/* Writes n bytes (n held threads go); lock held. */
static void let_go_locked(gate *g, int n) {
  static const char zeros[64];
  while (n > 0) {
    ssize_t w = write(g->pipe_wr, zeros, n < 64 ? (size_t)n : 64);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    n -= (int)w;
  }
  g->outstanding = 0;
  g->deadline_set = 0;
}

static void *watchdog_main(void *arg) {
  gate *g = arg;
  pthread_mutex_lock(&g->lock);
  for (;;) {
    if (!g->deadline_set) {
      pthread_cond_wait(&g->armed, &g->lock);
    } else if (pthread_cond_timedwait(&g->armed, &g->lock, &g->deadline) == ETIMEDOUT &&
               g->deadline_set) {
      g->timeouts++;
      let_go_locked(g, g->outstanding);
    }
  }
  return NULL;
}

static int gate_setup(gate *g) {
  if (g->pipe_rd >= 0) return 0;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  g->signo = SIGRTMIN + 7; /* glibc keeps the first two; V8 and libuv use none of the RT ones */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_gate_signal;
  sa.sa_flags = SA_RESTART; /* the interrupted futex wait restarts, and sees queued work */
  sigemptyset(&sa.sa_mask);
  pthread_t t;
  if (sigaction(g->signo, &sa, NULL) != 0 || pthread_create(&t, NULL, watchdog_main, g) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  pthread_detach(t);
  g->pipe_rd = fds[0];
  g->pipe_wr = fds[1];
  return 0;
}

/* Reads a small /proc file into buf; its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, cap - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = '\0';
  return n;
}

static int name_matches(const char *comm, char (*prefixes)[GATE_PREFIX_MAX], int n) {
  for (int i = 0; i < n; i++)
    if (strncmp(comm, prefixes[i], strlen(prefixes[i])) == 0) return 1;
  return 0;
}

/* futex, epoll_wait, epoll_pwait (x86_64 numbers): waits that hold no lock
 * of their own while they wait. */
static int is_parked(const char *syscall_line) {
  long nr = strtol(syscall_line, NULL, 10);
  return nr == 202 || nr == 232 || nr == 281;
}

/* Signals every parked thread whose name matches; how many. */
static int signal_parked(gate *g, char (*prefixes)[GATE_PREFIX_MAX], int n) {
  DIR *d = opendir("/proc/self/task");
  if (d == NULL) return 0;
  pid_t self = (pid_t)syscall(SYS_gettid), pid = getpid();
  int sent = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    pid_t tid = (pid_t)strtol(e->d_name, NULL, 10);
    char path[64], comm[32], sys[64];
    if (tid <= 0 || tid == self) continue;
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)tid);
    if (read_small(path, comm, sizeof comm) <= 0) continue;
    comm[strcspn(comm, "\n")] = '\0';
    if (!name_matches(comm, prefixes, n)) continue;
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    if (read_small(path, sys, sizeof sys) <= 0 || !is_parked(sys)) continue;
    if (syscall(SYS_tgkill, pid, tid, g->signo) == 0) sent++;
  }
  closedir(d);
  return sent;
}

/* Until the threads just signalled are in the handler (a count that only
 * grows: threads of an earlier hold may be leaving it meanwhile). */
static void wait_arrived(gate *g, unsigned want) {
  struct timespec step = {0, 20000};
  for (long waited = 0; atomic_load(&g->arrived) - want > (1u << 31) && waited < GATE_PARK_WAIT_NS;
       waited += step.tv_nsec)
    nanosleep(&step, NULL);
}

/* hold(prefixes: string[], deadlineMs: number) -> number of threads held */
static napi_value js_hold(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  char prefixes[GATE_MAX_PREFIXES][GATE_PREFIX_MAX];
  uint32_t n = 0;
  double deadline_ms = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_array_length(env, argv[0], &n) != napi_ok ||
      napi_get_value_double(env, argv[1], &deadline_ms) != napi_ok) {
    napi_throw_type_error(env, NULL, "hold(prefixes: string[], deadlineMs: number)");
    return NULL;
  }
  if (n > GATE_MAX_PREFIXES) n = GATE_MAX_PREFIXES;
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    size_t len = 0;
    if (napi_get_element(env, argv[0], i, &v) != napi_ok ||
        napi_get_value_string_utf8(env, v, prefixes[i], GATE_PREFIX_MAX, &len) != napi_ok) {
      napi_throw_type_error(env, NULL, "hold: prefixes must be strings");
      return NULL;
    }
  }
  gate *g = &the_gate;
  if (gate_setup(g) != 0) {
    napi_throw_error(env, NULL, "gate: cannot set up (pipe, signal or watchdog)");
    return NULL;
  }
  unsigned before = atomic_load(&g->arrived);
  int sent = signal_parked(g, prefixes, (int)n);
  wait_arrived(g, before + (unsigned)sent);
  pthread_mutex_lock(&g->lock);
  g->outstanding += sent;
  if (g->outstanding > 0 && !g->deadline_set) {
    clock_gettime(CLOCK_REALTIME, &g->deadline);
    long long ns = g->deadline.tv_nsec + (long long)(deadline_ms * 1e6);
    g->deadline.tv_sec += (time_t)(ns / 1000000000LL);
    g->deadline.tv_nsec = (long)(ns % 1000000000LL);
    g->deadline_set = 1;
    pthread_cond_signal(&g->armed);
  }
  pthread_mutex_unlock(&g->lock);
  napi_create_uint32(env, (uint32_t)sent, &out);
  return out;
}

static napi_value js_release(napi_env env, napi_callback_info info) {
  (void)info;
  gate *g = &the_gate;
  napi_value undefined;
  if (g->pipe_rd >= 0) {
    pthread_mutex_lock(&g->lock);
    let_go_locked(g, g->outstanding);
    pthread_cond_signal(&g->armed);
    pthread_mutex_unlock(&g->lock);
  }
  napi_get_undefined(env, &undefined);
  return undefined;
}

/* timeouts(): releases the watchdog had to do (a hold that outlived its deadline). */
static napi_value js_timeouts(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  pthread_mutex_lock(&the_gate.lock);
  uint32_t t = the_gate.timeouts;
  pthread_mutex_unlock(&the_gate.lock);
  napi_create_uint32(env, t, &out);
  return out;
}

static napi_value gate_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"hold", NULL, js_hold, NULL, NULL, NULL, napi_enumerable, NULL},
      {"release", NULL, js_release, NULL, NULL, NULL, napi_enumerable, NULL},
      {"timeouts", NULL, js_timeouts, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, 3, props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(gcfuzz_gate, gate_init)
