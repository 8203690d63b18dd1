/* gf_stats.c - see gf_stats.h. */
#include "gf_stats.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gf_fs.h"
#include "gf_json.h"
#include "gf_store.h"
#include "gf_version.h"

void gf_stats_init(gf_stats *s, uint64_t now_ns) {
  memset(s, 0, sizeof *s);
  s->start_ns = s->window_ns = now_ns;
  s->phase = "soak";
  s->entry = "";
  s->sessions = 1;
  s->command_line = "";
  gf_iso_time(s->start_time, sizeof s->start_time);
  gf_strlcpy(s->first_start, s->start_time, sizeof s->first_start);
}

uint64_t gf_stats_session_execs(const gf_stats *s) { return s->execs - s->execs_at_start; }

/* A counter of a previous stats.json: a non-negative integer, or 0. */
static uint64_t counter(const cJSON *o, const char *key) { return (uint64_t)gf_json_count(o, key); }

int gf_stats_resume(gf_stats *s, const char *out_dir, gf_err *err) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/stats.json", out_dir);
  if (access(path, F_OK) != 0) return 0;
  char *text = gf_read_file(path, 1 << 20, NULL, err);
  cJSON *o = text ? cJSON_Parse(text) : NULL;
  free(text);
  if (!cJSON_IsObject(o)) {
    cJSON_Delete(o);
    return gf_errf(err, "%s: not a stats file; counters start at 0", path);
  }
  s->execs = s->execs_at_start = s->window_execs = counter(o, "execs");
  s->crashes = counter(o, "crashes");
  s->restarts = counter(o, "restarts");
  s->timeouts = counter(o, "timeouts");
  s->protocol_errors = counter(o, "protocol_errors");
  s->target_errors = counter(o, "target_errors");
  s->buckets_overflow = counter(o, "buckets_overflow");
  s->events_lost = counter(o, "events_lost");
  s->startup_failures = counter(o, "startup_failures");
  s->confirm_runs = counter(o, "confirm_runs");
  s->sessions = (unsigned)counter(o, "sessions") + 1;
  const cJSON *run = cJSON_GetObjectItemCaseSensitive(o, "run_time_s");
  const cJSON *up = cJSON_GetObjectItemCaseSensitive(o, "uptime_s");
  const cJSON *prior = cJSON_IsNumber(run) ? run : up; /* older files: one session's */
  if (cJSON_IsNumber(prior) && prior->valuedouble >= 0) s->prior_run_s = prior->valuedouble;
  const cJSON *first = cJSON_GetObjectItemCaseSensitive(o, "first_start");
  const cJSON *time = cJSON_GetObjectItemCaseSensitive(o, "time");
  const cJSON *since = cJSON_IsString(first) ? first : time;
  if (cJSON_IsString(since) && strlen(since->valuestring) == 20)
    gf_strlcpy(s->first_start, since->valuestring, sizeof s->first_start);
  cJSON_Delete(o);
  return 0;
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

static void add_time_or_null(cJSON *o, const char *key, const char *iso) {
  if (iso[0])
    cJSON_AddStringToObject(o, key, iso);
  else
    cJSON_AddNullToObject(o, key);
}

