/* gf_pending.c - see gf_pending.h. */
#include "gf_pending.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_container.h"
#include "gf_json.h"
#include "gf_minimize.h"

/* Runs on the pool are confirmations or minimization steps; the callback
 * tells them apart by the first field. */
enum { JOB_CONFIRM, JOB_MINIMIZE, JOB_CONTROL, JOB_PATIENCE };

/* The run data every one-shot run of this module carries: which kind of
 * job it belongs to; the job is found from it with container_of. */
typedef struct gf_job_tag {
  int kind;
} gf_job_tag;

/* Runs a confirmation makes besides its own fresh and warm ones; their run
 * data is &probe.tag, which leads back to the tally. */
typedef struct gf_probe {
  gf_job_tag tag; /* JOB_CONTROL or JOB_PATIENCE */
  unsigned runs, done;
  unsigned failed; /* failed as the bucket */
  unsigned ended;  /* ended otherwise: clean, or another failure */
} gf_probe;

typedef struct gf_tally {
  gf_job_tag tag; /* JOB_CONFIRM */
  gf_pending *p;
  gf_pending_item it;
  unsigned runs, done, hits;  /* fresh processes */
  unsigned warm_done, warm_hits; /* as many warm runs */
  /* The control (gf_bugs.h): as many fresh runs of the case with `keep`.
   * A timeout's patience: one fresh run given GF_PATIENCE times timeout_ms. */
  gf_probe control, patience;
  int rates_written; /* fresh and warm runs done and recorded */
  int candidate; /* a later case, confirmed as a better reproducer: c */
  gf_case c;
} gf_tally;

static gf_tally *tally_of_probe(gf_job_tag *tag) {
  gf_probe *probe = container_of(tag, gf_probe, tag);
  return tag->kind == JOB_CONTROL ? container_of(probe, gf_tally, control)
                                  : container_of(probe, gf_tally, patience);
}

uint32_t gf_patience_ms(const gf_config *cfg) {
  uint64_t ms = (uint64_t)cfg->timeout_ms * GF_PATIENCE;
  return ms > 3600000 ? 3600000 : (uint32_t)ms;
}

typedef struct gf_min_job {
  gf_job_tag tag; /* JOB_MINIMIZE: gf_min's run data is &tag */
  gf_pending *p;
  gf_min m;
  char hash[17];
} gf_min_job;

static void start_work(gf_pending *p);

void gf_pending_init(gf_pending *p, gf_store *store, gf_oneshot *pool, const gf_config *cfg,
                     int status_line) {
  memset(p, 0, sizeof *p);
  p->store = store;
  p->pool = pool;
  p->cfg = cfg;
  p->status_line = status_line;
}

static void log_line(const gf_pending *p, const char *hash, const char *what) {
  if (p->status_line) fputc('\n', stderr);
  fprintf(stderr, "gcfuzz: %s: %s\n", hash, what);
}

static int queue_push(gf_pending_queue *q, const gf_bucket *b, int flag_set, int cls,
                      int probes_only) {
  for (size_t i = 0; i < q->n; i++)
    if (strcmp(q->v[i].hash, b->hash) == 0) return 0; /* already queued */
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    gf_pending_item *v = realloc(q->v, cap * sizeof *v);
    if (v == NULL) return -1;
    q->v = v;
    q->cap = cap;
  }
  gf_strlcpy(q->v[q->n].hash, b->hash, sizeof q->v[q->n].hash);
  q->v[q->n].cls = cls;
  q->v[q->n].probes_only = probes_only;
  q->v[q->n].slow = b->kind == GF_KIND_TIMEOUT;
  q->v[q->n++].flag_set = flag_set;
  return 0;
}

static gf_pending_item queue_take(gf_pending_queue *q, size_t i) {
  gf_pending_item it = q->v[i];
  memmove(&q->v[i], &q->v[i + 1], (q->n - i - 1) * sizeof *q->v);
  q->n--;
  return it;
}

/* The class of a bucket (kind and entry) as an index into classes, found
 * when it is queued (so choosing the next one costs no bucket lookups);
 * -1 when out of memory. */
