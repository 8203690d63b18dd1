/* gf_fuzz.c - see gf_fuzz.h. */
#include "gf_fuzz.h"

#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "gf_bugs.h"
#include "gf_hint.h"
#include "gf_fs.h"
#include "gf_inbox.h"
#include "gf_pending.h"
#include "gf_prom.h"
#include "gf_search.h"
#include "gf_oneshot.h"
#include "gf_stats.h"
#include "gf_sync.h"
#include "gf_store.h"
#include "gf_worker.h"

/* Workers that die before their ready line this many times in a row mean
 * the harness or node cannot run at all: stop instead of spinning. */
#define GF_MAX_STARTUP_FAILURES 5
/* Cases refused by the harness in a row before the run stops (exit 2). */
#define GF_MAX_REJECTIONS 32

typedef struct fuzz {
  const gf_fuzz_opts *o;
  const gf_config *cfg;
  uv_loop_t loop;
  uv_timer_t tick, grace, deadline, sync_timer;
  uv_signal_t sigint, sigterm, sighup;
  gf_worker *w;
  unsigned nw, live;
  gf_oneshot confirm;
  gf_store store;
  gf_search search;
  gf_prng prng;
  gf_stats stats;
  gf_fuzz_result *res;
  uint64_t case_no, spawns;
  int stopping, signals, fatal;
  int any_ready; /* some worker got to its ready line */
  unsigned consecutive_startup_failures;
  unsigned consecutive_rejections; /* cases the harness refused, in a row */
  unsigned consecutive_target_errors; /* cases the target's own code failed, in a row */
  char fatal_msg[512];
  char node_version[32], build[PATH_MAX];
  char node_path[PATH_MAX]; /* config `node`, resolved: records say which binary */
  char *stderr_buf;
  gf_pending pending; /* confirmation and background minimization */
  gf_sync sync;       /* cases from other soaks' folders (config sync_dirs) */
  uint64_t last_status_ns;
  int live_line; /* a live status line is on the terminal, not ended yet */
} fuzz;

static void begin_stop(fuzz *f, int now);

/* Stops the run as failed (exit 2) with the reason: what went wrong means
 * nothing of the addon can be tested as configured. */
