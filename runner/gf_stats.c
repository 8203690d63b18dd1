/* gf_stats.c - see gf_stats.h. */
#include "gf_stats.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"
#include "gf_store.h"

void gf_stats_init(gf_stats *s, uint64_t now_ns) {
  memset(s, 0, sizeof *s);
  s->start_ns = s->window_ns = now_ns;
  s->phase = "soak";
  s->entry = "";
}

double gf_stats_uptime(const gf_stats *s, uint64_t now_ns) {
  return (double)(now_ns - s->start_ns) / 1e9;
}

void gf_stats_tick(gf_stats *s, uint64_t now_ns) {
  double dt = (double)(now_ns - s->window_ns) / 1e9;
  /* The final write at a stop closes a sliver of an interval in which the
   * workers were already draining: keep the last full interval's rate. */
  if (dt < 0.5) return;
  s->execs_per_s = (double)(s->execs - s->window_execs) / dt;
  s->window_ns = now_ns;
  s->window_execs = s->execs;
}

static cJSON *stats_json(const gf_stats *s, uint64_t now_ns) {
  char now[32];
  gf_iso_time(now, sizeof now);
  double up = gf_stats_uptime(s, now_ns);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "time", now);
  cJSON_AddStringToObject(o, "phase", s->phase);
  cJSON_AddStringToObject(o, "entry", s->entry);
  cJSON_AddNumberToObject(o, "uptime_s", (double)(int64_t)(up * 1000) / 1000);
  cJSON_AddNumberToObject(o, "execs", (double)s->execs);
  cJSON_AddNumberToObject(o, "execs_per_s", (double)(int64_t)(s->execs_per_s * 100) / 100);
  cJSON_AddNumberToObject(o, "execs_per_s_avg",
                          up > 0 ? (double)(int64_t)(s->execs / up * 100) / 100 : 0);
  cJSON_AddNumberToObject(o, "workers", s->workers);
  cJSON_AddNumberToObject(o, "restarts", (double)s->restarts);
  cJSON_AddNumberToObject(o, "crashes", (double)s->crashes);
  cJSON_AddNumberToObject(o, "buckets", (double)s->buckets);
  cJSON_AddNumberToObject(o, "timeouts", (double)s->timeouts);
  cJSON_AddNumberToObject(o, "protocol_errors", (double)s->protocol_errors);
  cJSON_AddNumberToObject(o, "startup_failures", (double)s->startup_failures);
  cJSON_AddNumberToObject(o, "confirm_runs", (double)s->confirm_runs);
  cJSON_AddNumberToObject(o, "corpus", (double)s->corpus);
  cJSON_AddNumberToObject(o, "features", (double)s->features);
  return o;
}

int gf_stats_write(const gf_stats *s, const char *out_dir, uint64_t now_ns, gf_err *err) {
  cJSON *o = stats_json(s, now_ns);
  char *pretty = cJSON_Print(o), *line = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  char path[PATH_MAX + 32];
  int rc = -1;
  if (pretty && line) {
    snprintf(path, sizeof path, "%s/stats.json", out_dir);
    rc = gf_write_atomic(path, pretty, strlen(pretty), err);
    snprintf(path, sizeof path, "%s/stats.jsonl", out_dir);
    FILE *f = rc == 0 ? fopen(path, "a") : NULL;
    if (f) {
      fprintf(f, "%s\n", line);
      fclose(f);
    }
  }
  free(pretty);
  free(line);
  return rc;
}

void gf_stats_status_line(const gf_stats *s, uint64_t now_ns, FILE *f) {
  fprintf(f, "\r[%s %s] %6.0fs  execs %llu  %.1f/s  workers %u  restarts %llu  crashes %llu  "
             "buckets %llu  corpus %llu  features %llu   ",
          s->phase, s->entry, gf_stats_uptime(s, now_ns), (unsigned long long)s->execs,
          s->execs_per_s, s->workers, (unsigned long long)s->restarts,
          (unsigned long long)s->crashes, (unsigned long long)s->buckets,
          (unsigned long long)s->corpus, (unsigned long long)s->features);
  fflush(f);
}
