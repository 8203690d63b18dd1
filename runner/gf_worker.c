/* gf_worker.c - see gf_worker.h. */
#include "gf_worker.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf_hint.h"
#include "gf_text.h"
#include "gf_wtmp.h"

static void on_handle_closed(uv_handle_t *h) {
  gf_worker *w = h->data;
  if (--w->handles_open == 0) {
    gf_wtmp_remove(w->tmpdir); /* however it ended: the target's temp files go with it */
    w->closed = 1;
    w->ops->on_closed(w);
  }
}

static void close_handle(uv_handle_t *h) {
  if (!uv_is_closing(h)) uv_close(h, on_handle_closed);
}

/* All done once the process has exited and both output pipes hit EOF. */
static void maybe_close(gf_worker *w) {
  if (!w->exited || !w->out_eof || !w->err_eof) return;
  uv_timer_stop(&w->timer);
  close_handle((uv_handle_t *)&w->timer);
  close_handle((uv_handle_t *)&w->mem_timer);
  close_handle((uv_handle_t *)&w->in);
  close_handle((uv_handle_t *)&w->out);
  close_handle((uv_handle_t *)&w->err);
  close_handle((uv_handle_t *)&w->proc);
}

static void kill_group(gf_worker *w) {
  if (w->pid > 0 && kill(-w->pid, SIGKILL) != 0 && errno == ESRCH) kill(w->pid, SIGKILL);
}

void gf_worker_kill(gf_worker *w, int retire) {
  if (retire) w->retiring = 1;
  if (!w->exited) kill_group(w);
}

void gf_worker_recycle(gf_worker *w) {
  w->recycled = 1;
  if (!w->exited) kill_group(w);
}

static void on_exit_grace(uv_timer_t *t) { gf_worker_recycle(t->data); }

void gf_worker_expect_exit(gf_worker *w, uint32_t grace_ms) {
  if (!w->exited) uv_timer_start(&w->timer, on_exit_grace, grace_ms, 0);
}

/* Resident set size in MB from /proc (0 if unreadable: the process is gone). */
static uint32_t rss_mb(int pid) {
  char path[64];
  unsigned long size = 0, resident = 0;
  snprintf(path, sizeof path, "/proc/%d/statm", pid);
  FILE *f = fopen(path, "re");
  if (f == NULL) return 0;
  if (fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
  fclose(f);
  return (uint32_t)(resident * (unsigned long)sysconf(_SC_PAGESIZE) >> 20);
}

/* The resident MB of pid and its descendants (a target's helper process
 * allocates outside the worker's own pid: 648 MB under a 150 MB limit went
 * unseen), from each thread's /proc children list: at most 4 levels deep,
 * 64 processes. */
static uint32_t tree_rss_mb(int pid, int depth, int *budget) {
  uint32_t mb = rss_mb(pid);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", pid);
  DIR *d = depth < 4 ? opendir(path) : NULL;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char file[320];
    snprintf(file, sizeof file, "/proc/%d/task/%s/children", pid, e->d_name);
    FILE *f = fopen(file, "re");
    int child;
    while (f && *budget > 0 && fscanf(f, "%d", &child) == 1) {
      (*budget)--;
      mb += tree_rss_mb(child, depth + 1, budget);
    }
    if (f) fclose(f);
  }
  if (d) closedir(d);
  return mb;
}

static void on_memory_check(uv_timer_t *t) {
  gf_worker *w = t->data;
  int budget = 64;
  uint32_t mb = w->exited ? 0 : tree_rss_mb(w->pid, 0, &budget);
  if (mb <= w->lim.rss_limit_mb) return;
  w->rss_mb = mb;
  uv_timer_stop(t);
  kill_group(w);
}

static void on_timeout(uv_timer_t *t) {
  gf_worker *w = t->data;
  w->timed_out = 1;
  kill_group(w);
}

/* The pipes' last bytes (an ASan report) normally arrive with their EOF
 * right after the exit. A helper that escaped the worker's group (its own
 * session) may hold them open forever: past the drain time, stop reading. */
static void on_drain_over(uv_timer_t *t) {
  gf_worker *w = t->data;
  if (!w->out_eof) uv_read_stop((uv_stream_t *)&w->out);
  if (!w->err_eof) uv_read_stop((uv_stream_t *)&w->err);
  w->out_eof = w->err_eof = 1;
  maybe_close(w);
}

