/* pool.c - entries whose work runs on the addon's own thread pool, not the
 * libuv threadpool: the shape of a napi-rs `async fn` (its body runs on a
 * tokio worker) or of a C++ pool. The libuv window gate holds nothing of
 * it; the thread-pool gate (harness/native/gate.c) does.
 *
 *   sumPoolAsync           fix: an owning copy, summed on the pool.
 *   sumPoolBorrowedAsync   BUG, a POSITIVE CONTROL: only the unwrapped
 *                          pointers go to the pool, as in sumBorrowedAsync.
 *   sumEnvDataAsync        BUG, a POSITIVE CONTROL of environment
 *                          teardown: an owning copy, but its job does not
 *                          hold its env's data (below), trusting the env to
 *                          outlive it; a Worker ended while it is on the
 *                          pool frees that data under it.
 *   sumEnvDataFixedAsync   fix: the same job, holding its env's data.
 *
 * No delay knob for the sumPool entries: as in a tokio `async fn`, the
 * work starts as soon as a pool thread is free. The sumEnvData pair takes
 * opts.delayUs (the work sleeps that long first), so a job is on the pool
 * when a teardown comes without the thread gate's help. GF_POOL_THREADS threads named "gcfuzz-pool", started
 * with the first env that loads the addon and shared by every env (a pool
 * is the process's, as a tokio runtime is); each call is completed on its
 * env's main thread through the env's threadsafe function.
 *
 * A job may still be on the pool when its env is torn down (a Worker
 * terminated with calls in flight): the pool's threads are the process's,
 * and Node does not wait for them as it waits for its own async work. So
 * each job holds its env's pool_env, and the env's cleanup hook marks it
 * torn down instead of freeing it under them: a job that comes back to a
 * torn-down env is dropped (the threadsafe function is gone with the env),
 * and whichever of the hook and the env's last job comes last frees it.
 *
 * Idle threads park in sem_wait (a futex wait), as tokio's and Rust's
 * parking do, not in pthread_cond_wait: glibc's condvar makes a signaller
 * wait for the waiters of an older group, so a main thread that queues work
 * while the gate holds a waiter would block until the gate's watchdog
 * (measured: 249 of 1 000 gated cases; doc/target.md, "Other thread pools").
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

#include "job.h"

#define GF_POOL_THREADS 2

typedef struct pool_entry {
  const char *name;
  bool copy;      /* an owning copy, else the borrowed pointers */
  bool delay;     /* takes opts.delayUs */
  bool holds_env; /* the job holds its env's pool_env until it came back */
} pool_entry;

static const pool_entry pool_entries[] = {
    {"sumPoolAsync", true, false, true},
    {"sumPoolBorrowedAsync", false, false, true}, /* POSITIVE CONTROL */
    {"sumEnvDataAsync", true, true, false},       /* POSITIVE CONTROL (teardown) */
    {"sumEnvDataFixedAsync", true, true, true},
};

/* Per env: how the pool hands a finished job back to it. */
typedef struct pool_env {
  napi_threadsafe_function done;
  uint32_t in_flight;   /* main thread only: the tsfn keeps the loop alive while > 0 */
  pthread_mutex_t lock; /* guards jobs and torn_down, and a call of done */
  uint32_t jobs;        /* jobs on the pool that hold this */
  bool torn_down;       /* the env's cleanup hook ran: done is gone */
} pool_env;

typedef struct pool_job {
  job *j;
  pool_env *pe;
  bool holds_env; /* counted in pe->jobs */
  struct pool_job *next;
} pool_job;

/* The queue the pool threads take from (process-wide, like the threads):
 * the lock is held only to link or unlink a job, never while waiting. */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t queue_items; /* one post per queued job */
static pool_job *queue_head, *queue_tail;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void pool_env_destroy(pool_env *pe) {
  pthread_mutex_destroy(&pe->lock);
  free(pe);
}

/* A job whose env is gone: nothing to settle, nothing to call back. */
static void pool_job_drop(pool_job *pj) {
  job_free(NULL, pj->j); /* no references: pool jobs root nothing */
  free(pj);
}

/* Pool thread: hands a finished job back to its env's main thread, or
 * drops it when the env was torn down meanwhile (the lock keeps the hook
 * from running between the check and the call). The queue is unbounded,
 * so the call never blocks with the lock held. */
static void pool_job_back(pool_job *pj) {
  pool_env *pe = pj->pe;
  if (!pj->holds_env) { /* POSITIVE CONTROL: pe may be freed by now */
    napi_call_threadsafe_function(pe->done, pj, napi_tsfn_blocking);
    return;
  }
  pthread_mutex_lock(&pe->lock);
  bool gone = pe->torn_down;
  if (!gone) napi_call_threadsafe_function(pe->done, pj, napi_tsfn_blocking);
  bool last = --pe->jobs == 0 && gone;
  pthread_mutex_unlock(&pe->lock);
  if (gone) pool_job_drop(pj);
  if (last) pool_env_destroy(pe);
}

