/* gf_lifecycle.c - see gf_lifecycle.h. */
#include "gf_lifecycle.h"

#include <string.h>

typedef struct model {
  gf_lc_obj obj[GF_LC_MAX_OBJS];
  gf_lc_job job[GF_LC_MAX_JOBS];
  int nobj, modes, dry;
  gf_lc_report *rep;
} model;

static int pick_mode(int modes, uint8_t b) {
  int bits[3], n = 0;
  for (int m = GF_LC_COPY; m <= GF_LC_BORROWED; m <<= 1)
    if (modes & m) bits[n++] = m;
  return n ? bits[b % n] : 0;
}

static void ev_create(model *m, uint8_t len, uint8_t seed) {
  if (m->nobj == GF_LC_MAX_OBJS) return;
  gf_lc_obj *o = &m->obj[m->nobj++];
  memset(o, 0, sizeof *o);
  o->len = len % 64;
  o->seed = seed;
  o->reachable = 1;
  if (!m->dry) o->native = gf_elem_new(o->len, o->seed);
}

static double obj_sum(const gf_lc_obj *o) {
  double s = 0;
  for (uint32_t i = 0; i < o->len; i++) s += gf_elem_value(o->seed, i);
  return s;
}

static void ev_start(model *m, uint8_t mode, uint8_t first, uint8_t count, uint32_t at) {
  int slot = 0;
  while (slot < GF_LC_MAX_JOBS && m->job[slot].active) slot++;
  if (slot == GF_LC_MAX_JOBS || m->nobj == 0 || !(mode = (uint8_t)pick_mode(m->modes, mode)))
    return;
  gf_lc_job *j = &m->job[slot];
  memset(j, 0, sizeof *j);
  j->mode = mode;
  j->start_event = at;
  /* JS can only pass elems it still holds. */
  for (int k = 0; k < 1 + count % GF_LC_JOB_ELEMS; k++) {
    int i = (first + k) % m->nobj;
    if (!m->obj[i].reachable) continue;
    j->obj[j->n] = i;
    j->ptr[j->n] = m->obj[i].native;
    j->expected += obj_sum(&m->obj[i]);
    j->n++;
  }
  if (j->n == 0) return;
  if (mode == GF_LC_REF)
    for (int k = 0; k < j->n; k++) m->obj[j->obj[k]].refs++;
  if (mode == GF_LC_COPY && !m->dry && gf_snapshot_take(&j->snap, j->ptr, (size_t)j->n) != 0)
    return;
  j->active = 1;
  m->rep->jobs++;
}

static void ev_gc(model *m) {
  m->rep->gcs++;
  for (int j = 0; j < GF_LC_MAX_JOBS; j++)
    if (m->job[j].active && !m->job[j].worked) m->job[j].gcs_since_start++;
  for (int i = 0; i < m->nobj; i++) {
    gf_lc_obj *o = &m->obj[i];
    if (o->reachable || o->refs || o->finalized) continue;
    if (!m->dry) gf_elem_free(o->native); /* the wrap finalizer */
    o->finalized = 1;
    m->rep->finalized++;
  }
}

static void ev_work(model *m, int j_index) {
  gf_lc_job *j = &m->job[j_index % GF_LC_MAX_JOBS];
  if (!j->active || j->worked) return;
  int stale = 0;
  uint32_t longest = 0;
  for (int k = 0; k < j->n; k++) {
    stale |= m->obj[j->obj[k]].finalized;
    if (m->obj[j->obj[k]].len > longest) longest = m->obj[j->obj[k]].len;
  }
  /* A copy never reads the elems: finalized or not, it is safe. */
  if (stale && j->mode != GF_LC_COPY && !m->rep->stale_read) {
    m->rep->stale_read = 1;
    m->rep->stale_mode = j->mode;
    m->rep->stale_elems = (unsigned)j->n;
    m->rep->stale_len = longest;
    m->rep->stale_seed = m->obj[j->obj[0]].seed;
    m->rep->stale_gcs = j->gcs_since_start;
  }
  j->worked = 1;
  if (m->dry) return;
  j->result = j->mode == GF_LC_COPY ? gf_snapshot_sum(&j->snap)
                                    : gf_borrowed_sum(j->ptr, (size_t)j->n); /* UAF if stale */
  if (j->result != j->expected) m->rep->mismatch = 1;
}

static void ev_complete(model *m, int j_index) {
  gf_lc_job *j = &m->job[j_index % GF_LC_MAX_JOBS];
  if (!j->active || !j->worked) return;
  if (j->mode == GF_LC_REF)
    for (int k = 0; k < j->n; k++) m->obj[j->obj[k]].refs--;
  gf_snapshot_free(&j->snap);
  j->active = 0;
}

void gf_lc_run(const uint8_t *data, size_t size, int modes, int dry, gf_lc_report *rep) {
  static model m; /* large; one run at a time */
  memset(&m, 0, sizeof m);
  memset(rep, 0, sizeof *rep);
  m.modes = modes;
  m.dry = dry;
  m.rep = rep;
  for (size_t at = 0; at + 4 <= size; at += 4) {
    const uint8_t *e = data + at;
    rep->events++;
    switch (e[0] % GF_LC__OPS) {
      case GF_LC_CREATE: ev_create(&m, e[1], e[2]); break;
      case GF_LC_START: ev_start(&m, e[1], e[2], e[3], (uint32_t)(at / 4)); break;
      case GF_LC_DROP:
        if (m.nobj) m.obj[e[1] % m.nobj].reachable = 0;
        break;
      case GF_LC_GC: ev_gc(&m); break;
      case GF_LC_WORK: ev_work(&m, e[1]); break;
      case GF_LC_COMPLETE: ev_complete(&m, e[1]); break;
    }
  }
  for (int j = 0; j < GF_LC_MAX_JOBS; j++) {
    ev_work(&m, j);
    ev_complete(&m, j);
  }
  for (int i = 0; i < m.nobj; i++)
    if (!m.obj[i].finalized && !dry) gf_elem_free(m.obj[i].native);
}

int gf_lc_to_case(const gf_lc_report *rep, gf_case *out) {
  if (!rep->stale_read) return -1;
  gf_case_default(out);
  strcpy(out->id, "lifecycle-import");
  strcpy(out->entry, rep->stale_mode == GF_LC_REF ? "sum_ref" : "sum_borrowed");
  out->f[GF_F_ELEMS] = rep->stale_elems;
  out->f[GF_F_ELEM_LEN] = rep->stale_len ? rep->stale_len : 1;
  out->f[GF_F_SEED] = rep->stale_seed;
  /* On real Node the GC must land inside the worker's sleep: 20 ms is wide. */
  out->f[GF_F_DELAY_US] = 20000;
  int gcs = rep->stale_gcs > 0 ? rep->stale_gcs : 1;
  for (int g = 0; g < gcs && out->nsteps + 2 <= GF_CASE_MAX_STEPS; g++) {
    out->steps[out->nsteps++] = (gf_step){GF_OP_GC, 0};
    out->steps[out->nsteps++] = (gf_step){GF_OP_IMMEDIATE, 1};
  }
  return 0;
}
