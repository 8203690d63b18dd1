/* gf_minimize.c - see gf_minimize.h. */
#include "gf_minimize.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#define MAX_PASSES 3

/* Fields are tried in the schema's order, each toward its `min`. */
#define NFIELDS GF_F__COUNT

static void logf_(gf_min *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(gf_min *m, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (m->log) m->log(m, line);
}

static void submit_runs(gf_min *m, const gf_case *c) {
  m->pending = m->runs;
  m->hits = m->unreached = 0;
  gf_oneshot_job job = {.c = *c, .data = m->run_data ? m->run_data : m, .flag_set = m->flag_set,
                        .lane = m->lane};
  for (unsigned i = 0; i < m->runs; i++) gf_oneshot_submit_job(m->pool, &job);
}

/* The simplest argument of a step: the op's minimum (gc steps stay). */
static uint32_t simplest_arg(const gf_step *st) {
  return gf_step_specs[st->op].names ? st->arg : gf_step_specs[st->op].lo;
}

/* Writes the next candidate into m->cand; 0 when there is none left. */
static int propose(gf_min *m) {
  for (;;) {
    m->cand = m->best;
    if (m->stage == 0) {
      if (m->idx >= NFIELDS) {
        m->stage = 1;
        m->idx = (int)m->best.nsteps - 1;
        m->sub = 0;
        continue;
      }
      int f = m->idx;
      uint32_t v = m->best.f[f], lo = gf_case_fields[f].min;
      uint32_t target = m->sub == 0 ? lo : v / 2;
      if (target < lo) target = lo;
      if (v <= lo || target == v) {
        m->idx++;
        m->sub = 0;
        continue;
      }
      m->cand.f[f] = target;
      return 1;
    }
    if (m->idx < 0) {
      if (!m->accepted_in_pass || ++m->pass >= MAX_PASSES) return 0;
      m->stage = m->idx = m->sub = m->accepted_in_pass = 0;
      continue;
    }
    gf_step *st = &m->cand.steps[m->idx];
    if (m->sub == 0) {
      memmove(st, st + 1, (m->cand.nsteps - (uint32_t)m->idx - 1) * sizeof *st);
      m->cand.nsteps--;
      return 1;
    }
    if (m->sub == 1 && simplest_arg(st) != st->arg) {
      st->arg = simplest_arg(st);
      return 1;
    }
    m->idx--;
    m->sub = 0;
  }
}

/* Moves the generator on after a candidate was judged. */
static void advance(gf_min *m, int ok) {
  if (m->stage == 0) {
    if (ok && m->sub == 0) { /* at the minimum: next field */
      m->idx++;
    } else if (!ok && m->sub == 1) { /* halving stopped paying */
      m->idx++;
      m->sub = 0;
    } else {
      m->sub = 1;
    }
    return;
  }
  if (ok || m->sub == 1) { /* removed or simplified: on to the previous step */
    m->idx--;
    m->sub = 0;
  } else {
    m->sub = 1;
  }
}

static void describe(const gf_case *a, const gf_case *b, char *out, size_t cap) {
  out[0] = '\0';
  for (int i = 0; i < GF_F__COUNT; i++)
    if (a->f[i] != b->f[i]) {
      snprintf(out, cap, "%s %u -> %u", gf_case_fields[i].name, a->f[i], b->f[i]);
      return;
    }
  if (a->nsteps != b->nsteps)
    snprintf(out, cap, "gc steps %u -> %u", a->nsteps, b->nsteps);
  else
    snprintf(out, cap, "gc step argument simplified");
}

static void finish(gf_min *m) {
  logf_(m, "minimize: done: %u candidates tried, %u accepted, final rate %u/%u", m->tried,
        m->accepted, m->best_hits, m->runs);
  m->done(m);
}

static void next_or_finish(gf_min *m) {
  if (m->deadline_ns && uv_hrtime() >= m->deadline_ns) {
    logf_(m, "minimize: --max-time reached, keeping the best so far");
    finish(m);
  } else if (propose(m)) {
    m->tried++;
    submit_runs(m, &m->cand);
  } else {
    finish(m);
  }
}

static void begin(gf_min *m, const gf_case *orig, const gf_case *best, const char *want_hash,
                  unsigned runs, double max_time_s) {
  m->orig = *orig;
  m->best = *best;
  gf_strlcpy(m->want_hash, want_hash, sizeof m->want_hash);
  m->runs = runs ? runs : 5;
  m->deadline_ns = max_time_s > 0 ? uv_hrtime() + (uint64_t)(max_time_s * 1e9) : 0;
  m->running = 0;
  m->stage = m->idx = m->sub = m->pass = m->accepted_in_pass = 0;
  m->tried = m->accepted = 0;
  m->failure[0] = '\0';
  m->retry = 0;
}

void gf_min_start(gf_min *m, const gf_case *c, const char *want_hash, unsigned runs,
                  double max_time_s) {
  begin(m, c, c, want_hash, runs, max_time_s);
  submit_runs(m, c);
}

void gf_min_resume(gf_min *m, const gf_case *orig, const gf_case *best, unsigned baseline,
                   unsigned best_hits, const char *want_hash, unsigned runs, double max_time_s) {
  begin(m, orig, best, want_hash, runs, max_time_s);
  m->baseline = baseline;
  m->best_hits = best_hits;
  m->running = 1;
  logf_(m, "minimize: going on from the best case so far (%u/%u; the original %u/%u)", best_hits,
        m->runs, baseline, m->runs);
  next_or_finish(m);
}

void gf_min_on_run(gf_min *m, int found, const gf_finding *f) {
  if (found == 1 && gf_signature_matches(f, m->want_sig, m->want_hash)) m->hits++;
  if (found < 0) m->unreached++;
  if (--m->pending > 0) return;
  if (!m->running) {
    m->baseline = m->best_hits = m->hits;
    logf_(m, "minimize: original reproduces %u/%u", m->hits, m->runs);
    if (m->hits == 0 && m->unreached > 0) { /* no verdict on the case: try again later */
      snprintf(m->failure, sizeof m->failure,
               "%u of %u runs of the original never reached the case (harness did not start)",
               m->unreached, m->runs);
      m->retry = 1;
      m->done(m);
      return;
    }
    if (m->hits == 0) {
      snprintf(m->failure, sizeof m->failure,
               "the original case does not reproduce its signature in %u runs", m->runs);
      m->done(m);
      return;
    }
    m->running = 1;
    next_or_finish(m);
    return;
  }
  int ok = m->hits >= m->baseline;
  if (ok) {
    char what[128];
    describe(&m->best, &m->cand, what, sizeof what);
    logf_(m, "minimize: accepted %s (%u/%u)", what, m->hits, m->runs);
    m->best = m->cand;
    m->best_hits = m->hits;
    m->accepted++;
    m->accepted_in_pass = 1;
    if (m->progress) m->progress(m);
  }
  advance(m, ok);
  next_or_finish(m);
}
