/* batch.c - roots kept per batch of calls: a wrong fix whose failure needs
 * staggered calls, and its correct counterpart.
 *
 *   sumBatchRefAsync       BUG, a POSITIVE CONTROL: calls made in one turn
 *                          form a batch that holds their roots together and
 *                          drops them when its last call completes. The
 *                          batch is sealed at the end of its turn (a
 *                          setImmediate); a call made later, while the
 *                          batch is still in flight, adds its roots to it
 *                          but is not counted, on the belief that a batch
 *                          made earlier completes later. It fails only when
 *                          calls start in different turns (`stagger`), the
 *                          batch's own calls complete while the late one
 *                          still waits to read, and a GC runs after that
 *                          completion.
 *   sumBatchRefFixedAsync  fix: a late call is counted like the others.
 *
 * The seal is a setImmediate, not a libuv handle, so the addon keeps
 * loading on Bun and Deno, whose Node-API has no libuv.
 */
#include <stdlib.h>

#include "job.h"

typedef struct batch {
  job_refs refs;
  uint32_t users; /* calls counted; the roots go with the last */
  uint32_t gen;
  bool sealed;
  struct batch *prev, *next; /* every live batch, for the env's cleanup */
} batch;

typedef struct batches {
  batch *current; /* the newest batch still in flight */
  batch *live;
  uint32_t gen;
  bool counted; /* the fix */
} batches;

typedef struct call_of {
  batches *all;
  batch *b; /* NULL for a late call of the bug: it is not counted */
} call_of;

static void batch_free(napi_env env, batches *all, batch *b) {
  job_refs_drop(env, &b->refs);
  if (b->prev) b->prev->next = b->next;
  else all->live = b->next;
  if (b->next) b->next->prev = b->prev;
  if (all->current == b) all->current = NULL;
  free(b);
}

/* setImmediate(seal, gen): the turn that made batch `gen` is over. */
static napi_value seal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  batches *all;
  uint32_t gen;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&all) != napi_ok || argc < 1 ||
      napi_get_value_uint32(env, argv[0], &gen) != napi_ok)
    return NULL;
  if (all->current && all->current->gen == gen) all->current->sealed = true;
  return NULL;
}

static bool schedule_seal(napi_env env, batches *all, uint32_t gen) {
  napi_value global, set_immediate, fn, argv[2];
  return napi_get_global(env, &global) == napi_ok &&
         napi_get_named_property(env, global, "setImmediate", &set_immediate) == napi_ok &&
         napi_create_function(env, "gcfuzzSealBatch", NAPI_AUTO_LENGTH, seal, all, &fn) == napi_ok &&
         (argv[0] = fn, napi_create_uint32(env, gen, &argv[1]) == napi_ok) &&
         napi_call_function(env, global, set_immediate, 2, argv, NULL) == napi_ok;
}

/* The batch call j belongs to: the open one, a new one, or (a late call)
 * the sealed one in flight. */
static batch *batch_for(napi_env env, batches *all, call_of *who) {
  batch *b = all->current;
  if (b == NULL) {
    if ((b = calloc(1, sizeof *b)) == NULL) return NULL;
    b->gen = ++all->gen;
    b->next = all->live;
    if (all->live) all->live->prev = b;
    all->live = b;
    all->current = b;
    if (!schedule_seal(env, all, b->gen)) b->sealed = true;
  }
  if (!b->sealed || all->counted) { /* the bug: a late call is not counted */
    b->users++;
    who->b = b;
  }
  return b;
}

static void let_go(napi_env env, job *j) {
  call_of *who = j->owner;
  if (who->b && --who->b->users == 0) batch_free(env, who->all, who->b);
  free(who);
}

static napi_value batch_call(napi_env env, napi_callback_info info) {
  napi_value argv[2], v;
  batches *all;
  if (!job_args(env, info, argv, NULL, (void **)&all)) return NULL;
  const char *name = all->counted ? "gcfuzz.sumBatchRefFixedAsync" : "gcfuzz.sumBatchRefAsync";
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  call_of *who = calloc(1, sizeof *who);
  if (who == NULL || !job_parse_opts(env, argv[1], j) || !job_collect_elems(env, argv[0], j, -1)) {
    free(who);
    return job_fail(env, j, name);
  }
  who->all = all;
  j->owner = who;
  j->on_free = let_go;
  batch *b = batch_for(env, all, who);
  if (b == NULL) return job_fail(env, j, name);
  for (size_t i = 0; i < j->count; i++)
    if (napi_get_element(env, argv[0], (uint32_t)i, &v) != napi_ok || !job_refs_add(env, &b->refs, v, 1))
      return job_fail(env, j, name);
  return job_queue(env, j, name);
}

/* The env is going: its references go with it, the memory here. */
static void free_batches(void *data) {
  batches *all = data;
  while (all->live) batch_free(NULL, all, all->live);
  free(all);
}

napi_status gf_batch_init(napi_env env, napi_value exports) {
  batches *bug = calloc(1, sizeof *bug), *fix = calloc(1, sizeof *fix);
  if (fix) fix->counted = true;
  return job_define_pair(env, exports, "sumBatchRefAsync", "sumBatchRefFixedAsync", batch_call,
                         bug, fix, free_batches);
}