static void on_process_exit(uv_process_t *p, int64_t status, int sig) {
  gf_worker *w = p->data;
  w->exited = 1;
  w->exit_code = status;
  w->term_signal = sig;
  uv_timer_stop(&w->mem_timer);
  kill_group(w); /* anything the harness left behind holds our pipes */
  if (!w->out_eof || !w->err_eof) uv_timer_start(&w->timer, on_drain_over, GF_DRAIN_MS, 0);
  maybe_close(w);
}

static void protocol_error(gf_worker *w, const char *what, const char *line) {
  w->protocol_errors++;
  snprintf(w->last_protocol_error, sizeof w->last_protocol_error, "%s: %.100s", what, line);
}

/* "a, b, c": the entries a ready line names (names of [a-z0-9_], the
 * harness checks them), for gf_worker_has_entry and messages. */
static void ready_entries(gf_worker *w, const cJSON *list) {
  const cJSON *e;
  size_t n = 0;
  w->entries[0] = '\0';
  cJSON_ArrayForEach(e, list) {
    if (!cJSON_IsString(e)) continue;
    int k = snprintf(w->entries + n, sizeof w->entries - n, "%s%s", n ? ", " : "", e->valuestring);
    if (k < 0 || (size_t)k >= sizeof w->entries - n) { /* too many to hold: no check */
      w->entries[0] = '\0';
      return;
    }
    n += (size_t)k;
  }
}

int gf_worker_has_entry(const gf_worker *w, const char *entry) {
  size_t n = strlen(entry);
  if (!w->entries[0]) return 1; /* a harness that lists none: nothing to check */
  for (const char *p = w->entries; n && (p = strstr(p, entry)) != NULL; p += n)
    if ((p == w->entries || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0')) return 1;
  return 0;
}

static void target_error_message(gf_worker *w, const cJSON *j);
static void mismatch_fields(gf_worker *w, const cJSON *j);

/* Whether the ready line's lacks names `what` (only compared: never shown). */
static int ready_lacks(const cJSON *lacks, const char *what) {
  const cJSON *it;
  cJSON_ArrayForEach(it, lacks) if (cJSON_IsString(it) && strcmp(it->valuestring, what) == 0) return 1;
  return 0;
}

static void handle_line(gf_worker *w, char *line) {
  cJSON *j = cJSON_Parse(line);
  const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
  if (!cJSON_IsString(ev)) {
    protocol_error(w, "not a harness event", line);
  } else if (strcmp(ev->valuestring, "ready") == 0 && !w->ready) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "node");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "build");
    if (cJSON_IsString(v)) gf_strlcpy(w->node_version, v->valuestring, sizeof w->node_version);
    if (cJSON_IsString(b)) gf_strlcpy(w->build, b->valuestring, sizeof w->build);
    gf_text_one_line(w->node_version); /* worker text, printed (gf_hint_runtime) and kept in records */
    ready_entries(w, cJSON_GetObjectItemCaseSensitive(j, "entries"));
    w->no_gc_entries = ready_lacks(cJSON_GetObjectItemCaseSensitive(j, "lacks"), "gc_entries");
    w->ready = 1;
    uv_timer_stop(&w->timer);
    w->ops->on_ready(w);
  } else if (!w->busy || !cJSON_IsString(id) || strcmp(id->valuestring, w->current.id) != 0) {
    protocol_error(w, "event for no case in flight", line);
  } else if (strcmp(ev->valuestring, "start") == 0) {
    w->announced = 1;
    w->started = w->current;
    w->has_started = 1;
    w->torn_down = 0;
  } else if (strcmp(ev->valuestring, "teardown") == 0) {
    w->torn_down = w->announced; /* of the started case, which a death is blamed on */
  } else if (strcmp(ev->valuestring, "result") == 0) {
    const cJSON *oc = cJSON_GetObjectItemCaseSensitive(j, "outcome");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    gf_strlcpy(w->result_outcome, cJSON_IsString(oc) ? oc->valuestring : "?",
               sizeof w->result_outcome);
    if (!gf_outcome_known(w->result_outcome))
      protocol_error(w, "result with an unknown outcome", line);
    gf_strlcpy(w->result_message, cJSON_IsString(msg) ? msg->valuestring : "",
               sizeof w->result_message);
    if (strcmp(w->result_outcome, "target_error") == 0) target_error_message(w, j);
    memset(&w->result_mismatch, 0, sizeof w->result_mismatch);
    if (strcmp(w->result_outcome, "mismatch") == 0) mismatch_fields(w, j);
    if (ready_lacks(cJSON_GetObjectItemCaseSensitive(j, "lacks"), "worker"))
      gf_hint_no_worker(w->result_message, stderr);
    uv_timer_stop(&w->timer);
    w->busy = 0;
    w->cases_done++;
    w->ops->on_result(w, j);
  } else {
    protocol_error(w, "unknown event", line);
  }
  cJSON_Delete(j);
}

