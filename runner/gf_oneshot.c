/* gf_oneshot.c - see gf_oneshot.h. */
#include "gf_oneshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gf_outcome_for(gf_outcome *out, const gf_worker *w, const gf_config *cfg, char *buf,
                    size_t cap) {
  gf_worker_outcome(w, out, buf, cap);
  int n = cfg->n_target_frames < GF_MAX_TARGETS ? cfg->n_target_frames : GF_MAX_TARGETS;
  for (int i = 0; i < n; i++) out->target_patterns[i] = cfg->target_frames[i];
  out->target_patterns[n] = NULL;
  const char *roots[GF_MAX_ROOTS] = {cfg->target, cfg->harness, cfg->build};
  memcpy(out->module_roots, roots, sizeof roots);
  out->module_roots[GF_MAX_ROOTS] = NULL;
}

static void start_next(gf_oneshot *o);

/* The next thing a worker gets: a warm-up case (the case itself with
 * `keep`: its GC schedule runs, so V8's collector warms up too, but no input
 * is dropped while a call uses it), or the case itself. A warm-up has no
 * teardown: it warms the process, and a Worker's isolate starts cold
 * anyway; with one, a teardown bug killed the warm-up, never the case. */
static void send_next(gf_worker *w, gf_oneshot_job *job) {
  if (job->warm && job->warmed < GF_WARMUP_CASES) {
    gf_case warmup = job->c;
    warmup.f[GF_F_KEEP] = 1;
    warmup.f[GF_F_TEARDOWN] = warmup.f[GF_F_TEARDOWN_AT] = 0;
    snprintf(warmup.id, sizeof warmup.id, "warmup-%u", job->warmed);
    if (gf_worker_send(w, &warmup) != 0) gf_worker_kill(w, 0);
    return;
  }
  job->case_sent = 1;
  if (gf_worker_send(w, &job->c) != 0) gf_worker_kill(w, 0);
}

static void os_on_ready(gf_worker *w) {
  gf_oneshot *o = w->owner;
  send_next(w, &o->running[w->slot]);
}

static void os_on_result(gf_worker *w, const cJSON *result) {
  gf_oneshot *o = w->owner;
  gf_oneshot_job *job = &o->running[w->slot];
  (void)result;
  if (!job->warm) { /* --once: the harness exits by itself after this, or is made to */
    gf_worker_expect_exit(w, o->cfg->timeout_ms < GF_EXIT_GRACE_MS ? o->cfg->timeout_ms : GF_EXIT_GRACE_MS);
    return;
  }
  if (!job->case_sent && strcmp(w->result_outcome, "ok") == 0) {
    job->warmed++;
    send_next(w, job);
    return;
  }
  /* The case's result (or a warm-up that went wrong: the case is never
   * reached); a persistent worker does not exit by itself. */
  gf_worker_recycle(w);
}

static void os_on_closed(gf_worker *w) {
  gf_oneshot *o = w->owner;
  gf_oneshot_job job = o->running[w->slot];
  o->nbusy--;
  gf_runq_charge(&o->queue, job.lane, uv_now(o->loop) - job.started_ms);
  if (!w->retiring) {
    gf_outcome out;
    gf_finding f;
    int found = -1; /* the harness never got to the case */
    gf_outcome_for(&out, w, o->cfg, o->stderr_buf, GF_STDERR_TAIL);
    if (w->spawn_failed) {
      memset(&f, 0, sizeof f);
      gf_strlcpy(o->stderr_buf, "gcfuzz: could not start the harness", GF_STDERR_TAIL);
    } else if (strcmp(w->result_outcome, "target_error") == 0) {
      /* the target's own code failed: the case never ran as written, and
       * must not count as a clean run (a false "fixed") */
      memset(&f, 0, sizeof f);
      snprintf(o->stderr_buf, GF_STDERR_TAIL, "gcfuzz: the target's own code failed: %s", w->result_message);
    } else if (w->ready && (!job.warm || job.case_sent)) {
      out.case_in_flight = w->busy;
      out.entry = job.c.entry;
      found = gf_classify(&out, &f);
    }
    o->runs++;
    gf_strlcpy(o->last_node_version, w->node_version, sizeof o->last_node_version);
    o->last_warm = job.warm;
    o->cb(o, job.data, found, &f, o->stderr_buf);
  }
  if (!o->stopping) start_next(o);
}

