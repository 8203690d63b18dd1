/* gf_report.c - see gf_ci_report.h. */
#include "gf_ci_report.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_fs.h"
#include "gf_hint.h"
#include "gf_sbuf.h"
#include "gf_store.h"

static cJSON *phase_json(const gf_fuzz_result *r, const char *entry) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "entry", entry);
  cJSON_AddNumberToObject(o, "execs", (double)r->execs);
  cJSON_AddNumberToObject(o, "seconds", r->elapsed_s);
  cJSON_AddNumberToObject(o, "crashes", (double)r->findings);
  cJSON_AddNumberToObject(o, "new_buckets", r->new_buckets);
  if (r->first_finding_s >= 0) {
    cJSON_AddNumberToObject(o, "first_crash_s", r->first_finding_s);
    cJSON_AddStringToObject(o, "first_crash_hash", r->first_hash);
  }
  cJSON_AddBoolToObject(o, "stopped_by_signal", r->stopped_by_signal);
  return o;
}

static int write_summary(const gf_ci_summary *s, const gf_store *st, const char *out,
                         gf_err *err) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "exit_code", s->exit_code);
  cJSON_AddNumberToObject(o, "seed", (double)s->seed);
  cJSON_AddNumberToObject(o, "budget_s", s->budget_s);
  cJSON *c = phase_json(&s->control, s->control_entry);
  cJSON_AddBoolToObject(c, "detected", s->control_detected);
  cJSON_AddItemToObject(o, "control", c);
  cJSON_AddItemToObject(o, "target", s->target_ran ? phase_json(&s->target, s->entry)
                                                   : cJSON_CreateNull());
  cJSON_AddNumberToObject(o, "bugs", (double)gf_bugs_count(st));
  cJSON_AddNumberToObject(o, "slow_cases", s->slow_cases);
  cJSON *b = cJSON_AddArrayToObject(o, "buckets");
  for (size_t i = 0; i < st->n; i++) {
    cJSON *e = cJSON_CreateObject();
    char path[PATH_MAX + 32];
    gf_store_record_path(st, &st->b[i], path, sizeof path);
    cJSON_AddStringToObject(e, "hash", st->b[i].hash);
    cJSON_AddStringToObject(e, "signature", st->b[i].signature);
    cJSON_AddStringToObject(e, "kind", gf_kind_name(st->b[i].kind));
    cJSON_AddStringToObject(e, "entry", st->b[i].entry);
    cJSON_AddNumberToObject(e, "count", (double)st->b[i].count);
    cJSON_AddStringToObject(e, "record", path);
    const char *root = gf_bug_root_hash(&st->b[i]);
    if (root) cJSON_AddStringToObject(e, "same_bug_as", root);
    if (gf_bug_slow(&st->b[i])) cJSON_AddBoolToObject(e, "slow_case", 1);
    if (gf_hint_distinct(st->b[i].record)) cJSON_AddBoolToObject(e, "distinct_hint", 1);
    cJSON_AddStringToObject(e, "needs_gc", gf_bug_needs_gc_name(&st->b[i]));
    const cJSON *on = cJSON_GetObjectItemCaseSensitive(st->b[i].record, "reproduces_on");
    if (on) cJSON_AddItemToObject(e, "reproduces_on", cJSON_Duplicate(on, 1));
    cJSON_AddItemToArray(b, e);
  }
  char *text = cJSON_Print(o);
  cJSON_Delete(o);
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/summary.json", out);
  int rc = text ? gf_write_atomic(path, text, strlen(text), err) : gf_errf(err, "out of memory");
  free(text);
  return rc;
}

/* What a CI page should show of the worker's stderr: the report itself,
 * from its first line (ASan's ==ERROR:, the crash handler's, V8's fatal
 * error) to ASan's shadow-byte legend, at most 3000 bytes - so the access
 * line and stacks are there; without a report, the last 3000 bytes. */
static void report_excerpt(const char *t, const char **start, size_t *len) {
  static const char *const heads[] = {"ERROR: AddressSanitizer", "==gcfuzz-crash==", "# Fatal error",
                                      "FATAL ERROR:"};
  const char *h = NULL;
  for (size_t i = 0; i < sizeof heads / sizeof *heads && !h; i++) h = strstr(t, heads[i]);
  if (!h) {
    size_t n = strlen(t);
    *start = n > 3000 ? t + n - 3000 : t;
    while ((**start & 0xC0) == 0x80) (*start)++; /* not inside a UTF-8 character */
    *len = strlen(*start);
    return;
  }
  while (h > t && h[-1] != '\n') h--; /* the whole line */
  const char *end = strstr(h, "Shadow bytes around");
  size_t n = end ? (size_t)(end - h) : strlen(h);
  if (n > 3000)
    for (n = 3000; n > 0 && (h[n] & 0xC0) == 0x80; n--) {} /* not inside a UTF-8 character */
  *start = h;
  *len = n;
}

