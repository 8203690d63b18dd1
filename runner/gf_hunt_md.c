/* gf_hunt_md.c - see gf_hunt_md.h. Every cell is text from a package or a
 * probe: made UTF-8 without control bytes, '|' and markup escaped. */
#include "gf_hunt_md.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_fs.h"
#include "gf_sbuf.h"
#include "gf_text.h"

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* A table cell: one line, '|', '<', '>', '`' escaped, at most max bytes. */
static void cell(gf_sbuf *b, const char *s, size_t max) {
  char *t = strndup(s, max);
  if (t == NULL) return;
  gf_text_sanitize(t, strlen(t));
  gf_sbuf_printf(b, " ");
  for (const char *p = t; *p; p++) {
    if (strchr("|`\\", *p))
      gf_sbuf_printf(b, "\\%c", *p);
    else if (*p == '<')
      gf_sbuf_printf(b, "&lt;");
    else if (*p == '>')
      gf_sbuf_printf(b, "&gt;");
    else
      gf_sbuf_printf(b, "%c", *p == '\n' || *p == '\t' ? ' ' : *p);
  }
  gf_sbuf_printf(b, "%s |", strlen(s) > max ? "..." : "");
  free(t);
}

static void cellf(gf_sbuf *b, const char *fmt, double v) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, fmt, v);
  cell(b, tmp, sizeof tmp);
}

/* "name (oracle), ..." of the entries fuzzed. */
static void entries_cell(gf_sbuf *b, const cJSON *row) {
  gf_sbuf t = {0};
  const cJSON *e;
  int first = 1;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(row, "entries")) {
    const cJSON *tp = cJSON_GetObjectItemCaseSensitive(e, "threadpool");
    gf_sbuf_printf(&t, "%s%s (%s%s)", first ? "" : ", ", str(e, "name"), str(e, "oracle"),
                   cJSON_IsTrue(tp) ? ", pool" : "");
    first = 0;
  }
  cell(b, t.p ? t.p : "", 600);
  gf_sbuf_free(&t);
}

/* Source files with the bug's shape (hints.js): the first two, and how many more. */
static void hints_cell(gf_sbuf *b, const cJSON *row) {
  gf_sbuf t = {0};
  const cJSON *h, *all = cJSON_GetObjectItemCaseSensitive(row, "hints");
  int n = 0;
  cJSON_ArrayForEach(h, all)
    if (cJSON_IsString(h) && n++ < 2) gf_sbuf_printf(&t, "%s%s", t.len ? ", " : "", h->valuestring);
  if (n > 2) gf_sbuf_printf(&t, " (+%d)", n - 2);
  cell(b, t.p ? t.p : "", 300);
  gf_sbuf_free(&t);
}

static void builds_cell(gf_sbuf *b, const cJSON *row) {
  gf_sbuf t = {0};
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(row, "builds"))
    if (cJSON_IsString(e)) gf_sbuf_printf(&t, "%s%s", t.len ? ", " : "", e->valuestring);
  cell(b, t.p ? t.p : "none", 200);
  gf_sbuf_free(&t);
}

static void binding_cell(gf_sbuf *b, const cJSON *row) {
  const cJSON *bind = cJSON_GetObjectItemCaseSensitive(row, "binding");
  char tmp[96];
  snprintf(tmp, sizeof tmp, "%s%s%s", str(bind, "style"), str(bind, "napi")[0] ? " napi " : "",
           str(bind, "napi"));
  cell(b, tmp, sizeof tmp);
}

static void seconds_cell(gf_sbuf *b, const cJSON *row) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(row, "seconds");
  char tmp[128];
  snprintf(tmp, sizeof tmp, "%.0f / %.0f / %.0f / %.0f", num(s, "fetch"), num(s, "build"),
           num(s, "discover"), num(s, "fuzz"));
  cell(b, tmp, sizeof tmp);
}