static const gf_worker_ops oneshot_ops = {os_on_ready, os_on_result, os_on_closed};

static void start_next(gf_oneshot *o) {
  for (int i = 0; i < o->nslots; i++) {
    gf_oneshot_job job;
    if (!o->slots[i].closed) continue;
    if (!gf_runq_pop(&o->queue, &job)) break;
    job.started_ms = uv_now(o->loop);
    o->running[i] = job;
    o->slots[i].flag_set = job.flag_set;
    o->nbusy++;
    gf_err err = {{0}};
    gf_worker_limits lim = {job.timeout_ms ? job.timeout_ms : o->cfg->timeout_ms,
                            o->cfg->startup_timeout_ms, o->cfg->rss_limit_mb};
    if (gf_worker_spawn(&o->slots[i], o->loop, o->plan, !job.warm, &lim, &oneshot_ops, &err) != 0)
      fprintf(stderr, "gcfuzz: %s\n", err.msg);
  }
}

int gf_oneshot_init(gf_oneshot *o, uv_loop_t *loop, const gf_config *cfg,
                    const gf_spawn_plan *plan, int nslots, gf_oneshot_cb cb, void *owner) {
  memset(o, 0, sizeof *o);
  o->loop = loop;
  o->cfg = cfg;
  o->plan = plan;
  o->cb = cb;
  o->owner = owner;
  o->nslots = nslots;
  o->slots = calloc((size_t)nslots, sizeof *o->slots);
  o->running = calloc((size_t)nslots, sizeof *o->running);
  o->stderr_buf = malloc(GF_STDERR_TAIL);
  if (!o->slots || !o->running || !o->stderr_buf) return -1;
  for (int i = 0; i < nslots; i++) {
    o->slots[i].owner = o;
    o->slots[i].slot = i;
    o->slots[i].closed = 1;
  }
  return 0;
}

int gf_oneshot_submit(gf_oneshot *o, const gf_case *c, void *data) {
  return gf_oneshot_submit_set(o, c, 0, data);
}

int gf_oneshot_submit_job(gf_oneshot *o, const gf_oneshot_job *job) {
  gf_oneshot_job j = *job;
  if (o->stopping) return -1;
  j.warmed = 0;
  j.case_sent = 0;
  if (gf_runq_push(&o->queue, &j) != 0) return -1;
  start_next(o);
  return 0;
}

static int submit(gf_oneshot *o, const gf_case *c, int flag_set, int warm, void *data) {
  gf_oneshot_job job = {.c = *c, .data = data, .flag_set = flag_set, .warm = warm};
  return gf_oneshot_submit_job(o, &job);
}

int gf_oneshot_submit_set(gf_oneshot *o, const gf_case *c, int flag_set, void *data) {
  return submit(o, c, flag_set, 0, data);
}

int gf_oneshot_submit_warm(gf_oneshot *o, const gf_case *c, int flag_set, void *data) {
  return submit(o, c, flag_set, 1, data);
}

int gf_oneshot_take(gf_oneshot *o, gf_oneshot_job *job) { return gf_runq_pop(&o->queue, job); }

size_t gf_oneshot_queued(const gf_oneshot *o) { return gf_runq_len(&o->queue); }

void gf_oneshot_stop(gf_oneshot *o) {
  o->stopping = 1;
  gf_runq_clear(&o->queue);
  for (int i = 0; i < o->nslots; i++)
    if (!o->slots[i].closed) gf_worker_kill(&o->slots[i], 1);
}

int gf_oneshot_idle(const gf_oneshot *o) { return o->nbusy == 0 && gf_runq_len(&o->queue) == 0; }

void gf_oneshot_free(gf_oneshot *o) {
  for (int i = 0; i < o->nslots; i++) gf_worker_release(&o->slots[i]);
  free(o->slots);
  free(o->running);
  gf_runq_free(&o->queue);
  free(o->stderr_buf);
  memset(o, 0, sizeof *o);
}