static void junit_bucket(gf_sbuf *x, const gf_store *st, const gf_bucket *bk) {
  char path[PATH_MAX + 32];
  const cJSON *rp = cJSON_GetObjectItemCaseSensitive(bk->record, "replay");
  const cJSON *tl = cJSON_GetObjectItemCaseSensitive(bk->record, "stderr_tail");
  const char *t = cJSON_IsString(tl) ? tl->valuestring : "", *ex;
  size_t exn;
  report_excerpt(t, &ex, &exn);
  gf_store_record_path(st, bk, path, sizeof path);
  gf_sbuf_printf(x, "    <testcase classname=\"gcfuzz.");
  gf_sbuf_escape(x, bk->entry);
  gf_sbuf_printf(x, "\" name=\"");
  gf_sbuf_escape(x, bk->signature);
  gf_sbuf_printf(x, "\">\n");
  if (gf_bug_slow(bk)) { /* no bug: the night passes, and says why */
    gf_sbuf_printf(x, "      <skipped message=\"" GF_SLOW_CASE " (raise timeout_ms)\"/>\n"
                      "    </testcase>\n");
    return;
  }
  gf_sbuf_printf(x, "      <failure type=\"%s\" message=\"", gf_kind_name(bk->kind));
  gf_sbuf_escape(x, bk->signature);
  gf_sbuf_printf(x, " (seen %llu times)\">record: ", (unsigned long long)bk->count);
  gf_sbuf_escape(x, path);
  gf_sbuf_printf(x, "\nreplay: ");
  gf_sbuf_escape(x, cJSON_IsString(rp) ? rp->valuestring : "");
  gf_sbuf_printf(x, "\n");
  gf_sbuf_escape_n(x, ex, exn);
  gf_sbuf_printf(x, "</failure>\n    </testcase>\n");
}

static int write_junit(const gf_ci_summary *s, const gf_store *st, const char *out,
                       gf_err *err) {
  gf_sbuf x = {0};
  size_t tests = 1 + (st->n ? st->n : (s->target_ran ? 1 : 0));
  size_t slow = 0;
  for (size_t i = 0; i < st->n; i++) slow += gf_bug_slow(&st->b[i]);
  size_t failures = (size_t)!s->control_detected + st->n - slow;
  gf_sbuf_printf(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<testsuites name=\"gcfuzz\" tests=\"%zu\" failures=\"%zu\">\n"
                "  <testsuite name=\"gcfuzz.ci\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n",
            tests, failures, tests, failures, s->control.elapsed_s + s->target.elapsed_s);
  gf_sbuf_printf(&x, "    <testcase classname=\"gcfuzz.control\" name=\"positive control ");
  gf_sbuf_escape(&x, s->control_entry);
  gf_sbuf_printf(&x, " is detected\" time=\"%.3f\">\n", s->control.elapsed_s);
  if (!s->control_detected)
    gf_sbuf_printf(&x, "      <failure type=\"no-control\" message=\"cannot detect the known bug: "
                  "the harness or build is broken\"/>\n");
  gf_sbuf_printf(&x, "    </testcase>\n");
  for (size_t i = 0; i < st->n; i++) junit_bucket(&x, st, &st->b[i]);
  if (st->n == 0 && s->target_ran) {
    /* The name stays the same night after night (CI tools track tests by
     * name); what varies goes to system-out. */
    gf_sbuf_printf(&x, "    <testcase classname=\"gcfuzz.");
    gf_sbuf_escape(&x, s->entry);
    gf_sbuf_printf(&x, "\" name=\"no crash\" time=\"%.3f\">\n"
                  "      <system-out>%llu execs in %.1f s</system-out>\n    </testcase>\n",
              s->target.elapsed_s, (unsigned long long)s->target.execs, s->target.elapsed_s);
  }
  gf_sbuf_printf(&x, "  </testsuite>\n</testsuites>\n");
  char path[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/junit.xml", out);
  int rc = x.p ? gf_write_atomic(path, x.p, x.len, err) : gf_errf(err, "out of memory");
  free(x.p);
  return rc;
}

int gf_ci_write_reports(const gf_ci_summary *s, const char *out_dir, gf_err *err) {
  gf_store st;
  if (gf_store_open(&st, out_dir, GF_STORE_READ, err) != 0) return -1;
  int rc = write_summary(s, &st, out_dir, err);
  if (rc == 0) rc = write_junit(s, &st, out_dir, err);
  gf_store_close(&st);
  return rc;
}
