/* gf_inbox.h - record changes posted to a daemon that holds OUT.
 *
 * `minimize` and `replay` add fields to a record (minimized_case,
 * minimized_rate, reproduces_on). While a soak holds OUT's lock they must
 * not rewrite the record themselves (the daemon would overwrite it from
 * memory within milliseconds), so they post the change:
 *
 *   OUT/inbox/<hash>-<pid>-<n>.json  {"hash": H, "fields": {...}}
 *
 * written atomically. The daemon applies each file every stats interval,
 * and any writer does so when it opens OUT, then removes it. A file that
 * is not a valid change (bad JSON, unknown bucket, a field other commands
 * may not set) is renamed *.bad, with a line naming it and the reason.
 */
#ifndef GF_INBOX_H
#define GF_INBOX_H

#include <cjson/cJSON.h>

#include "gf_err.h"

struct gf_store;

int gf_inbox_post(const char *out_dir, const char *hash, const cJSON *fields, gf_err *err);

/* Applies and removes what is in s's inbox, at most max files (0: all);
 * returns how many applied. A running daemon takes GF_INBOX_BATCH per stats
 * interval: a burst of posts (each a record write and its fsync) must not
 * stall its loop - stats, timeouts and signals go on meanwhile. */
#define GF_INBOX_BATCH 16
int gf_inbox_apply(struct gf_store *s, int max);

/* Sets fields on record hash of out_dir: at once when OUT is free (0), or
 * through the inbox when a daemon holds it (1, err says so); -1 on error. */
int gf_inbox_amend(const char *out_dir, const char *hash, const cJSON *fields, gf_err *err);

#endif
