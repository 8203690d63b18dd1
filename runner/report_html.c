/* report_html.c - DIR/report.html: one self-contained page (inline CSS and
 * SVG, no script, no network): run summary, charts of execs/s, crashes,
 * corpus size and window features over time from stats.jsonl, the bucket
 * table, each bucket's stacks. */
#include <stdio.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_fs.h"
#include "gf_run.h"
#include "gf_sbuf.h"

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
    ".muted{color:#667}.note{font-family:monospace}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #d5d9e0;padding:4px 6px;text-align:left;vertical-align:top}"
    "th{background:#f0f2f6}td.num{text-align:right}code{font:12px ui-monospace,monospace}"
    ".kind{font-weight:600}.k-asan,.k-signal,.k-v8_fatal{color:#b00020}"
    ".k-mismatch{color:#a05a00}.k-timeout,.k-exit,.k-exception{color:#5a3fa0}"
    "td code{word-break:break-all}pre{background:#f7f8fa;border:1px solid #e3e6eb;padding:8px;overflow:auto;font-size:12px}"
    ".charts{display:flex;gap:24px;flex-wrap:wrap}svg{background:#fbfcfd;border:1px solid #e3e6eb}";

typedef double (*sample_value)(const gf_sample *s);
static double v_rate(const gf_sample *s) { return s->execs_per_s; }
static double v_crashes(const gf_sample *s) { return s->crashes; }
static double v_corpus(const gf_sample *s) { return s->corpus; }
static double v_features(const gf_sample *s) { return s->features; }

/* A line chart of one series against time, 480x180. */
static void chart(gf_sbuf *b, const gf_run *r, const char *title, sample_value v,
                  const char *color) {
  const double W = 480, H = 180, L = 48, R = 12, T = 24, B = 28;
  double tmax = 0, ymax = 0;
  for (size_t i = 0; i < r->nhist; i++) {
    if (r->hist[i].t > tmax) tmax = r->hist[i].t;
    if (v(&r->hist[i]) > ymax) ymax = v(&r->hist[i]);
  }
  if (tmax <= 0) tmax = 1;
  if (ymax <= 0) ymax = 1;
  gf_sbuf_printf(b, "<svg role=\"img\" aria-label=\"%s\" width=\"%.0f\" height=\"%.0f\" "
                    "viewBox=\"0 0 %.0f %.0f\" xmlns=\"http://www.w3.org/2000/svg\">",
                 title, W, H, W, H);
  gf_sbuf_printf(b, "<text x=\"%.0f\" y=\"16\" font-size=\"13\" font-weight=\"600\">%s</text>", L,
                 title);
  gf_sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#889\"/>"
                    "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#889\"/>",
                 L, H - B, W - R, H - B, L, T, L, H - B);
  gf_sbuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%.4g</text>"
                    "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">0</text>"
                    "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%.0f s</text>",
                 L - 4, T + 4, ymax, L - 4, H - B, W - R, H - 8, tmax);
  if (r->nhist < 2) {
    gf_sbuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" fill=\"#667\">"
                      "not enough history yet</text></svg>",
                   L + 12, H / 2);
    return;
  }
  gf_sbuf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", color);
  for (size_t i = 0; i < r->nhist; i++)
    gf_sbuf_printf(b, "%.1f,%.1f ", L + r->hist[i].t / tmax * (W - L - R),
                   H - B - v(&r->hist[i]) / ymax * (H - B - T));
  gf_sbuf_printf(b, "\"/></svg>");
}