/* "input: RangeError ERR_X: no NUL (at target.js:12:5)": where in the
 * target, what, and its first frame. */
static void target_error_message(gf_worker *w, const cJSON *j) {
  const cJSON *where = cJSON_GetObjectItemCaseSensitive(j, "where");
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
  const cJSON *stack = cJSON_GetObjectItemCaseSensitive(j, "stack");
  const cJSON *top = cJSON_IsArray(stack) ? cJSON_GetArrayItem(stack, 0) : NULL;
  char msg[sizeof w->result_message], full[1024];
  gf_strlcpy(msg, w->result_message, sizeof msg);
  snprintf(full, sizeof full, "%s: %s%s%s: %s%s%s%s",
           cJSON_IsString(where) ? where->valuestring : "?", cJSON_IsString(name) ? name->valuestring : "Error",
           cJSON_IsString(code) ? " " : "", cJSON_IsString(code) ? code->valuestring : "", msg,
           cJSON_IsString(top) ? " (" : "", cJSON_IsString(top) ? top->valuestring : "", cJSON_IsString(top) ? ")" : "");
  gf_strlcpy(w->result_message, full, sizeof w->result_message);
}

/* A rendering the harness made (a string, or a number): as text. */
static void value_text(const cJSON *v, char *out, size_t cap) {
  char *s = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
  gf_strlcpy(out, cJSON_IsString(v) ? v->valuestring : s ? s : "?", cap);
  free(s);
}

/* What mismatched: the call and the result line's renderings (the harness
 * keeps them short; bounded here), kept for the record; and, when the
 * harness sent no message, "call 0: got 513004, expected 524231". */
static void mismatch_fields(gf_worker *w, const cJSON *j) {
  gf_mismatch *m = &w->result_mismatch;
  const cJSON *call = cJSON_GetObjectItemCaseSensitive(j, "call");
  const cJSON *got = cJSON_GetObjectItemCaseSensitive(j, "result");
  const cJSON *want = cJSON_GetObjectItemCaseSensitive(j, "expected");
  m->said = call || got || want;
  m->call = cJSON_IsNumber(call) && call->valuedouble >= 0 && call->valuedouble <= INT_MAX &&
                    call->valuedouble == (double)(int)call->valuedouble
                ? (int)call->valuedouble
                : -1;
  value_text(got, m->result, sizeof m->result);
  value_text(want, m->expected, sizeof m->expected);
  if (w->result_message[0]) return;
  char full[1024];
  snprintf(full, sizeof full, "call %d: got %s, expected %s", m->call, m->result, m->expected);
  gf_strlcpy(w->result_message, full, sizeof w->result_message);
}

static void alloc_buf(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  (void)hint;
  gf_worker *w = h->data;
  static char scratch[65536]; /* one loop thread: read callbacks never nest */
  (void)w;
  *buf = uv_buf_init(scratch, sizeof scratch);
}

/* EOF (or a read error) on one of the output pipes. */
static void pipe_done(gf_worker *w, uv_stream_t *s, int *eof_flag) {
  uv_read_stop(s);
  *eof_flag = 1;
  maybe_close(w);
}

static void on_stdout(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  gf_worker *w = s->data;
  if (n < 0) {
    pipe_done(w, s, &w->out_eof);
    return;
  }
  for (ssize_t i = 0; i < n; i++) {
    char ch = buf->base[i];
    if (ch != '\n') {
      if (w->line_len + 1 < sizeof w->line)
        w->line[w->line_len++] = ch;
      else
        w->line_overflow = 1;
      continue;
    }
    w->line[w->line_len] = '\0';
    if (w->line_overflow)
      protocol_error(w, "line longer than 64 KiB", w->line);
    else if (w->line_len > 0) {
      gf_text_sanitize(w->line, w->line_len); /* before any string of it is kept */
      handle_line(w, w->line);
    }
    w->line_len = 0;
    w->line_overflow = 0;
  }
}