static int class_index(gf_pending *p, const gf_bucket *b) {
  for (size_t i = 0; i < p->nclasses; i++)
    if (p->classes[i].kind == b->kind && strcmp(p->classes[i].entry, b->entry) == 0)
      return (int)i;
  if (p->nclasses == p->capclasses) {
    size_t cap = p->capclasses ? p->capclasses * 2 : 8;
    gf_pending_class *v = realloc(p->classes, cap * sizeof *v);
    if (v == NULL) return -1;
    p->classes = v;
    p->capclasses = cap;
  }
  gf_pending_class *c = &p->classes[p->nclasses];
  memset(c, 0, sizeof *c);
  c->kind = b->kind;
  gf_strlcpy(c->entry, b->entry, sizeof c->entry);
  return (int)p->nclasses++;
}

static int slow_active(const gf_pending *p) {
  for (unsigned i = 0; i < p->nactive; i++)
    if (p->active[i]->it.slow) return 1;
  return 0;
}

/* The queued confirmation to start next: a cheap bucket before a timeout,
 * and among equals the one whose class has started the fewest so far
 * (oldest first); -1 when only timeouts wait and one is running already. */
static long next_confirmation(const gf_pending *p) {
  long best = -1;
  uint64_t best_key = UINT64_MAX;
  int slow_busy = slow_active(p);
  for (size_t i = 0; i < p->confirm.n; i++) {
    const gf_pending_item *it = &p->confirm.v[i];
    uint64_t key = (uint64_t)it->slow << 32 | (it->cls >= 0 ? p->classes[it->cls].started : 0);
    if ((it->slow && slow_busy) || key >= best_key) continue;
    best = (long)i;
    best_key = key;
  }
  return best;
}

/* The first waiting candidate that may start (one timeout at a time), or -1. */
static long next_candidate(const gf_pending *p) {
  int slow_busy = slow_active(p);
  for (unsigned i = 0; i < p->ncandidates; i++)
    if (!(p->candidates[i].it.slow && slow_busy)) return (long)i;
  return -1;
}

/* The case a bucket's work runs: the record's, if this config can run it. */
static int bucket_case(gf_pending *p, const gf_bucket *b, gf_case *c) {
  gf_err err = {{0}};
  const cJSON *r = gf_store_record(p->store, b, &err);
  if (r == NULL || gf_case_from_json(c, cJSON_GetObjectItemCaseSensitive(r, "case"), &err) != 0) {
    log_line(p, b->hash, err.msg);
    return -1;
  }
  return gf_config_has_entry(p->cfg, c->entry) ? 0 : -1;
}

/* One run of a tally's: a timeout's in the slow lane (gf_runq.h). */
static void submit_run(gf_pending *p, const gf_tally *t, const gf_case *c, int warm,
                       gf_job_tag *tag) {
  gf_oneshot_job job = {.c = *c, .data = tag, .flag_set = t->it.flag_set, .warm = warm,
                        .lane = t->it.slow ? GF_LANE_SLOW : GF_LANE_CHEAP};
  if (tag->kind == JOB_PATIENCE) {
    job.timeout_ms = gf_patience_ms(p->cfg);
    job.lane = GF_LANE_PATIENCE;
  }
  gf_oneshot_submit_job(p->pool, &job);
}

/* The control (the case with keep) and, for a timeout, the patience run:
 * queued once the rates are recorded, so that every waiting bucket's rates
 * come first. */
static void submit_probes(gf_pending *p, gf_tally *t) {
  gf_case control = t->c;
  control.f[GF_F_KEEP] = 1;
  for (unsigned i = 0; i < t->control.runs; i++) submit_run(p, t, &control, 0, &t->control.tag);
  for (unsigned i = 0; i < t->patience.runs; i++) submit_run(p, t, &t->c, 0, &t->patience.tag);
}