static void *pool_thread_main(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "gcfuzz-pool");
  for (;;) {
    while (sem_wait(&queue_items) != 0) {
    } /* EINTR: wait again */
    pthread_mutex_lock(&queue_lock);
    pool_job *pj = queue_head;
    queue_head = pj->next;
    if (queue_head == NULL) queue_tail = NULL;
    pthread_mutex_unlock(&queue_lock);
    job_run(pj->j);
    pool_job_back(pj);
  }
  return NULL;
}

static void pool_start(void) {
  sem_init(&queue_items, 0, 0);
  for (int i = 0; i < GF_POOL_THREADS; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, pool_thread_main, NULL) == 0) pthread_detach(t);
  }
}

/* Main thread: a job came back from the pool. */
static void on_pool_done(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)js_cb;
  (void)context;
  pool_job *pj = data;
  if (env == NULL) { /* the tsfn's teardown empties its queue */
    pool_job_drop(pj);
    return;
  }
  job_settle(env, pj->j, true);
  if (--pj->pe->in_flight == 0) napi_unref_threadsafe_function(env, pj->pe->done);
  job_free(env, pj->j);
  free(pj);
}

static void pool_submit(pool_job *pj) {
  pthread_mutex_lock(&queue_lock);
  if (queue_tail) queue_tail->next = pj;
  else queue_head = pj;
  queue_tail = pj;
  pthread_mutex_unlock(&queue_lock);
  sem_post(&queue_items);
}

static napi_value pool_call(napi_env env, napi_callback_info info) {
  napi_value argv[2], promise;
  void *data;
  pool_env *pe;
  if (!job_args(env, info, argv, NULL, &data) || napi_get_instance_data(env, (void **)&pe) != napi_ok)
    return NULL;
  const pool_entry *spec = data;
  job *j = job_new(env, spec->copy ? JOB_READ_COPY : JOB_READ_ELEMS);
  if (j == NULL) return NULL;
  if ((spec->delay && !job_parse_opts(env, argv[1], j)) || !job_collect_elems(env, argv[0], j, -1))
    return job_fail(env, j, spec->name);
  if (spec->copy && gf_snapshot_take(&j->snapshot, j->elems, j->count) != 0) {
    napi_throw_range_error(env, "ERR_MEMORY_ALLOCATION_FAILED", "owning copy: out of memory");
    return job_fail(env, j, spec->name);
  }
  pool_job *pj = calloc(1, sizeof *pj);
  if (pj == NULL || napi_create_promise(env, &j->deferred, &promise) != napi_ok) {
    free(pj);
    return job_fail(env, j, spec->name);
  }
  pj->j = j;
  pj->pe = pe;
  pj->holds_env = spec->holds_env;
  if (pe->in_flight++ == 0) napi_ref_threadsafe_function(env, pe->done);
  pthread_mutex_lock(&pe->lock);
  pe->jobs += pj->holds_env;
  pthread_mutex_unlock(&pe->lock);
  pool_submit(pj);
  return promise;
}

/* The env's cleanup hook: registered after the tsfn, so it runs before the
 * tsfn's own teardown (hooks run last in, first out); from here on no job
 * calls it. Frees pe unless jobs still hold it. */
static void pool_env_teardown(void *data) {
  pool_env *pe = data;
  pthread_mutex_lock(&pe->lock);
  pe->torn_down = true;
  bool last = pe->jobs == 0;
  pthread_mutex_unlock(&pe->lock);
  if (last) pool_env_destroy(pe);
}

napi_status gf_pool_init(napi_env env, napi_value exports) {
  pool_env *pe = calloc(1, sizeof *pe);
  napi_value name;
  napi_status s;
  if (pe == NULL) return napi_generic_failure;
  pthread_mutex_init(&pe->lock, NULL);
  if ((s = napi_create_string_utf8(env, "gcfuzz.pool", NAPI_AUTO_LENGTH, &name)) != napi_ok ||
      (s = napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, NULL, NULL, NULL,
                                           on_pool_done, &pe->done)) != napi_ok) {
    pool_env_destroy(pe);
    return s;
  }
  napi_unref_threadsafe_function(env, pe->done); /* idle: let the loop end */
  /* The hook owns pe's lifetime: instance data without a finalizer. */
  if ((s = napi_add_env_cleanup_hook(env, pool_env_teardown, pe)) != napi_ok ||
      (s = napi_set_instance_data(env, pe, NULL, NULL)) != napi_ok)
    return s;
  pthread_once(&pool_once, pool_start);
  size_t n = sizeof pool_entries / sizeof pool_entries[0];
  napi_property_descriptor props[sizeof pool_entries / sizeof pool_entries[0]];
  for (size_t i = 0; i < n; i++)
    props[i] = (napi_property_descriptor){pool_entries[i].name, NULL, pool_call, NULL, NULL,
                                          NULL, napi_enumerable, (void *)&pool_entries[i]};
  return napi_define_properties(env, exports, n, props);
}
