/* gf_spawn.c - see gf_spawn.h. */
#include "gf_spawn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "gf_sbuf.h"

extern char **environ;

typedef struct capture {
  char *out;
  size_t cap, len;
  int64_t status;
  int signal;
} capture;

static void capture_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  static char scratch[4096];
  (void)h;
  (void)hint;
  *buf = uv_buf_init(scratch, sizeof scratch);
}

static void capture_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  capture *c = s->data;
  if (n < 0) {
    uv_close((uv_handle_t *)s, NULL);
    return;
  }
  size_t room = c->cap - 1 - c->len;
  size_t take = (size_t)n < room ? (size_t)n : room;
  memcpy(c->out + c->len, buf->base, take);
  c->len += take;
}

static void capture_exit(uv_process_t *p, int64_t status, int sig) {
  capture *c = p->data;
  c->status = status;
  c->signal = sig;
  uv_close((uv_handle_t *)p, NULL);
}

int gf_run_capture(char *const *argv, char *out, size_t cap, gf_err *err) {
  uv_loop_t loop;
  uv_pipe_t pipe;
  uv_process_t proc;
  capture c = {out, cap, 0, -1, 0};
  uv_loop_init(&loop);
  uv_pipe_init(&loop, &pipe, 0);
  pipe.data = &c;
  proc.data = &c;
  uv_stdio_container_t stdio[3] = {{UV_IGNORE, {0}},
                                   {UV_CREATE_PIPE | UV_WRITABLE_PIPE, {(uv_stream_t *)&pipe}},
                                   {UV_IGNORE, {0}}};
  uv_process_options_t opt = {.exit_cb = capture_exit, .file = argv[0],
                              .args = (char **)argv, .stdio_count = 3, .stdio = stdio};
  int rc = uv_spawn(&loop, &proc, &opt);
  if (rc != 0) {
    uv_close((uv_handle_t *)&pipe, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return gf_errf(err, "cannot run %s: %s", argv[0], uv_strerror(rc));
  }
  uv_read_start((uv_stream_t *)&pipe, capture_alloc, capture_read);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  out[c.len] = '\0';
  while (c.len > 0 && (out[c.len - 1] == '\n' || out[c.len - 1] == ' ')) out[--c.len] = '\0';
  if (c.status != 0 || c.signal != 0)
    return gf_errf(err, "%s exited with status %lld", argv[0], (long long)c.status);
  return 0;
}

int gf_run_inherit(char *const *argv, gf_err *err) {
  uv_loop_t loop;
  uv_process_t proc;
  capture c = {NULL, 0, 0, -1, 0};
  uv_loop_init(&loop);
  proc.data = &c;
  uv_stdio_container_t stdio[3] = {{UV_IGNORE, {0}}, {UV_INHERIT_FD, {.fd = 1}}, {UV_INHERIT_FD, {.fd = 2}}};
  uv_process_options_t opt = {.exit_cb = capture_exit, .file = argv[0],
                              .args = (char **)argv, .stdio_count = 3, .stdio = stdio};
  int rc = uv_spawn(&loop, &proc, &opt);
  if (rc == 0) uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  if (rc != 0) return gf_errf(err, "cannot run %s: %s", argv[0], uv_strerror(rc));
  return c.signal ? 128 + c.signal : (int)c.status;
}

/* Workers start as `gcfuzz __worker PID node ...` (main.c): the kernel kills
 * them if the daemon dies. Without /proc/self/exe, node directly. */
static int worker_prefix(char **v) {
  char exe[4096], pid[32];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return 0;
  exe[n] = '\0';
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  v[0] = strdup(exe);
  v[1] = strdup("__worker");
  v[2] = strdup(pid);
  return 3;
}

int gf_spawn_is_deno(const char *node) {
  const char *base = strrchr(node, '/');
  return strncmp(base ? base + 1 : node, "deno", 4) == 0;
}

/* Deno runs a script with `deno run` and takes V8's flags in one
 * --v8-flags: the flags v[first..*n) (node_args, the flag set, the heap
 * size, as Node gets them) become that one argument. Bun takes Node's. */
static void as_deno(char **v, int first, int *n) {
  gf_sbuf b = {0};
  gf_sbuf_printf(&b, "--v8-flags=");
  for (int i = first; i < *n; i++) {
    gf_sbuf_printf(&b, "%s%s", i > first ? "," : "", v[i]);
    free(v[i]);
  }
  if (b.oom) free(b.p);
  v[first] = strdup("run");
  v[first + 1] = strdup("-A");
  v[first + 2] = strdup("--unstable-detect-cjs");
  v[first + 3] = b.p && !b.oom ? b.p : strdup("--v8-flags=--expose-gc");
  *n = first + 4;
}

static char **argv_build(const gf_config *cfg, const gf_flag_set *flags, int once) {
  char **v = calloc(GF_MAX_ARGS * 2 + GF_MAX_SET_FLAGS + 18, sizeof *v);
  int n = 0;
  char heap[64];
  if (v == NULL) return NULL;
  n = worker_prefix(v);
  v[n++] = strdup(cfg->node);
  int first = n;
  for (int i = 0; i < cfg->n_node_args; i++) v[n++] = strdup(cfg->node_args[i]);
  if (gf_config_wants_asan(cfg)) v[n++] = strdup(GF_ASAN_NODE_FLAG);
  for (int i = 0; i < flags->n; i++) v[n++] = strdup(flags->flag[i]);
  snprintf(heap, sizeof heap, "--max-old-space-size=%u", cfg->max_old_space_mb);
  v[n++] = strdup(heap);
  if (gf_spawn_is_deno(cfg->node)) as_deno(v, first, &n);
  v[n++] = strdup(cfg->harness);
  for (int i = 0; i < cfg->n_harness_args; i++) v[n++] = strdup(cfg->harness_args[i]);
  if (cfg->target[0]) {
    v[n++] = strdup("--target");
    v[n++] = strdup(cfg->target);
  }
  v[n++] = strdup("--build");
  v[n++] = strdup(cfg->build);
  if (once) v[n++] = strdup("--once");
  return v;
}

static void strv_free(char **v) {
  if (v == NULL) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

static int env_has(const gf_config *cfg, const char *name) {
  size_t n = strlen(name);
  for (int i = 0; i < cfg->n_env; i++)
    if (strncmp(cfg->env[i], name, n) == 0 && cfg->env[i][n] == '=') return 1;
  return 0;
}

/* libgcfuzz_crash.so beside the binary (build tree) or in PREFIX/lib/gcfuzz
 * (installed): "" when there is none. */
static void crash_preload(char *out, size_t cap) {
  char exe[4096], path[4096 + 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  out[0] = '\0';
  if (n <= 0) return;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (slash) *slash = '\0';
  static const char *const where[] = {"%s/libgcfuzz_crash.so", "%s/../lib/gcfuzz/libgcfuzz_crash.so"};
  for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
    snprintf(path, sizeof path, where[i], exe);
    if (access(path, R_OK) == 0 && realpath(path, exe)) {
      gf_strlcpy(out, exe, cap);
      return;
    }
  }
}

/* Config variables override the runner's own of the same name. preload: a
 * library to preload (libasan, or the crash handler), replacing the
 * runner's own LD_PRELOAD; with asan, ASAN_OPTIONS too. */
static char **env_build(const gf_config *cfg, const char *preload, int asan) {
  size_t n = 0;
  while (environ[n]) n++;
  char **v = calloc(n + GF_MAX_ENV + 4, sizeof *v);
  size_t k = 0;
  if (v == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    size_t len = strcspn(environ[i], "=");
    int overridden = 0;
    for (int j = 0; j < cfg->n_env && !overridden; j++)
      overridden = strncmp(cfg->env[j], environ[i], len + 1) == 0;
    if ((preload && strncmp(environ[i], "LD_PRELOAD=", 11) == 0) ||
        (asan && strncmp(environ[i], "ASAN_OPTIONS=", 13) == 0))
      overridden = 1;
    if (strncmp(environ[i], "UV_THREADPOOL_SIZE=", 19) == 0) overridden = 1;
    if (!overridden) v[k++] = strdup(environ[i]);
  }
  for (int j = 0; j < cfg->n_env; j++) v[k++] = strdup(cfg->env[j]);
  if (preload && !env_has(cfg, "LD_PRELOAD")) {
    v[k] = malloc(strlen(preload) + 12);
    sprintf(v[k++], "LD_PRELOAD=%s", preload);
  }
  if (asan && !env_has(cfg, "ASAN_OPTIONS")) v[k++] = strdup("ASAN_OPTIONS=" GF_ASAN_OPTIONS);
  /* The window gate holds every pool thread: the harness must know how many. */
  if (!env_has(cfg, "UV_THREADPOOL_SIZE")) {
    char pool[48];
    snprintf(pool, sizeof pool, "UV_THREADPOOL_SIZE=%u", cfg->threadpool_size);
    v[k++] = strdup(pool);
  }
  return v;
}

int gf_spawn_plan_init(gf_spawn_plan *p, const gf_config *cfg, gf_err *err) {
  memset(p, 0, sizeof *p);
  /* An ASan build (config sanitizer, or a build name ending in "asan") needs
   * the runtime preloaded: Node itself is not instrumented. */
  int asan = gf_config_wants_asan(cfg);
  if (asan && cfg->libasan[0]) {
    gf_strlcpy(p->libasan, cfg->libasan, sizeof p->libasan);
  } else if (asan) {
    const char *cc = getenv("CC") ? getenv("CC") : "cc";
    char *argv[] = {(char *)cc, "-print-file-name=libasan.so", NULL};
    if (gf_run_capture(argv, p->libasan, sizeof p->libasan, err) != 0)
      return gf_err_prefix(err, "sanitizer address: cannot find libasan (set libasan in config)");
    if (p->libasan[0] != '/')
      return gf_errf(err, "sanitizer address: %s does not know libasan.so (set libasan in config)", cc);
  }
  int ok = 1;
  p->n_sets = cfg->n_flag_sets;
  for (int i = 0; i < p->n_sets; i++)
    for (int once = 0; once < 2; once++)
      ok &= (p->argv[i][once] = argv_build(cfg, &cfg->v8_flags[i], once)) != NULL;
  /* A release build: the crash handler that writes native frames, unless
   * the config turns it off or preloads something itself. */
  if (!asan && cfg->native_frames && !getenv("LD_PRELOAD")) {
    crash_preload(p->libasan, sizeof p->libasan);
    p->crash_handler = p->libasan[0] != '\0' && !env_has(cfg, "LD_PRELOAD"); /* else not preloaded */
  }
  p->env = env_build(cfg, p->libasan[0] ? p->libasan : NULL, asan);
  if (!ok || !p->env) {
    gf_spawn_plan_free(p);
    return gf_errf(err, "out of memory");
  }
  return 0;
}

void gf_spawn_plan_free(gf_spawn_plan *p) {
  for (int i = 0; i < p->n_sets; i++)
    for (int once = 0; once < 2; once++) {
      strv_free(p->argv[i][once]);
      p->argv[i][once] = NULL;
    }
  strv_free(p->env);
  p->env = NULL;
}