/* Submits a confirmation's runs of c: fresh and warm (then the probes). */
static void submit_confirmation(gf_pending *p, gf_tally *t, const gf_bucket *b, const gf_case *c) {
  t->tag.kind = JOB_CONFIRM;
  t->p = p;
  if (c != &t->c) t->c = *c;
  int again = t->it.probes_only; /* rates recorded before a stop: the rest only */
  t->runs = again ? 0 : p->cfg->confirm_runs;
  t->rates_written = again;
  t->control.tag.kind = JOB_CONTROL;
  t->control.runs = t->candidate || (again && b->facts.has_control)
                        ? 0
                        : p->cfg->confirm_runs;
  t->patience.tag.kind = JOB_PATIENCE;
  t->patience.runs = !t->candidate && b->kind == GF_KIND_TIMEOUT &&
                     !(again && b->facts.has_patience);
  if (t->runs + t->control.runs + t->patience.runs == 0) { /* nothing was left after all */
    gf_bucket *rb = gf_store_find(p->store, t->it.hash);
    gf_err err = {{0}};
    if (rb) gf_store_update(p->store, rb, "probes_pending", NULL, &err);
    free(t);
    return;
  }
  p->active[p->nactive++] = t;
  for (unsigned i = 0; i < t->runs; i++) {
    submit_run(p, t, c, 0, &t->tag);
    submit_run(p, t, c, 1, &t->tag);
  }
  if (again) submit_probes(p, t);
}

static void start_confirmation(gf_pending *p, size_t i) {
  gf_pending_item it = queue_take(&p->confirm, i);
  gf_bucket *b = gf_store_find(p->store, it.hash);
  gf_case c;
  if (b == NULL || bucket_case(p, b, &c) != 0) return;
  gf_tally *t = calloc(1, sizeof *t);
  if (t == NULL) return;
  if (it.cls >= 0) p->classes[it.cls].started++;
  t->it = it;
  submit_confirmation(p, t, b, &c);
}

/* A candidate is tried now: counted in the record first, so that a kill
 * during its runs does not give the bucket more tries. */
static void start_candidate(gf_pending *p, size_t i) {
  gf_pending_candidate cand = p->candidates[i];
  memmove(&p->candidates[i], &p->candidates[i + 1], (--p->ncandidates - i) * sizeof *p->candidates);
  gf_bucket *b = gf_store_find(p->store, cand.it.hash);
  if (b == NULL || !gf_config_has_entry(p->cfg, cand.c.entry)) return;
  gf_tally *t = calloc(1, sizeof *t);
  if (t == NULL) return;
  gf_err err = {{0}};
  double tries = b->facts.case_tries + 1;
  if (gf_store_update(p->store, b, "case_tries", cJSON_CreateNumber(tries), &err) != 0)
    log_line(p, b->hash, err.msg);
  t->it = cand.it;
  t->candidate = 1;
  t->c = cand.c;
  submit_confirmation(p, t, b, &t->c);
}

static int candidate_waits(const gf_pending *p, const char *hash) {
  for (unsigned i = 0; i < p->ncandidates; i++)
    if (strcmp(p->candidates[i].it.hash, hash) == 0) return 1;
  for (unsigned i = 0; i < p->nactive; i++)
    if (strcmp(p->active[i]->it.hash, hash) == 0) return 1;
  return 0;
}

/* Called at every crash of a known bucket: the cheap checks first. */
void gf_pending_occurrence(gf_pending *p, const gf_bucket *b, const gf_case *c, int flag_set) {
  if (p->cfg->confirm_runs == 0 || p->ncandidates == GF_PENDING_CANDIDATES ||
      b->facts.case_tries >= GF_CASE_TRIES)
    return;
  double score = b->facts.score;
  if (score < 0 || score >= 1 || candidate_waits(p, b->hash)) return;
  gf_pending_candidate *cand = &p->candidates[p->ncandidates++];
  gf_strlcpy(cand->it.hash, b->hash, sizeof cand->it.hash);
  cand->it.flag_set = flag_set;
  cand->it.cls = -1;
  cand->it.probes_only = 0;
  cand->it.slow = b->kind == GF_KIND_TIMEOUT;
  cand->c = *c;
  start_work(p);
}