static void on_stderr(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  gf_worker *w = s->data;
  if (n < 0) {
    pipe_done(w, s, &w->err_eof);
    return;
  }
  gf_ring_write(&w->stderr_tail, buf->base, (size_t)n);
}

static void on_written(uv_write_t *req, int status) {
  (void)status; /* EPIPE: the worker died; its exit tells the story */
  free(req->data);
  free(req);
}

int gf_worker_send(gf_worker *w, const gf_case *c) {
  char *line = gf_case_to_line(c);
  uv_write_t *req = malloc(sizeof *req);
  if (line == NULL || req == NULL) {
    free(line);
    free(req);
    return -1;
  }
  size_t n = strlen(line);
  line[n] = '\n'; /* cJSON allocates exactly n+1: reuse the NUL slot */
  req->data = line;
  uv_buf_t buf = uv_buf_init(line, (unsigned)n + 1);
  w->current = *c;
  w->has_case = 1;
  w->result_outcome[0] = w->result_message[0] = '\0';
  w->result_mismatch.said = 0;
  w->busy = 1;
  w->announced = 0;
  w->sent_ns = uv_hrtime();
  uv_timer_start(&w->timer, on_timeout, w->lim.timeout_ms, 0);
  if (uv_write(req, (uv_stream_t *)&w->in, &buf, 1, on_written) != 0) {
    on_written(req, -1);
    return -1;
  }
  return 0;
}

/* A key only this process's crash handler learns (gf_native.h), in hex
 * into out; "" when there is no randomness to make one. */