static void td(gf_sbuf *b, const char *cls, const char *text) {
  gf_sbuf_printf(b, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
  gf_sbuf_escape(b, text);
  gf_sbuf_printf(b, "</td>");
}

static void bucket_row(gf_sbuf *b, const gf_bucket *bk) {
  char rate[32], warm[32], mrate[32], count[32], kcls[48], gc[64], status[256], cmd[128];
  gf_rec_rate(bk, "reproducibility", rate, sizeof rate);
  gf_rec_rate(bk, "reproducibility_warm", warm, sizeof warm);
  gf_rec_status(bk, status, sizeof status);
  gf_rec_replay_cmd(bk, cmd, sizeof cmd);
  gf_rec_rate(bk, "minimized_rate", mrate, sizeof mrate);
  snprintf(count, sizeof count, "%llu", (unsigned long long)bk->count);
  snprintf(kcls, sizeof kcls, "kind k-%s", gf_kind_name(bk->kind));
  gf_sbuf_printf(b, "<tr class=\"bucket\" id=\"b-%s\">", bk->hash);
  td(b, "status", status);
  td(b, kcls, gf_kind_name(bk->kind));
  gf_sbuf_printf(b, "<td><a href=\"#s-%s\"><code>", bk->hash);
  gf_sbuf_escape(b, bk->signature);
  gf_sbuf_printf(b, "</code></a>");
  const char *root = gf_bug_root_hash(bk);
  if (root) { /* a record's text: escaped like any other */
    gf_sbuf_printf(b, "<br><span class=\"muted\">same bug as <a href=\"#b-");
    gf_sbuf_escape(b, root);
    gf_sbuf_printf(b, "\">");
    gf_sbuf_escape(b, root);
    gf_sbuf_printf(b, "</a></span>");
  } else if (gf_bug_slow(bk)) {
    gf_sbuf_printf(b, "<br><span class=\"muted\">" GF_SLOW_CASE "</span>");
  }
  char note[640];
  gf_rec_note(bk, note, sizeof note);
  if (note[0]) { /* worker text: escaped */
    gf_sbuf_printf(b, "<br><span class=\"note\">");
    gf_sbuf_escape(b, note);
    gf_sbuf_printf(b, "</span>");
  }
  gf_sbuf_printf(b, "</td>");
  td(b, NULL, bk->entry);
  td(b, "num", count);
  td(b, NULL, gf_rec_str(bk, "first_seen"));
  td(b, NULL, gf_rec_str(bk, "last_seen"));
  td(b, "num", rate);
  td(b, "num", warm);
  gf_bug_needs_gc_text(bk, gc, sizeof gc);
  td(b, NULL, gc);
  const cJSON *mc = cJSON_GetObjectItemCaseSensitive(bk->record, "minimized_case");
  char *mtext = mc ? cJSON_PrintUnformatted(mc) : NULL;
  gf_sbuf_printf(b, "<td>");
  if (mtext) {
    gf_sbuf_printf(b, "<code>");
    gf_sbuf_escape(b, mtext);
    gf_sbuf_printf(b, "</code> (%s)", mrate);
  } else {
    gf_sbuf_printf(b, "-");
  }
  gf_sbuf_printf(b, "</td><td><code>");
  cJSON_free(mtext);
  gf_sbuf_escape(b, cmd);
  gf_sbuf_printf(b, "</code></td></tr>\n");
}

static void stack(gf_sbuf *b, const gf_bucket *bk, const char *key, const char *title) {
  const cJSON *frames = cJSON_GetObjectItemCaseSensitive(bk->record, key), *fr;
  if (cJSON_GetArraySize(frames) == 0) return;
  gf_sbuf_printf(b, "<p class=\"muted\">%s</p><pre>", title);
  int i = 0;
  cJSON_ArrayForEach(fr, frames) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(fr, "target");
    gf_sbuf_printf(b, "%s#%d ", cJSON_IsTrue(t) ? "<b>" : "", i++);
    gf_sbuf_escape(b, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fr, "function")));
    gf_sbuf_printf(b, "  ");
    gf_sbuf_escape(b, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fr, "location")));
    gf_sbuf_printf(b, "%s\n", cJSON_IsTrue(t) ? "</b>" : "");
  }
  gf_sbuf_printf(b, "</pre>");
}

static void stacks_section(gf_sbuf *b, const gf_bucket *bk) {
  gf_sbuf_printf(b, "<h3 id=\"s-%s\"><code>", bk->hash);
  gf_sbuf_escape(b, bk->signature);
  gf_sbuf_printf(b, "</code></h3>");
  stack(b, bk, "frames", "crash / access stack (target frames in bold)");
  stack(b, bk, "free_frames", "freed by");
  stack(b, bk, "alloc_frames", "allocated by");
  const char *tail = gf_rec_str(bk, "stderr_tail");
  size_t n = strlen(tail);
  gf_sbuf_printf(b, "<details><summary>stderr tail</summary><pre>");
  gf_sbuf_escape(b, n > 4000 ? tail + n - 4000 : tail);
  gf_sbuf_printf(b, "</pre></details>\n");
}

int gf_write_report_html(const gf_run *r, const char *path, gf_err *err) {
  gf_sbuf b = {0};
  gf_sbuf_printf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>gcfuzz report</title><style>%s</style></head><body>\n", css);
  gf_sbuf_printf(&b, "<h1>gcfuzz report</h1><p class=\"muted\"><code>");
  gf_sbuf_escape(&b, r->dir);
  gf_sbuf_printf(&b, "</code> &middot; <span id=\"execs\">%.0f</span> execs in %.0f s &middot; "
                     "<span id=\"nbuckets\">%zu</span> bucket(s), "
                     "<span id=\"nbugs\">%zu</span> bug(s)</p>\n",
                 r->execs, r->uptime_s, r->store.n, gf_bugs_count(&r->store));
  /* The buckets first: what a maintainer opens the report for. */
  gf_sbuf_printf(&b, "<h2>Buckets</h2>\n<p class=\"muted\">status: the last <code>gcfuzz replay</code>; "
                     "replay from this folder, CONFIG the run's config</p>\n"
                     "<table id=\"buckets\"><thead><tr><th>status</th><th>kind</th>"
                     "<th>signature</th><th>entry</th><th>count</th><th>first seen</th>"
                     "<th>last seen</th><th>fresh</th><th>warm</th><th>needs GC</th><th>minimized case</th>"
                     "<th>replay</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < r->store.n; i++) bucket_row(&b, r->order[i]);
  gf_sbuf_printf(&b, "</tbody></table>\n%s", r->store.n ? "" : "<p>No crash.</p>");
  gf_sbuf_printf(&b, "<h2>Over time</h2><div class=\"charts\">");
  chart(&b, r, "execs/s", v_rate, "#2160c4");
  chart(&b, r, "crashes (cumulative)", v_crashes, "#b00020");
  chart(&b, r, "corpus (cases)", v_corpus, "#2e7d32");
  chart(&b, r, "window features", v_features, "#7b1fa2");
  gf_sbuf_printf(&b, "</div>\n<h2>Stacks</h2>\n");
  for (size_t i = 0; i < r->store.n; i++) stacks_section(&b, r->order[i]);
  gf_sbuf_printf(&b, "</body></html>\n");
  int rc = b.oom ? gf_errf(err, "out of memory") : gf_write_atomic(path, b.p, b.len, err);
  gf_sbuf_free(&b);
  return rc;
}