/* A candidate that reproduced more often than the record's case replaces it. */
static void candidate_done(gf_pending *p, gf_tally *t, gf_bucket *b) {
  double score = (double)(t->hits + t->warm_hits) / (2.0 * t->runs);
  gf_err err = {{0}};
  if (score <= b->facts.score) return;
  char line[160];
  snprintf(line, sizeof line, "case %s reproduces more often (%u/%u fresh, %u/%u warm): now the "
           "record's case", t->c.id, t->hits, t->runs, t->warm_hits, t->runs);
  log_line(p, b->hash, line);
  if (gf_store_set_case(p->store, b, &t->c, t->runs, t->hits, t->warm_hits, &err) != 0)
    log_line(p, b->hash, err.msg);
}

static void log_min_line(gf_min *m, const char *line) {
  gf_min_job *j = m->owner;
  log_line(j->p, j->hash, line);
}

/* The best case so far goes into the record at every accepted move, so a
 * stop does not undo them (resumed by start_minimizing). */
static void on_min_progress(gf_min *m) {
  gf_min_job *j = m->owner;
  gf_bucket *b = gf_store_find(j->p->store, j->hash);
  gf_err err = {{0}};
  if (b == NULL) return;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "of", m->orig.id);
  cJSON_AddItemToObject(o, "case", gf_case_to_json(&m->best));
  cJSON_AddNumberToObject(o, "runs", m->runs);
  cJSON_AddNumberToObject(o, "baseline", m->baseline);
  cJSON_AddNumberToObject(o, "best_hits", m->best_hits);
  if (gf_store_update(j->p->store, b, "minimize_progress", o, &err) != 0)
    log_line(j->p, j->hash, err.msg);
}

/* A saved progress that belongs to this minimization (of the record's case,
 * at this K, its numbers consistent): 1 with best, baseline and hits. */
static int saved_progress(const gf_pending *p, const gf_bucket *b, const gf_case *orig,
                          gf_case *best, unsigned *baseline, unsigned *hits) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(gf_store_record(p->store, b, NULL),
                                                    "minimize_progress");
  const cJSON *of = cJSON_GetObjectItemCaseSensitive(o, "of");
  double runs = gf_json_count(o, "runs"), base = gf_json_count(o, "baseline");
  double h = gf_json_count(o, "best_hits");
  if (!cJSON_IsString(of) || strcmp(of->valuestring, orig->id) != 0 ||
      runs != gf_config_confirm_runs(p->cfg) || base < 1 || h < base ||
      h > runs ||
      gf_case_from_json(best, cJSON_GetObjectItemCaseSensitive(o, "case"), NULL) != 0 ||
      strcmp(best->entry, orig->entry) != 0)
    return 0;
  *baseline = (unsigned)base;
  *hits = (unsigned)h;
  return 1;
}

static void on_min_done(gf_min *m) {
  gf_min_job *j = m->owner;
  gf_pending *p = j->p;
  gf_bucket *b = gf_store_find(p->store, j->hash);
  gf_err err = {{0}};
  int rc = 0;
  if (b && !m->retry) /* a verdict: the progress is over (written with it) */
    cJSON_DeleteItemFromObjectCaseSensitive(gf_store_record(p->store, b, NULL),
                                            "minimize_progress");
  if (b && m->retry) /* no verdict: left pending for the next resume */
    log_line(p, j->hash, m->failure);
  else if (b && m->failure[0]) /* a verdict: recorded, so that it is not tried at every resume */
    rc = gf_store_update(p->store, b, "minimize_failed", cJSON_CreateString(m->failure), &err);
  else if (b)
    rc = gf_store_set_minimized(p->store, b, &m->best, m->runs, m->best_hits, &err);
  if (rc != 0) log_line(p, j->hash, err.msg);
  p->minimizing = NULL;
  free(j);
  start_work(p);
}