static void make_crash_key(char *out, size_t cap) {
  unsigned char raw[16];
  out[0] = '\0';
  if (cap < 2 * sizeof raw + 1 || uv_random(NULL, NULL, raw, sizeof raw, 0, NULL) != 0) return;
  for (size_t i = 0; i < sizeof raw; i++) snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

/* env with var (GCFUZZ_CRASH_KEY=...) in place of any it had: a new array
 * of env's strings and var, freed with free(); NULL when out of memory. */
static char **env_with(char **env, char *var) {
  size_t n = 0, k = 0, len = strcspn(var, "=") + 1;
  while (env && env[n]) n++;
  char **v = calloc(n + 2, sizeof *v);
  if (v == NULL) return NULL;
  for (size_t i = 0; i < n; i++)
    if (strncmp(env[i], var, len) != 0) v[k++] = env[i];
  v[k] = var;
  return v;
}

int gf_worker_spawn(gf_worker *w, uv_loop_t *loop, const gf_spawn_plan *plan, int once,
                    const gf_worker_limits *lim, const gf_worker_ops *ops, gf_err *err) {
  /* A slot is reused for each new process: keep owner, slot, flag set and
   * the ring's buffer (so memory does not grow with restarts), reset the rest. */
  void *owner = w->owner;
  int slot = w->slot, flag_set = w->flag_set;
  gf_ring ring = w->stderr_tail;
  memset(w, 0, sizeof *w);
  w->owner = owner;
  w->slot = slot;
  w->flag_set = flag_set;
  w->stderr_tail = ring;
  w->loop = loop;
  w->ops = ops;
  w->lim = *lim;
  if (w->stderr_tail.buf == NULL && gf_ring_init(&w->stderr_tail, GF_STDERR_TAIL) != 0)
    return gf_errf(err, "out of memory");
  gf_ring_clear(&w->stderr_tail);
  uv_handle_t *hs[] = {(uv_handle_t *)&w->in,        (uv_handle_t *)&w->out,
                       (uv_handle_t *)&w->err,       (uv_handle_t *)&w->timer,
                       (uv_handle_t *)&w->mem_timer, (uv_handle_t *)&w->proc};
  uv_pipe_init(loop, &w->in, 0);
  uv_pipe_init(loop, &w->out, 0);
  uv_pipe_init(loop, &w->err, 0);
  uv_timer_init(loop, &w->timer);
  uv_timer_init(loop, &w->mem_timer);
  for (int i = 0; i < 6; i++) hs[i]->data = w;
  w->handles_open = 5; /* proc counts once spawned */

  uv_stdio_container_t stdio[3] = {
      {UV_CREATE_PIPE | UV_READABLE_PIPE, {(uv_stream_t *)&w->in}},
      {UV_CREATE_PIPE | UV_WRITABLE_PIPE, {(uv_stream_t *)&w->out}},
      {UV_CREATE_PIPE | UV_WRITABLE_PIPE, {(uv_stream_t *)&w->err}}};
  char **argv = plan->argv[w->flag_set < plan->n_sets ? w->flag_set : 0][once ? 1 : 0];
  char **env = gf_wtmp_env(plan->env, w->tmpdir, sizeof w->tmpdir), key_var[64];
  /* Only for our crash handler, which hides it: any other worker's
   * JavaScript could read it from process.env. */
  if (plan->crash_handler) make_crash_key(w->crash_key, sizeof w->crash_key);
  snprintf(key_var, sizeof key_var, "GCFUZZ_CRASH_KEY=%s", w->crash_key);
  char **keyed = w->crash_key[0] ? env_with(env ? env : plan->env, key_var) : NULL;
  if (keyed == NULL) w->crash_key[0] = '\0'; /* its reports are not read: it has no key */
  uv_process_options_t opt = {.exit_cb = on_process_exit, .file = argv[0], .args = argv,
                              .env = keyed ? keyed : env ? env : plan->env, .stdio_count = 3,
                              .stdio = stdio, /* own session and process group: one kill takes all */
                              .flags = UV_PROCESS_DETACHED};
  int rc = uv_spawn(loop, &w->proc, &opt);
  free(keyed);
  gf_wtmp_env_free(env);
  if (rc != 0) {
    /* Every spawn ends in exactly one on_closed, a failed one too, so the
     * owner frees or reuses the slot in one place. */
    w->spawn_failed = 1;
    w->exited = w->out_eof = w->err_eof = 1;
    w->handles_open = 6;
    for (int i = 0; i < 6; i++) uv_close(hs[i], on_handle_closed);
    return gf_errf(err, "cannot start '%s': %s", argv[0], uv_strerror(rc));
  }
  w->handles_open = 6;
  w->pid = w->proc.pid;
  if (lim->rss_limit_mb)
    uv_timer_start(&w->mem_timer, on_memory_check, GF_RSS_POLL_MS, GF_RSS_POLL_MS);
  uv_read_start((uv_stream_t *)&w->out, alloc_buf, on_stdout);
  uv_read_start((uv_stream_t *)&w->err, alloc_buf, on_stderr);
  uv_timer_start(&w->timer, on_timeout, lim->startup_ms, 0); /* until ready */
  return 0;
}

int gf_outcome_known(const char *outcome) {
  static const char *const known[] = {"ok", "mismatch", "exception", "error", "target_error", NULL};
  for (int i = 0; known[i]; i++)
    if (strcmp(outcome, known[i]) == 0) return 1;
  return 0;
}

const gf_case *gf_worker_blamed_case(const gf_worker *w) {
  return w->busy && !w->announced && w->has_started ? &w->started : &w->current;
}

void gf_worker_outcome(const gf_worker *w, gf_outcome *o, char *stderr_buf, size_t cap) {
  memset(o, 0, sizeof *o);
  /* A recycled worker died of our SIGKILL: that is not its outcome. */
  o->exited = w->exited && !w->recycled;
  o->exit_code = w->exit_code;
  o->term_signal = w->recycled ? 0 : w->term_signal;
  o->result_outcome = w->result_outcome[0] ? w->result_outcome : NULL;
  o->result_message = w->result_message[0] ? w->result_message : NULL;
  o->mismatch = w->result_mismatch.said ? &w->result_mismatch : NULL;
  o->timed_out = w->timed_out;
  o->rss_mb = w->rss_mb;
  o->rss_limit_mb = w->lim.rss_limit_mb;
  /* A case sent but not started is not in flight: the harness never began it. */
  o->case_in_flight = w->busy && (w->announced || !w->has_started);
  o->torn_down = w->torn_down;
  gf_ring_read(&w->stderr_tail, stderr_buf, cap);
  o->stderr_text = stderr_buf;
  o->entry = w->has_case ? gf_worker_blamed_case(w)->entry : NULL;
  o->crash_key = w->crash_key;
}

void gf_worker_release(gf_worker *w) { gf_ring_free(&w->stderr_tail); }
