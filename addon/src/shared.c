/* shared.c - roots shared between calls: a wrong fix whose failure needs
 * three conditions at once, and its correct counterpart.
 *
 *   sumSharedRefAsync       BUG, a POSITIVE CONTROL: roots each Elem once
 *                           across the calls in flight (a per-env registry,
 *                           to save references when calls share inputs),
 *                           but a call that finds an Elem rooted already
 *                           does not count itself, and the first call to
 *                           complete drops the root. It fails only when an
 *                           input is shared by calls (`shared`), a call
 *                           sharing it is still waiting to read when
 *                           another completes (more calls than pool
 *                           threads, or a longer delay), and a GC runs
 *                           after that completion (an `await` before a
 *                           `gc` step).
 *   sumSharedRefFixedAsync  fix: counts the calls holding each root
 *                           (napi_reference_ref / unref) and drops it with
 *                           the last.
 */
#include <stdint.h>
#include <stdlib.h>

#include "job.h"

#define NBUCKETS 1024u

typedef struct root {
  const gf_elem *elem;
  napi_ref ref;
  uint32_t users;
  struct root *next;
} root;

typedef struct registry {
  root *bucket[NBUCKETS];
  bool counted; /* the fix */
} registry;

static root **slot_of(registry *r, const gf_elem *e) {
  root **p = &r->bucket[((uintptr_t)e >> 4) % NBUCKETS];
  while (*p && (*p)->elem != e) p = &(*p)->next;
  return p;
}

/* Roots v (whose native struct is e) for one more call. */
static bool hold(napi_env env, registry *r, const gf_elem *e, napi_value v) {
  root **p = slot_of(r, e);
  if (*p) { /* the bug: found rooted, not counted */
    if (r->counted && napi_reference_ref(env, (*p)->ref, &(*p)->users) != napi_ok) return false;
    return true;
  }
  root *n = calloc(1, sizeof *n);
  if (n == NULL || napi_create_reference(env, v, 1, &n->ref) != napi_ok) {
    free(n);
    return false;
  }
  n->elem = e;
  n->users = 1;
  *p = n;
  return true;
}

/* One call is done with e: the bug drops the root whoever else holds it. */
static void let_go(napi_env env, registry *r, const gf_elem *e) {
  root **p = slot_of(r, e), *n = *p;
  if (n == NULL) return;
  if (r->counted && napi_reference_unref(env, n->ref, &n->users) == napi_ok && n->users > 0) return;
  napi_delete_reference(env, n->ref);
  *p = n->next;
  free(n);
}

static void release_all(napi_env env, job *j) {
  for (size_t i = 0; i < j->count; i++) let_go(env, j->owner, j->elems[i]);
}

static napi_value shared_call(napi_env env, napi_callback_info info) {
  napi_value argv[2], v;
  registry *r;
  if (!job_args(env, info, argv, NULL, (void **)&r)) return NULL;
  const char *name = r->counted ? "gcfuzz.sumSharedRefFixedAsync" : "gcfuzz.sumSharedRefAsync";
  job *j = job_new(env, JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if (!job_parse_opts(env, argv[1], j) || !job_collect_elems(env, argv[0], j, -1))
    return job_fail(env, j, name);
  j->owner = r;
  j->on_free = release_all;
  for (size_t i = 0; i < j->count; i++)
    if (napi_get_element(env, argv[0], (uint32_t)i, &v) != napi_ok || !hold(env, r, j->elems[i], v)) {
      j->count = i; /* let go of what it holds, no more */
      return job_fail(env, j, name);
    }
  return job_queue(env, j, name);
}

/* The registries live as long as the env (a Worker's too). */
static void free_registry(void *data) {
  registry *r = data;
  for (unsigned b = 0; b < NBUCKETS; b++)
    for (root *n = r->bucket[b], *next; n; n = next) {
      next = n->next;
      free(n);
    }
  free(r);
}

napi_status gf_shared_init(napi_env env, napi_value exports) {
  registry *bug = calloc(1, sizeof *bug), *fix = calloc(1, sizeof *fix);
  if (fix) fix->counted = true;
  return job_define_pair(env, exports, "sumSharedRefAsync", "sumSharedRefFixedAsync", shared_call,
                         bug, fix, free_registry);
}
