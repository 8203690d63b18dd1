/* gf_prom.c - see gf_prom.h. */
#include "gf_prom.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"
#include "gf_sbuf.h"
#include "gf_store.h"

/* One metric: HELP, TYPE and its one sample. */
static void metric(gf_sbuf *b, const char *label, const char *name, const char *type,
                   const char *help, double value) {
  gf_sbuf_printf(b, "# HELP gcfuzz_%s %s\n# TYPE gcfuzz_%s %s\ngcfuzz_%s{%s} %.17g\n", name, help,
                 name, type, name, label, value);
}

/* Seconds since the epoch of one of our ISO 8601 UTC times; 0 if none. */
static double epoch_of(const char *iso) {
  double t = gf_iso_seconds(iso);
  return t < 0 ? 0 : t;
}

int gf_prom_write(const gf_stats *s, const char *out_dir, uint64_t now_ns, gf_err *err) {
  gf_sbuf label = {0}, b = {0};
  gf_sbuf_printf(&label, "out=\"");
  gf_sbuf_prom_label(&label, out_dir);
  gf_sbuf_printf(&label, "\",phase=\"");
  gf_sbuf_prom_label(&label, s->phase);
  gf_sbuf_printf(&label, "\"");
  const char *l = label.p ? label.p : "";
  metric(&b, l, "execs_total", "counter", "Cases run, over every session of OUT.", (double)s->execs);
  metric(&b, l, "crashes_total", "counter", "Crashes recorded (any bucket).", (double)s->crashes);
  metric(&b, l, "timeouts_total", "counter", "Cases killed at timeout_ms.", (double)s->timeouts);
  metric(&b, l, "restarts_total", "counter", "Worker processes started again.", (double)s->restarts);
  metric(&b, l, "protocol_errors_total", "counter", "Harness lines outside the protocol.",
         (double)s->protocol_errors);
  metric(&b, l, "target_errors_total", "counter", "Cases the target's own code failed (not findings).",
         (double)s->target_errors);
  metric(&b, l, "buckets_overflow_total", "counter", "Occurrences of new signatures past max_buckets (counted, not kept).",
         (double)s->buckets_overflow);
  metric(&b, l, "events_lost_total", "counter", "events.jsonl lines that could not be appended (a full disk).",
         (double)s->events_lost);
  metric(&b, l, "confirm_runs_total", "counter", "One-shot confirmation and minimization runs.",
         (double)s->confirm_runs);
  metric(&b, l, "buckets", "gauge", "Distinct crash signatures.", (double)s->buckets);
  metric(&b, l, "corpus", "gauge", "Cases mutation picks parents from.", (double)s->corpus);
  metric(&b, l, "features", "gauge", "Window features seen.", (double)s->features);
  metric(&b, l, "workers", "gauge", "Persistent workers.", s->workers);
  metric(&b, l, "execs_per_second", "gauge", "Execs per second over the last interval.",
         s->execs_per_s);
  metric(&b, l, "uptime_seconds", "gauge", "This session's run time.", gf_stats_uptime(s, now_ns));
  metric(&b, l, "last_crash_timestamp_seconds", "gauge", "When the last crash was recorded (0: never).",
         epoch_of(s->last_crash));
  metric(&b, l, "last_new_bucket_timestamp_seconds", "gauge",
         "When the last new bucket was opened (0: never).", epoch_of(s->last_new_bucket));
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/metrics.prom", out_dir);
  int rc = b.p && !b.oom && !label.oom ? gf_write_atomic(path, b.p, b.len, err)
                                       : gf_errf(err, "out of memory");
  gf_sbuf_free(&label);
  gf_sbuf_free(&b);
  return rc;
}
