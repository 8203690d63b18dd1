/* gf_replay.h - runs saved cases in fresh processes and tallies, per case
 * and per Node binary, how often each reproduces. Used by `replay` and by
 * `ci` (which replays its buckets on the config's Node matrix).
 *
 * A run reproduces a crash record when it fails with the record's
 * signature, or with that of another manifestation of the same bug
 * (gf_bugs.h); a plain case, when it fails at all.
 */
#ifndef GF_REPLAY_H
#define GF_REPLAY_H

#include <cjson/cJSON.h>
#include <limits.h>

#include "gf_case.h"
#include "gf_config.h"

typedef struct gf_node_tally {
  char version[32];
  unsigned runs, reproduced;
} gf_node_tally;

/* A signature a run may fail with (want_sig's hash computed alongside). */
typedef struct gf_sig_ref {
  char sig[512];
  char hash[17];
} gf_sig_ref;

#define GF_REPLAY_SAME_BUG 8

typedef struct gf_replay_item {
  char path[PATH_MAX];
  gf_case c;
  char want_hash[17]; /* "" for a plain case: any failure reproduces */
  char want_sig[512];
  unsigned runs, reproduced, other, harness_errors;
  char other_sig[512];
  /* The record's other manifestations of its bug (gf_bugs.h: its
   * same_bug_as, its manifestations): a run failing as one reproduces it. */
  gf_sig_ref same_bug[GF_REPLAY_SAME_BUG];
  int nsame_bug;
  unsigned reproduced_same_bug; /* of reproduced, as one of those */
  char same_bug_sig[512];       /* the last such signature seen */
  /* Run on another build than the record's (--build): a use-after-free
   * shows there as that build's failure (a release record's wrong result
   * is an ASan report under ASan), so a memory-error failure of the case,
   * or one of the record's kind, reproduces it. */
  int cross_build;
  unsigned reproduced_other_build; /* of reproduced, as such a failure */
  char other_build_sig[512];       /* the last one seen */
  int slow_case; /* a timeout record whose patience run finished: no hang */
  gf_node_tally node[GF_MAX_NODES];
  int node_now; /* index into node[] of the Node being run */
  gf_flag_set v8_flags; /* a record's: its runs use the V8 flags it was found with */
  int flag_set;         /* their index in the run's plan */
  char build[PATH_MAX]; /* the build its runs use: the record's addon_build, or the config's */
  int build_from_cli;   /* build is --build's */
  int sanitizer;        /* the record's (GF_SAN_*; AUTO: it does not say) */
  unsigned rec_runs, rec_reproduced; /* the record's reproducibility (0/0: unknown) */
  unsigned rec_warm_runs, rec_warm_reproduced; /* its reproducibility_warm: warm runs too */
  unsigned warm_runs, warm_reproduced; /* of runs/reproduced, the warm ones */
  unsigned clean[2];                   /* runs with no failure at all: [fresh, warm] */
  unsigned want_runs;   /* K for this item */
  char node_path[PATH_MAX];  /* the node its runs use: the record's (when it is still
                                there), or the config's */
  char rec_node_version[32]; /* the record's node_version ("" unknown) */
} gf_replay_item;

/* The verdict rule (doc/triage.md "The verdict rule"): reproduced if any run hit the
 * signature; for a record whose rate p = reproduced/runs is known (and w,
 * its warm rate), "fixed" only when a live bug would have been missed in all
 * clean runs with chance (1-p)^K * (1-w)^Kw < 5 % and the runs were on the
 * Node version the record was found on, else "inconclusive"; a plain case (no rate) with no
 * failure is "clean"; "error" when no run reached the harness. */
#define GF_REPLAY_MAX_MISS 0.05
const char *gf_replay_verdict(const gf_replay_item *it, double *miss_chance);

/* The smallest K with (1-p)^K < 5 % for the record's rate (3..1000); 10
 * when the rate is unknown. */
unsigned gf_replay_runs_auto(const gf_replay_item *it);

/* The runs' Node version is not the one the record was found on. */
int gf_replay_node_differs(const gf_replay_item *it);

/* Loads a case file or crash record; entry (or NULL) overrides its entry,
 * build (or NULL) the record's build; cfg_build is the build otherwise. */
int gf_replay_load(gf_replay_item *it, const char *path, const char *entry, const char *build,
                   const char *cfg_build, gf_err *err);

/* Runs every item want_runs times on `node` (tallied under node_index),
 * with `workers` processes at a time; each on its build and with its
 * record's V8 flags (a replay repeats what was found). */
int gf_replay_run(const gf_config *cfg, const char *node, int node_index, unsigned workers,
                  gf_replay_item *items, size_t n);

/* [{"version","runs","reproduced"}] (as_map: {"v22.1.0": {"runs","reproduced"}}). */
cJSON *gf_replay_nodes_json(const gf_replay_item *it, int nnodes, int as_map);

/* What gf_replay_record keeps in each record: "reproduces_on" (the map
 * above), "last_replay" (the verdict, doc/output.md "The crash record"). */
enum { GF_KEEP_NODES = 1, GF_KEEP_VERDICT = 2 };

/* Each record among items that lives in OUT/crashes/ gets the fields
 * `keep` asks for: written, or posted to OUT/inbox/ while a soak holds it. */
void gf_replay_record(const gf_replay_item *items, size_t n, int nnodes, int keep);

cJSON *gf_replay_item_json(const gf_replay_item *it, int nnodes);

#endif