static cJSON *stats_json(const gf_stats *s, uint64_t now_ns) {
  char now[32];
  gf_iso_time(now, sizeof now);
  double up = gf_stats_uptime(s, now_ns);
  uint64_t session = gf_stats_session_execs(s);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "time", now);
  cJSON_AddStringToObject(o, "phase", s->phase);
  cJSON_AddStringToObject(o, "entry", s->entry);
  cJSON_AddStringToObject(o, "version", GF_VERSION);
  cJSON_AddNumberToObject(o, "pid", (double)getpid());
  cJSON_AddStringToObject(o, "command_line", s->command_line);
  cJSON_AddStringToObject(o, "start_time", s->start_time);
  cJSON_AddStringToObject(o, "first_start", s->first_start);
  cJSON_AddStringToObject(o, "last_update", now);
  add_time_or_null(o, "last_crash", s->last_crash);
  add_time_or_null(o, "last_new_bucket", s->last_new_bucket);
  cJSON_AddNumberToObject(o, "sessions", s->sessions);
  cJSON_AddNumberToObject(o, "uptime_s", (double)(int64_t)(up * 1000) / 1000);
  cJSON_AddNumberToObject(o, "run_time_s", (double)(int64_t)((s->prior_run_s + up) * 1000) / 1000);
  cJSON_AddNumberToObject(o, "execs", (double)s->execs);
  cJSON_AddNumberToObject(o, "session_execs", (double)session);
  cJSON_AddNumberToObject(o, "execs_per_s", (double)(int64_t)(s->execs_per_s * 100) / 100);
  cJSON_AddNumberToObject(o, "execs_per_s_avg",
                          up > 0 ? (double)(int64_t)(session / up * 100) / 100 : 0);
  cJSON_AddNumberToObject(o, "workers", s->workers);
  cJSON_AddNumberToObject(o, "restarts", (double)s->restarts);
  cJSON_AddNumberToObject(o, "crashes", (double)s->crashes);
  cJSON_AddNumberToObject(o, "buckets", (double)s->buckets);
  cJSON_AddNumberToObject(o, "timeouts", (double)s->timeouts);
  cJSON_AddNumberToObject(o, "protocol_errors", (double)s->protocol_errors);
  cJSON_AddNumberToObject(o, "target_errors", (double)s->target_errors);
  cJSON_AddNumberToObject(o, "buckets_overflow", (double)s->buckets_overflow);
  cJSON_AddNumberToObject(o, "events_lost", (double)s->events_lost);
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
    gf_log_rotate(path, GF_LOG_MAX);
    int fd = rc == 0 ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
    FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (fd >= 0 && f == NULL) close(fd);
    if (f) {
      fprintf(f, "%s\n", line);
      fclose(f);
    }
  }
  free(pretty);
  free(line);
  return rc;
}

/* "3m" / "2h05m" / "45s": an age or a time left, short. */
static void span(char *out, size_t cap, double secs) {
  long t = secs < 0 ? 0 : (long)secs;
  if (t >= 3600)
    snprintf(out, cap, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else if (t >= 60)
    snprintf(out, cap, "%ldm", t / 60);
  else
    snprintf(out, cap, "%lds", t);
}

/* Seconds since an ISO 8601 UTC time of ours ("" -> -1). */
static double age_of(const char *iso) {
  double t = gf_iso_seconds(iso);
  return t < 0 ? -1 : difftime(time(NULL), (time_t)t);
}

void gf_stats_status_line(const gf_stats *s, uint64_t now_ns, int live, FILE *f) {
  char left[64] = "", last[64] = "", t[48];
  double up = gf_stats_uptime(s, now_ns), age = age_of(s->last_new_bucket);
  if (s->max_time_s > 0) {
    span(t, sizeof t, s->max_time_s - up);
    snprintf(left, sizeof left, "  left %s", t);
  }
  if (age >= 0) span(t, sizeof t, age);
  snprintf(last, sizeof last, "  last new %s%s", age >= 0 ? t : "never", age >= 0 ? " ago" : "");
  fprintf(f, "%s[%s %s] %6.0fs  execs %llu  %.1f/s  workers %u  restarts %llu  crashes %llu  "
             "buckets %llu  corpus %llu  features %llu%s%s%s",
          live ? "\r" : "gcfuzz: status ", s->phase, s->entry, up, (unsigned long long)s->execs,
          s->execs_per_s, s->workers, (unsigned long long)s->restarts,
          (unsigned long long)s->crashes, (unsigned long long)s->buckets,
          (unsigned long long)s->corpus, (unsigned long long)s->features, last, left,
          live ? "   " : "\n");
  fflush(f);
}