/* The newest bucket waiting first: the one the person on call looks at. */
static void start_minimizing(gf_pending *p) {
  gf_pending_item it = queue_take(&p->minimize, p->minimize.n - 1);
  gf_bucket *b = gf_store_find(p->store, it.hash);
  gf_case c;
  if (b == NULL || bucket_case(p, b, &c) != 0) return;
  gf_min_job *j = calloc(1, sizeof *j);
  if (j == NULL) return;
  j->tag.kind = JOB_MINIMIZE;
  j->p = p;
  gf_strlcpy(j->hash, it.hash, sizeof j->hash);
  j->m.pool = p->pool;
  j->m.owner = j;
  j->m.run_data = &j->tag;
  j->m.log = log_min_line;
  j->m.done = on_min_done;
  j->m.progress = on_min_progress;
  j->m.flag_set = it.flag_set;
  j->m.lane = it.slow ? GF_LANE_SLOW : GF_LANE_CHEAP;
  p->minimizing = j;
  gf_case best;
  unsigned baseline, hits;
  if (saved_progress(p, b, &c, &best, &baseline, &hits))
    gf_min_resume(&j->m, &c, &best, baseline, hits, it.hash, p->cfg->confirm_runs, 0);
  else
    gf_min_start(&j->m, &c, it.hash, p->cfg->confirm_runs, 0);
}

static void start_work(gf_pending *p) {
  long i;
  while (!p->stopping && p->nactive < GF_PENDING_ACTIVE && (i = next_confirmation(p)) >= 0)
    start_confirmation(p, (size_t)i);
  while (!p->stopping && p->nactive < GF_PENDING_ACTIVE && p->confirm.n == 0 &&
         (i = next_candidate(p)) >= 0)
    start_candidate(p, (size_t)i);
  while (!p->stopping && !p->minimizing && p->minimize.n > 0) start_minimizing(p);
}

/* Reproduced fresh, and neither minimized nor given up on. */
static int wants_minimizing(const gf_pending *p, const gf_bucket *b) {
  return p->cfg->minimize_new && b->facts.reproduced && !b->facts.minimized &&
         !b->facts.minimize_failed;
}

/* The fresh and warm rates, as soon as their runs are done: they mark the
 * confirmation done (the person on call looks at them first), and a stop
 * before the control and patience runs end leaves only those to do
 * ("probes_pending" in the record). Set even when a write fails (the record
 * is kept dirty, retried). */
static void write_rates(gf_pending *p, gf_tally *t) {
  gf_bucket *b = gf_store_find(p->store, t->it.hash);
  gf_err err = {{0}};
  t->rates_written = 1;
  if (b == NULL) { /* gone: nothing more to run for it */
    t->control.runs = t->patience.runs = 0;
    return;
  }
  int failed = 0;
  cJSON *r = gf_store_record(p->store, b, &err); /* NULL: the rates below say why */
  if (r && (t->control.runs > t->control.done || t->patience.runs > t->patience.done))
    gf_json_set(r, "probes_pending", cJSON_CreateTrue()); /* written with the rates */
  failed |= gf_store_set_warm(p->store, b, t->runs, t->warm_hits, &err);
  failed |= gf_store_set_repro(p->store, b, t->runs, t->hits, &err);
  if (failed) log_line(p, t->it.hash, err.msg);
  submit_probes(p, t);
}

static void tally_done(gf_pending *p, gf_tally *t) {
  for (unsigned i = 0; i < p->nactive; i++)
    if (p->active[i] == t) p->active[i] = p->active[--p->nactive];
  gf_bucket *b = gf_store_find(p->store, t->it.hash);
  gf_err err = {{0}};
  if (t->candidate) {
    if (b) candidate_done(p, t, b);
    free(t);
    start_work(p);
    return;
  }
  if (!t->rates_written) write_rates(p, t);
  int failed = 0;
  cJSON *r = b ? gf_store_record(p->store, b, &err) : NULL; /* NULL: the write says why */
  if (b) { /* the probes' results, probes_pending gone: one write */
    cJSON_DeleteItemFromObjectCaseSensitive(r, "probes_pending");
    if (r && t->control.runs > 0) {
      cJSON *control = cJSON_CreateObject();
      cJSON_AddNumberToObject(control, "runs", t->control.runs);
      cJSON_AddNumberToObject(control, "failed", t->control.failed);
      gf_json_set(r, "control", control);
    }
    if (t->patience.runs > 0) {
      char verdict[256];
      failed |= gf_store_set_patience(p->store, b, gf_patience_ms(p->cfg), t->patience.runs,
                                      t->patience.ended, &err);
      gf_bug_hang_text(b, verdict, sizeof verdict);
      log_line(p, t->it.hash, verdict);
    } else {
      failed |= gf_store_rewrite(p->store, b, &err);
    }
    if (t->control.runs > 0 || t->patience.runs > 0)
      failed |= gf_bugs_link(p->store, b->entry, &err) < 0;
  }
  if (failed) log_line(p, t->it.hash, err.msg);
  if (b && wants_minimizing(p, b))
    queue_push(&p->minimize, b, t->it.flag_set, t->it.cls, 0);
  free(t);
  start_work(p);
}