static void fail_run(fuzz *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_run(fuzz *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(f->fatal_msg, sizeof f->fatal_msg, fmt, ap);
  va_end(ap);
  f->fatal = 1;
  begin_stop(f, 1);
}

static void close_if_done(fuzz *f);

static uint64_t now_ns(void) { return uv_hrtime(); }

/* Before a message: the live status line ends, so the message has a line. */
static void end_live_line(fuzz *f) {
  if (f->live_line) fputc('\n', stderr);
  f->live_line = 0;
}

static void next_case(fuzz *f, gf_case *c) {
  gf_search_next(&f->search, &f->prng, c);
  if (f->o->entry[0]) gf_strlcpy(c->entry, f->o->entry, sizeof c->entry);
  snprintf(c->id, sizeof c->id, "g%llu", (unsigned long long)++f->case_no);
}

static void dispatch(fuzz *f, gf_worker *w) {
  if (f->stopping || !w->ready || w->busy || w->exited) return;
  gf_case c;
  next_case(f, &c);
  if (gf_worker_send(w, &c) != 0) gf_worker_kill(w, 0);
}

static void log_new_bucket(fuzz *f, const gf_bucket *b, const gf_case *c) {
  end_live_line(f);
  fprintf(stderr, "gcfuzz: NEW %s (case %s, entry %s) -> %s/%s.json\n", b->signature, c->id,
          c->entry, f->store.crashes, b->hash);
  gf_hint_new_bucket(b, stderr);
}

/* Saves the crashing case into OUT/corpus so a resumed run starts from it. */
static void keep_case(fuzz *f, const gf_bucket *b, const gf_case *c) {
  gf_err err = {{0}};
  if (gf_search_keep_crash(&f->search, c, b->hash, &err) != 0)
    fprintf(stderr, "gcfuzz: cannot save corpus case: %s\n", err.msg);
  f->stats.corpus = f->search.corpus.n;
}

/* A clean run: its time teaches the cost model; it is kept when it reached
 * a new window feature, or a feature more cheaply than its holder. */
static void clean_run(fuzz *f, const gf_worker *w, const cJSON *result) {
  uint64_t us = (uv_hrtime() - w->sent_ns) / 1000;
  gf_search_clean(&f->search, &w->current, result, us, stderr);
  f->stats.features = f->search.fb.count;
  f->stats.corpus = f->search.corpus.n;
}

static void record_finding(fuzz *f, const gf_finding *fd, const gf_case *c, int flag_set,
                           const char *tail) {
  gf_run_meta meta = {f->node_version, f->build, f->o->replay_prefix, &f->cfg->v8_flags[flag_set],
                      f->node_path, gf_config_wants_asan(f->cfg) ? "address" : "none"};
  gf_err err = {{0}};
  int is_new = 0;
  gf_iso_time(f->stats.last_crash, sizeof f->stats.last_crash);
  const gf_bucket *known = gf_store_find(&f->store, fd->hash);
  int was_dirty = known && known->dirty;
  f->stats.crashes++;
  if (fd->kind == GF_KIND_TIMEOUT) f->stats.timeouts++;
  uint64_t over = f->store.overflow;
  gf_bucket *b = gf_store_add(&f->store, fd, c, tail, &meta, &is_new, &err);
  if (b == NULL) { /* past max_buckets: counted, and said once a session */
    f->stats.buckets_overflow += f->store.overflow - over;
    if (f->store.overflow <= 1) fprintf(stderr, "gcfuzz: cannot record a crash: %s\n", err.msg);
    return;
  }
  if (b->dirty && !was_dirty) /* kept in memory: counted, confirmed, written at a later tick */
    fprintf(stderr, "gcfuzz: cannot write crash record (kept, retried each interval): %s\n",
            err.msg);
  f->stats.buckets = f->store.n;
  f->res->findings++;
  if (f->res->first_finding_s < 0) {
    f->res->first_finding_s = gf_stats_uptime(&f->stats, now_ns());
    gf_strlcpy(f->res->first_hash, b->hash, sizeof f->res->first_hash);
  }
  if (is_new) {
    gf_strlcpy(f->stats.last_new_bucket, f->stats.last_crash, sizeof f->stats.last_new_bucket);
    if (gf_bugs_link(&f->store, b->entry, &err) < 0) /* dirty: retried each interval */
      fprintf(stderr, "gcfuzz: cannot write a crash record: %s\n", err.msg);
    log_new_bucket(f, b, c);
    keep_case(f, b, c);
    f->res->new_buckets++;
  }
  if (f->o->stop_on_finding || (f->o->stop_on_new && is_new)) {
    begin_stop(f, 0);
    return;
  }
  if (is_new)
    gf_pending_new_bucket(&f->pending, b, flag_set);
  else
    gf_pending_occurrence(&f->pending, b, c, flag_set); /* a better reproducer? */
}

static void on_confirmed(gf_oneshot *o, void *data, int found, const gf_finding *fd,
                         const char *tail) {
  fuzz *f = o->owner;
  (void)tail;
  f->stats.confirm_runs++;
  gf_pending_on_run(&f->pending, data, found, fd);
}

/* --- workers --------------------------------------------------------- */

static void spawn_worker(fuzz *f, gf_worker *w);

/* The first entry this run sends that the target's ready line does not
 * name, or NULL: a typo in the config is said once, at the first ready
 * line, instead of by 32 refused cases. */
static const char *missing_entry(const fuzz *f, const gf_worker *w) {
  const char *forced = f->o->entry[0] ? f->o->entry : f->cfg->entry;
  if (forced[0]) return gf_worker_has_entry(w, forced) ? NULL : forced;
  for (int i = 0; i < f->cfg->n_entries; i++)
    if (!gf_worker_has_entry(w, f->cfg->entries[i])) return f->cfg->entries[i];
  return NULL;
}

static void on_worker_ready(gf_worker *w) {
  fuzz *f = w->owner;
  f->consecutive_startup_failures = 0;
  f->any_ready = 1;
  if (!f->node_version[0]) {
    gf_strlcpy(f->node_version, w->node_version, sizeof f->node_version);
    gf_strlcpy(f->build, w->build, sizeof f->build);
    gf_hint_runtime(f->node_version, w->no_gc_entries, stderr);
  }
  const char *missing = missing_entry(f, w);
  if (missing && !f->fatal) {
    fail_run(f, "entry '%s' of the config is not an entry of the target (it has: %.300s)", missing, w->entries);
    return;
  }
  if (!f->fatal) dispatch(f, w);
}

/* The harness refused a case we sent: a runner/harness mismatch (an entry
 * the target lacks, a field it does not know). Not an exec; when nothing
 * but refusals comes back, stop rather than call the run clean. */
static void case_rejected(fuzz *f, gf_worker *w) {
  f->stats.protocol_errors++;
  fprintf(stderr, "gcfuzz: harness rejected case %s: %s\n", w->current.id, w->result_message);
  if (++f->consecutive_rejections < GF_MAX_REJECTIONS) return;
  fail_run(f, "the harness rejected %u cases in a row (config entries and the target disagree?); last: %.300s",
           f->consecutive_rejections, w->result_message);
}

/* The target's own code failed (input, oracle, equal, a hook): the case
 * ran, the addon is not to blame. Counted and shown, never a bucket; when
 * nothing else comes back, stop: the target must be fixed first. */
static void target_failed(fuzz *f, gf_worker *w) {
  f->stats.execs++;
  f->stats.target_errors++;
  if (f->stats.target_errors <= 3 || f->stats.target_errors % 1000 == 0)
    fprintf(stderr, "gcfuzz: the target's own code failed in case %s (not a finding; %llu so far): %s\n",
            w->current.id, (unsigned long long)f->stats.target_errors, w->result_message);
  if (++f->consecutive_target_errors < GF_MAX_REJECTIONS) return;
  fail_run(f, "the target's own code failed in %u cases in a row, so nothing of the addon was tested; "
              "fix the target (doc/target.md, \"The target contract\"): %.300s",
           f->consecutive_target_errors, w->result_message);
}

/* A wrong result leaves the process alive. With ASan preloaded a memory
 * error aborts where it happens, so a worker that answered wrong has not
 * been corrupted unseen: its finding is recorded now and it goes on (a
 * restart costs an ASan worker seconds). A release build cannot say so: it
 * is recycled and classified at close (doc/detection.md, "Wrong results"). */
static int keep_after_mismatch(fuzz *f, gf_worker *w) {
  if (strcmp(w->result_outcome, "mismatch") != 0 || !gf_config_wants_asan(f->cfg)) return 0;
  gf_outcome out;
  gf_finding fd;
  gf_outcome_for(&out, w, f->cfg, f->stderr_buf, GF_STDERR_TAIL);
  if (!gf_classify(&out, &fd)) return 0;
  record_finding(f, &fd, &w->current, w->flag_set, f->stderr_buf);
  gf_ring_clear(&w->stderr_tail); /* the next finding's tail is its own */
  return 1;
}

static void on_worker_result(gf_worker *w, const cJSON *result) {
  fuzz *f = w->owner;
  int ok = strcmp(w->result_outcome, "ok") == 0;
  if (strcmp(w->result_outcome, "error") == 0) {
    case_rejected(f, w);
    ok = 1;
  } else if (strcmp(w->result_outcome, "target_error") == 0) {
    target_failed(f, w);
    ok = 1; /* the worker is sound: the addon was not even reached, or answered */
  } else if (!gf_outcome_known(w->result_outcome)) {
    ok = 0; /* a protocol error (counted at close): recycle the worker, no exec */
  } else {
    f->stats.execs++;
    f->consecutive_rejections = f->consecutive_target_errors = 0;
    if (ok) clean_run(f, w, result);
    if (!ok && f->cfg->persistent) ok = keep_after_mismatch(f, w);
  }
  if (!f->cfg->persistent) { /* --once: it exits by itself (or is made to); classified at close */
    gf_worker_expect_exit(w, f->cfg->timeout_ms < GF_EXIT_GRACE_MS ? f->cfg->timeout_ms : GF_EXIT_GRACE_MS);
    return;
  }
  if (!ok)
    gf_worker_recycle(w); /* mismatch / exception: classified at close */
  else if (f->stopping)
    gf_worker_kill(w, 1);
  else
    dispatch(f, w);
}

static void startup_failure(fuzz *f, gf_worker *w) {
  f->stats.startup_failures++;
  if (++f->consecutive_startup_failures < GF_MAX_STARTUP_FAILURES) return;
  /* The first lines of stderr usually say it all (module not found...). */
  char *tail = f->stderr_buf;
  tail[strcspn(tail, "\n")] = '\0';
  fail_run(f, "workers exit before the harness is ready (%u times in a row); last: %s exit %lld signal %d: %.300s",
           f->consecutive_startup_failures,
           w->timed_out ? "not ready within startup_timeout_ms, killed:" : "", (long long)w->exit_code,
           w->term_signal, tail[0] ? tail : "(no stderr)");
}

static void on_worker_closed(gf_worker *w) {
  fuzz *f = w->owner;
  f->live--;
  f->stats.protocol_errors += w->protocol_errors;
  if (w->protocol_errors)
    fprintf(stderr, "gcfuzz: worker %d: %u bad stdout line(s), last: %s\n", w->slot,
            w->protocol_errors, w->last_protocol_error);
  if (!w->retiring) {
    gf_outcome out;
    gf_finding fd;
    gf_outcome_for(&out, w, f->cfg, f->stderr_buf, GF_STDERR_TAIL);
    if (w->spawn_failed || !w->ready)
      startup_failure(f, w);
    else if (w->has_case && gf_classify(&out, &fd)) {
      if (w->busy) f->stats.execs++; /* the case ran: it crashed instead of answering */
      record_finding(f, &fd, gf_worker_blamed_case(w), w->flag_set, f->stderr_buf);
    }
  }
  if (!f->stopping) {
    f->stats.restarts++;
    spawn_worker(f, w);
  } else {
    close_if_done(f);
  }
}

static const gf_worker_ops fuzz_ops = {on_worker_ready, on_worker_result, on_worker_closed};

static void spawn_worker(fuzz *f, gf_worker *w) {
  gf_err err = {{0}};
  f->live++; /* on_closed follows even when the spawn fails */
  /* The V8 flag sets take turns, worker start by worker start. */
  w->flag_set = (int)(f->spawns++ % (uint64_t)f->o->plan->n_sets);
  gf_worker_limits lim = {f->cfg->timeout_ms, f->cfg->startup_timeout_ms, f->cfg->rss_limit_mb};
  if (gf_worker_spawn(w, &f->loop, f->o->plan, !f->cfg->persistent, &lim, &fuzz_ops, &err) != 0 &&
      f->consecutive_startup_failures == 0)
    fprintf(stderr, "gcfuzz: %s\n", err.msg);
}

/* --- stopping, timers, signals --------------------------------------- */

/* show: the status line too (the last write leaves it to the summary). */
static void write_stats(fuzz *f, int show) {
  gf_err err = {{0}};
  uint64_t t = now_ns();
  f->stats.events_lost += f->store.events_lost; /* taken, so a resume continues the count */
  f->store.events_lost = 0;
  gf_stats_tick(&f->stats, t);
  if (gf_stats_write(&f->stats, f->o->out_dir, t, &err) != 0 ||
      gf_prom_write(&f->stats, f->o->out_dir, t, &err) != 0)
    fprintf(stderr, "gcfuzz: cannot write stats: %s\n", err.msg);
  if (!show) return;
  if (f->o->status_line) {
    gf_stats_status_line(&f->stats, t, 1, stderr);
    f->live_line = 1;
  } else if (f->o->status_every_s > 0 &&
             (double)(t - f->last_status_ns) / 1e9 >= f->o->status_every_s) {
    gf_stats_status_line(&f->stats, t, 0, stderr);
    f->last_status_ns = t;
  }
}

/* Once a stop has begun and nothing is alive any more, the loop's own
 * handles close and uv_run returns. */
static void close_if_done(fuzz *f) {
  if (!f->stopping || f->live > 0 || !gf_oneshot_idle(&f->confirm)) return;
  uv_handle_t *hs[] = {(uv_handle_t *)&f->tick,   (uv_handle_t *)&f->grace,
                       (uv_handle_t *)&f->deadline, (uv_handle_t *)&f->sync_timer,
                       (uv_handle_t *)&f->sigint, (uv_handle_t *)&f->sigterm,
                       (uv_handle_t *)&f->sighup};
  for (size_t i = 0; i < sizeof hs / sizeof *hs; i++)
    if (!uv_is_closing(hs[i])) uv_close(hs[i], NULL);
}

static void kill_all(fuzz *f) {
  for (unsigned i = 0; i < f->nw; i++)
    if (!f->w[i].closed) gf_worker_kill(&f->w[i], 1);
  gf_oneshot_stop(&f->confirm);
}

static void on_grace_over(uv_timer_t *t) { kill_all(t->data); }

/* now: kill everything at once; else idle workers go now and busy ones get
 * grace_ms to finish their case. */
static void begin_stop(fuzz *f, int now) {
  if (!f->stopping) {
    f->stopping = 1;
    gf_pending_stop(&f->pending);
    for (unsigned i = 0; i < f->nw; i++)
      if (!f->w[i].closed && !f->w[i].busy) gf_worker_kill(&f->w[i], 1);
    /* Confirmations in flight get the same grace period as the workers. */
    uv_timer_start(&f->grace, on_grace_over, f->cfg->grace_ms, 0);
  }
  if (now) kill_all(f);
  close_if_done(f);
}

static void on_deadline(uv_timer_t *t) { begin_stop(t->data, 0); }

/* Each interval and at the stop: records whose write failed (ENOSPC) are
 * written again, changes posted by minimize / replay applied. Returns how
 * many records are still not on disk. */
static size_t catch_up(fuzz *f) {
  size_t written, left = gf_store_flush(&f->store, &written);
  if (written)
    fprintf(stderr, "gcfuzz: %zu crash record(s) written after earlier failures, %zu left\n",
            written, left);
  gf_inbox_apply(&f->store, GF_INBOX_BATCH);
  return left;
}

static void on_sync(uv_timer_t *t) {
  fuzz *f = t->data;
  unsigned joined = gf_sync_pass(&f->sync, f->cfg, f->o->out_dir, &f->search.corpus, stderr);
  if (joined) {
    end_live_line(f);
    fprintf(stderr, "gcfuzz: sync: %u case(s) from other soaks joined the corpus\n", joined);
    f->stats.corpus = f->search.corpus.n;
  }
}

static void on_tick(uv_timer_t *t) {
  fuzz *f = t->data;
  catch_up(f);
  write_stats(f, !f->stopping); /* after the stop message: the summary, not a status line */
  close_if_done(f); /* a confirmation may have been the last thing alive */
}

static void on_signal(uv_signal_t *s, int signum) {
  fuzz *f = s->data;
  f->res->stopped_by_signal = 1;
  end_live_line(f);
  fprintf(stderr, "gcfuzz: %s: %s\n",
          signum == SIGINT ? "SIGINT" : signum == SIGHUP ? "SIGHUP" : "SIGTERM",
          f->signals++ ? "stopping now" : "finishing in-flight cases (signal again to stop now)");
  begin_stop(f, f->signals > 1);
}

/* --- setup ------------------------------------------------------------ */

/* The last crash and the last new bucket, as the records say. */
static void last_times(fuzz *f) {
  if (strcmp(f->store.last_seen, f->stats.last_crash) > 0)
    gf_strlcpy(f->stats.last_crash, f->store.last_seen, sizeof f->stats.last_crash);
  if (strcmp(f->store.last_new, f->stats.last_new_bucket) > 0)
    gf_strlcpy(f->stats.last_new_bucket, f->store.last_new, sizeof f->stats.last_new_bucket);
}

static int fuzz_setup(fuzz *f, gf_err *err) {
  if (uv_loop_init(&f->loop) != 0) return gf_errf(err, "uv_loop_init failed");
  if (gf_store_open(&f->store, f->o->out_dir, GF_STORE_WRITE, err) != 0 ||
      gf_search_open(&f->search, f->cfg, f->o->out_dir, f->o->entry, stderr, err) != 0)
    return -1;
  f->store.max_buckets = f->cfg->max_buckets;
  gf_err warn = {{0}};
  if (gf_bugs_link_all(&f->store, &warn) < 0) /* records of an older version */
    fprintf(stderr, "gcfuzz: cannot write a crash record: %s\n", warn.msg);
  gf_prng_seed(&f->prng, f->o->seed);
  if (gf_which(f->cfg->node, f->node_path, sizeof f->node_path) != 0)
    gf_strlcpy(f->node_path, f->cfg->node, sizeof f->node_path);
  gf_stats_init(&f->stats, now_ns());
  f->last_status_ns = f->stats.start_ns;
  if (gf_stats_resume(&f->stats, f->o->out_dir, &warn) != 0) fprintf(stderr, "gcfuzz: %s\n", warn.msg);
  f->stats.command_line = f->o->command_line ? f->o->command_line : "";
  f->stats.max_time_s = f->o->max_time_s;
  last_times(f);
  f->stats.phase = f->o->phase;
  f->stats.entry = f->o->entry[0] ? f->o->entry : "(case)";
  f->stats.buckets = f->store.n;
  f->stats.corpus = f->search.corpus.n;
  f->stats.features = f->search.fb.count; /* loaded with the corpus */
  f->stats.workers = f->nw;
  f->stderr_buf = malloc(GF_STDERR_TAIL);
  f->w = calloc(f->nw, sizeof *f->w);
  if (!f->stderr_buf || !f->w ||
      gf_oneshot_init(&f->confirm, &f->loop, f->cfg, f->o->plan, (int)f->cfg->confirm_slots, on_confirmed, f) != 0)
    return gf_errf(err, "out of memory");
  gf_pending_init(&f->pending, &f->store, &f->confirm, f->cfg, f->o->status_line);
  uv_timer_init(&f->loop, &f->tick);
  uv_timer_init(&f->loop, &f->grace);
  uv_timer_init(&f->loop, &f->deadline);
  uv_timer_init(&f->loop, &f->sync_timer);
  gf_sync_init(&f->sync);
  uv_signal_init(&f->loop, &f->sigint);
  uv_signal_init(&f->loop, &f->sigterm);
  uv_signal_init(&f->loop, &f->sighup);
  f->tick.data = f->grace.data = f->deadline.data = f->sync_timer.data = f->sigint.data =
      f->sigterm.data = f->sighup.data = f;
  return 0;
}

static void fuzz_teardown(fuzz *f) {
  if (f->w) {
    for (unsigned i = 0; i < f->nw; i++) gf_worker_release(&f->w[i]);
    free(f->w);
  }
  if (f->confirm.slots) gf_oneshot_free(&f->confirm);
  gf_pending_free(&f->pending); /* what it had not done stays pending in the records */
  gf_search_free(&f->search);
  gf_sync_free(&f->sync);
  gf_store_close(&f->store);
  free(f->stderr_buf);
  uv_loop_close(&f->loop);
}

static void log_event(fuzz *f, const char *what) {
  cJSON *ev = cJSON_CreateObject();
  cJSON_AddStringToObject(ev, "event", what);
  cJSON_AddStringToObject(ev, "phase", f->o->phase);
  cJSON_AddStringToObject(ev, "entry", f->stats.entry);
  cJSON_AddNumberToObject(ev, "execs", (double)f->stats.execs);
  cJSON_AddNumberToObject(ev, "buckets", (double)f->store.n);
  if (strcmp(what, "start") == 0) {
    cJSON_AddNumberToObject(ev, "seed", (double)f->o->seed);
    cJSON_AddNumberToObject(ev, "workers", f->nw);
  }
  gf_store_event(&f->store, ev);
}

int gf_fuzz_run(const gf_fuzz_opts *o, gf_fuzz_result *res, gf_err *err) {
  fuzz *f = calloc(1, sizeof *f);
  if (f == NULL) return gf_errf(err, "out of memory");
  f->o = o;
  f->cfg = o->cfg;
  f->nw = o->workers ? o->workers : 1;
  f->res = res;
  memset(res, 0, sizeof *res);
  res->first_finding_s = -1;
  int rc = fuzz_setup(f, err);
  if (rc == 0) {
    uv_timer_start(&f->tick, on_tick, f->cfg->stats_interval_ms, f->cfg->stats_interval_ms);
    if (o->max_time_s > 0)
      uv_timer_start(&f->deadline, on_deadline, (uint64_t)(o->max_time_s * 1000), 0);
    if (f->cfg->n_sync_dirs > 0) /* at once, then every interval */
      uv_timer_start(&f->sync_timer, on_sync, 0, f->cfg->sync_interval_ms);
    uv_signal_start(&f->sigint, on_signal, SIGINT);
    uv_signal_start(&f->sigterm, on_signal, SIGTERM);
    /* The terminal went away (or a service manager said so): stop in order,
     * like SIGTERM, so the stop event and final stats are written. */
    uv_signal_start(&f->sighup, on_signal, SIGHUP);
    log_event(f, "start");
    if (!o->stop_on_finding) gf_pending_resume(&f->pending);
    for (unsigned i = 0; i < f->nw; i++) {
      f->w[i].owner = f;
      f->w[i].slot = (int)i;
      spawn_worker(f, &f->w[i]);
    }
    uv_run(&f->loop, UV_RUN_DEFAULT);
    if (catch_up(f) > 0)
      fprintf(stderr, "gcfuzz: some crash records could not be written (see above); their "
                      "counts are lost, their cases are in %s\n", f->search.corpus_dir);
    log_event(f, "stop"); /* first: a stop event that is lost is in the last stats */
    write_stats(f, 0);
    end_live_line(f);
    res->execs = gf_stats_session_execs(&f->stats);
    res->elapsed_s = gf_stats_uptime(&f->stats, now_ns());
    if (f->fatal)
      rc = gf_errf(err, "%s", f->fatal_msg);
    else if (!f->any_ready && !f->signals && o->max_time_s > 0)
      /* nothing was tested: a clean exit would call an untested night clean */
      rc = gf_errf(err, "no worker became ready within --max-time %.0f s, so no case ran (a harness or "
                        "target slower to start than the run is long: raise --max-time)", o->max_time_s);
  }
  fuzz_teardown(f);
  free(f);
  return rc;
}
