/* report_md.c - DIR/report.md: the bucket table in Markdown, for CI logs and
 * issue trackers. */
#include <stdio.h>
#include <string.h>

#include "gf_bugs.h"
#include "gf_fs.h"
#include "gf_run.h"
#include "gf_sbuf.h"

/* Table cells: no newlines, and '|' escaped. */
static void cell(gf_sbuf *b, const char *s) {
  gf_sbuf_printf(b, " ");
  for (; *s; s++) {
    if (*s == '|')
      gf_sbuf_printf(b, "\\|");
    else if (*s == '\n' || *s == '\r')
      gf_sbuf_printf(b, " ");
    else
      gf_sbuf_printf(b, "%c", *s);
  }
  gf_sbuf_printf(b, " |");
}

int gf_write_report_md(const gf_run *r, const char *path, gf_err *err) {
  gf_sbuf b = {0};
  gf_sbuf_printf(&b, "# gcfuzz report: %s\n\n%.0f execs in %.0f s, %zu bucket(s), %zu bug(s).\n\n",
                 r->dir, r->execs, r->uptime_s, r->store.n, gf_bugs_count(&r->store));
  gf_sbuf_printf(&b, "Status: the last `gcfuzz replay` of each bucket. Replay from this folder, "
                     "CONFIG the run's config.\n\n"
                     "| status | kind | signature | entry | count | first seen | last seen | "
                     "fresh | warm | needs GC | minimized case | replay |\n"
                     "| --- | --- | --- | --- | ---: | --- | --- | --- | --- | --- | --- | --- |\n");
  for (size_t i = 0; i < r->store.n; i++) {
    const gf_bucket *bk = r->order[i];
    char rate[32], warm[32], mrate[32], count[32], gc[64], minimized[1024] = "-", status[256], cmd[128];
    gf_rec_rate(bk, "reproducibility", rate, sizeof rate);
    gf_rec_rate(bk, "reproducibility_warm", warm, sizeof warm);
    gf_rec_status(bk, status, sizeof status);
    gf_rec_replay_cmd(bk, cmd, sizeof cmd);
    gf_rec_rate(bk, "minimized_rate", mrate, sizeof mrate);
    const cJSON *mc = cJSON_GetObjectItemCaseSensitive(bk->record, "minimized_case");
    if (mc) {
      char *s = cJSON_PrintUnformatted(mc);
      snprintf(minimized, sizeof minimized, "`%s` (%s)", s ? s : "?", mrate);
      cJSON_free(s);
    }
    snprintf(count, sizeof count, "%llu", (unsigned long long)bk->count);
    gf_sbuf_printf(&b, "|");
    cell(&b, status);
    cell(&b, gf_kind_name(bk->kind));
    const char *root = gf_bug_root_hash(bk);
    char sig[700], note[640], sig_note[1400];
    if (root)
      snprintf(sig, sizeof sig, "`%s` (same bug as `%.16s`)", bk->signature, root);
    else
      snprintf(sig, sizeof sig, "`%s`%s", bk->signature,
               gf_bug_slow(bk) ? " (" GF_SLOW_CASE ")" : "");
    gf_rec_note(bk, note, sizeof note);
    snprintf(sig_note, sizeof sig_note, "%s%s%s%s", sig, note[0] ? "<br>`" : "", note, note[0] ? "`" : "");
    cell(&b, sig_note);
    cell(&b, bk->entry);
    cell(&b, count);
    cell(&b, gf_rec_str(bk, "first_seen"));
    cell(&b, gf_rec_str(bk, "last_seen"));
    cell(&b, rate);
    cell(&b, warm);
    gf_bug_needs_gc_text(bk, gc, sizeof gc);
    cell(&b, gc);
    cell(&b, minimized);
    gf_sbuf_printf(&b, " `%s` |\n", cmd);
  }
  if (r->store.n == 0) gf_sbuf_printf(&b, "\nNo crash.\n");
  int rc = b.oom ? gf_errf(err, "out of memory") : gf_write_atomic(path, b.p, b.len, err);
  gf_sbuf_free(&b);
  return rc;
}