void gf_pending_on_run(gf_pending *p, void *data, int found, const gf_finding *f) {
  p->runs_done++;
  gf_job_tag *tag = data;
  if (tag->kind == JOB_MINIMIZE) {
    gf_min_on_run(&container_of(tag, gf_min_job, tag)->m, found, f);
    return;
  }
  int kind = tag->kind;
  gf_tally *t = kind == JOB_CONFIRM ? container_of(tag, gf_tally, tag) : tally_of_probe(tag);
  int hit = found == 1 && strcmp(f->hash, t->it.hash) == 0;
  if (kind != JOB_CONFIRM) {
    gf_probe *probe = kind == JOB_CONTROL ? &t->control : &t->patience;
    probe->done++;
    probe->failed += hit;
    probe->ended += found == 0 || (found == 1 && !hit);
  } else if (p->pool->last_warm) {
    t->warm_done++;
    t->warm_hits += hit;
  } else {
    t->done++;
    t->hits += hit;
  }
  if (!t->candidate && !t->rates_written && t->done == t->runs && t->warm_done == t->runs)
    write_rates(p, t); /* a candidate's rates are judged at the end, not recorded */
  if (t->done == t->runs && t->warm_done == t->runs && t->control.done == t->control.runs &&
      t->patience.done == t->patience.runs)
    tally_done(p, t);
}

void gf_pending_new_bucket(gf_pending *p, const gf_bucket *b, int flag_set) {
  if (p->cfg->confirm_runs == 0) return;
  queue_push(&p->confirm, b, flag_set, class_index(p, b), 0);
  start_work(p);
}


/* The config's flag set a bucket was found with, as its record says
 * (none there, or unreadable: the first). */
static int record_flag_set(const gf_pending *p, const gf_bucket *b) {
  gf_flag_set want;
  gf_err err = {{0}};
  const cJSON *r = gf_store_record(p->store, b, NULL);
  if (gf_flag_set_from_json(&want, cJSON_GetObjectItemCaseSensitive(r, "v8_flags"), "", &err))
    return 0;
  int set = gf_config_find_flag_set(p->cfg, &want);
  return set < 0 ? 0 : set;
}

void gf_pending_resume(gf_pending *p) {
  for (size_t i = 0; i < p->store->n; i++) {
    const gf_bucket *b = &p->store->b[i];
    if (p->cfg->confirm_runs > 0 && !b->facts.confirmed) {
      log_line(p, b->hash, "confirming again (not confirmed before the last stop)");
      queue_push(&p->confirm, b, record_flag_set(p, b), class_index(p, b), 0);
    } else if (p->cfg->confirm_runs > 0 && b->facts.probes_pending) {
      log_line(p, b->hash, "running its control again (not done before the last stop)");
      queue_push(&p->confirm, b, record_flag_set(p, b), class_index(p, b), 1);
    } else if (wants_minimizing(p, b)) {
      log_line(p, b->hash, "minimizing again (not minimized before the last stop)");
      queue_push(&p->minimize, b, record_flag_set(p, b), class_index(p, b), 0);
    }
  }
  start_work(p);
}

void gf_pending_stop(gf_pending *p) { p->stopping = 1; }

/* Work in flight is dropped with the pool (gf_oneshot_stop); the records
 * still say it is pending. */
void gf_pending_free(gf_pending *p) {
  for (unsigned i = 0; i < p->nactive; i++) free(p->active[i]);
  free(p->minimizing);
  free(p->confirm.v);
  free(p->minimize.v);
  free(p->classes);
  memset(p, 0, sizeof *p);
}