static void findings_cell(gf_sbuf *b, const cJSON *row) {
  gf_sbuf t = {0};
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(row, "findings"))
    gf_sbuf_printf(&t, "%s%s (needs GC %s, fresh %s, warm %s%s)", t.len ? "; " : "",
                   str(f, "signature"), str(f, "needs_gc"), str(f, "fresh"), str(f, "warm"),
                   strcmp(str(f, "surface"), "native") == 0 ? "; through the .node, not the public API" : "");
  int other = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(row, "not_lifetime"));
  int unseen = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(row, "not_reproduced"));
  if (other) gf_sbuf_printf(&t, "%s%d not lifetime (fail with inputs kept)", t.len ? "; " : "", other);
  if (unseen) gf_sbuf_printf(&t, "%s%d not reproduced in confirmation", t.len ? "; " : "", unseen);
  const char *why = str(row, "reason");
  if (!t.len && why[0]) gf_sbuf_printf(&t, "%s failed: %s", str(row, "failed_phase"), why);
  cell(b, t.p ? t.p : "none", 1200);
  gf_sbuf_free(&t);
}

static void row_md(gf_sbuf *b, const cJSON *row) {
  char pkg[300];
  snprintf(pkg, sizeof pkg, "%s%s%s", str(row, "name")[0] ? str(row, "name") : str(row, "spec"),
           str(row, "version")[0] ? "@" : "", str(row, "version"));
  gf_sbuf_printf(b, "|");
  cell(b, pkg, sizeof pkg);
  binding_cell(b, row);
  builds_cell(b, row);
  cellf(b, "%.0f", num(row, "exports"));
  cellf(b, "%.0f", num(row, "async_calls"));
  cellf(b, "%.0f", num(row, "threadpool_calls"));
  hints_cell(b, row);
  entries_cell(b, row);
  cellf(b, "%.0f", num(row, "execs"));
  findings_cell(b, row);
  seconds_cell(b, row);
  cell(b, str(row, "status"), 32);
  gf_sbuf_printf(b, "\n");
}

/* Below the table: each finding with its record and report, each probe
 * crash with its call. */
static void details_md(gf_sbuf *b, const cJSON *row) {
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(row, "findings")) {
    gf_sbuf_printf(b, "- **%s**:", str(row, "spec"));
    cell(b, str(f, "signature"), 300);
    gf_sbuf_printf(b, " record [%s/%s](%s/%s), report [%s/out/report.md](%s/out/report.md)\n",
                   str(row, "dir"), str(f, "record"), str(row, "dir"), str(f, "record"),
                   str(row, "dir"), str(row, "dir"));
  }
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(row, "probe_crashes")) {
    gf_sbuf_printf(b, "- %s: probe crashed:", str(row, "spec"));
    cell(b, str(f, "call"), 200);
    cell(b, str(f, "how"), 100);
    gf_sbuf_printf(b, " (with its inputs kept: not a lifetime finding; see %s/discover.log)\n",
                   str(row, "dir"));
  }
}

int gf_hunt_write_md(const cJSON *hunt, const char *path, gf_err *err) {
  gf_sbuf b = {0};
  const cJSON *pkgs = cJSON_GetObjectItemCaseSensitive(hunt, "packages"), *row;
  gf_sbuf_printf(&b, "# gcfuzz hunt\n\n%s\n\n", str(hunt, "environment"));
  gf_sbuf_printf(&b, "| package | binding | builds | exports | async | threadpool | suspect sources "
                     "| entries (oracle) | execs | findings | s fetch / build / discover / fuzz | status |\n"
                     "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  cJSON_ArrayForEach(row, pkgs) row_md(&b, row);
  gf_sbuf_printf(&b, "\n");
  cJSON_ArrayForEach(row, pkgs) details_md(&b, row);
  int rc = b.oom ? gf_errf(err, "%s: out of memory", path) : gf_write_atomic(path, b.p, b.len, err);
  gf_sbuf_free(&b);
  return rc;
}
