/* gf_config.h - the daemon's configuration (doc/config.md).
 *
 * Loaded strictly: an unknown field, a wrong type or an out-of-range value is
 * an error naming the field, reported before anything starts. Relative paths
 * in a config file are relative to that file's directory; without a config
 * file, to the gcfuzz project root (the parent of the binary's directory).
 */
#ifndef GF_CONFIG_H
#define GF_CONFIG_H

#include <limits.h>
#include <stdint.h>

#include "gf_case.h"
#include "gf_err.h"

#define GF_MAX_ARGS 16
#define GF_MAX_ENV 32
#define GF_MAX_ENTRIES 32
#define GF_MAX_PATTERNS 8
#define GF_ARG_MAX 512
#define GF_MAX_NODES 8
#define GF_MAX_SYNC 8
#define GF_MAX_FLAG_SETS 8
#define GF_MAX_SET_FLAGS 4
#define GF_FLAG_MAX 64

/* V8 flags a worker is started with (after node_args), e.g.
 * {"--stress-scavenge=50"}; the runner picks one set per worker. */
typedef struct gf_flag_set {
  char flag[GF_MAX_SET_FLAGS][GF_FLAG_MAX];
  int n;
} gf_flag_set;

/* Bounds on every case the runner sends: seeds above them are clamped, the
 * mutator stays inside them. They keep one case from taking the host down. */
typedef struct gf_limits {
  uint32_t max_elems, max_elem_len, max_delay_us, max_concurrency, max_steps;
  uint32_t max_stagger, max_gate; /* input shapes; max_gate 0 forbids the gate */
  uint32_t max_teardown;          /* 0 forbids environment teardown, 1 allows terminate only */
  uint32_t max_corpus;            /* feedback keeps no more cases than this */
  uint32_t max_immediate, max_sleep_ms, max_alloc_kb; /* GC-step arguments */
  uint32_t gc_ops; /* bit (1 << GF_OP_*) per op the runner may send */
  uint64_t max_total_doubles;
} gf_limits;

typedef struct gf_config {
  char source[PATH_MAX]; /* the file it came from, "" for built-in defaults */
  char node[PATH_MAX];
  char nodes[GF_MAX_NODES][PATH_MAX]; /* the version matrix (replay --all-nodes) */
  int n_nodes;
  char node_args[GF_MAX_ARGS][GF_ARG_MAX];
  int n_node_args;
  uint32_t max_old_space_mb;
  gf_flag_set v8_flags[GF_MAX_FLAG_SETS]; /* default: one empty set */
  int n_flag_sets;
  char harness[PATH_MAX];
  char target[PATH_MAX]; /* the target module for harness/run.js; "" = none */
  uint32_t threadpool_size; /* UV_THREADPOOL_SIZE of every worker */
  int sanitizer;            /* GF_SAN_* */
  char harness_args[GF_MAX_ARGS][GF_ARG_MAX];
  int n_harness_args;
  char build[PATH_MAX];
  char env[GF_MAX_ENV][GF_ARG_MAX]; /* "KEY=VALUE" */
  int n_env;
  char libasan[PATH_MAX]; /* "" = ask the C compiler */
  char entry[GF_ENTRY_MAX]; /* "" = each case keeps its own entry */
  char entries[GF_MAX_ENTRIES][GF_ENTRY_MAX];
  int n_entries;
  uint32_t workers; /* 0 = number of CPUs */
  int persistent;   /* 0: one process per case (harness --once) */
  uint32_t timeout_ms, grace_ms, stats_interval_ms;
  uint32_t max_case_ms;      /* nominal duration cap of a generated case (0: timeout_ms / 4) */
  uint32_t startup_timeout_ms; /* until a worker's ready line */
  uint32_t rss_limit_mb; /* a worker above this resident size is killed (kind oom); 0: none */
  uint32_t max_buckets;  /* buckets kept; past it new signatures are only counted */
  int native_frames;     /* release builds: preload the crash handler (gf_native.h) */
  uint32_t confirm_runs;
  uint32_t confirm_slots; /* fresh processes confirmation runs at once, beside the workers */
  int minimize_new; /* soak: minimize each new, confirmed bucket in the background */
  uint32_t crash_bias;
  int feedback;             /* keep clean cases that reach new window features */
  uint32_t feedback_weight; /* their parent weight */
  int favoured;             /* per feature its cheapest case, bred from first (gf_favour.h) */
  char seeds[PATH_MAX];
  char sync_dirs[GF_MAX_SYNC][PATH_MAX]; /* other soaks' OUTs to import cases from (gf_sync.h) */
  int n_sync_dirs;
  uint32_t sync_interval_ms;
  char target_frames[GF_MAX_PATTERNS][128];
  int n_target_frames;
  gf_limits limits;
  char control_entry[GF_ENTRY_MAX];
  uint32_t control_max_s;
  char control_target[PATH_MAX]; /* "" = the target under test */
  char control_build[PATH_MAX];  /* "" = build */
  char control_seeds[PATH_MAX];  /* with control_target: its seeds */
  int control_builtin;           /* "builtin": the demo's, built like the build under test */
} gf_config;

/* Which sanitizer runtime the workers need preloaded. auto: address for the
 * build names ending in "asan" (the demo addon's), none otherwise. */
enum { GF_SAN_AUTO, GF_SAN_NONE, GF_SAN_ADDRESS };

/* confirm_runs' default, and what a step that needs runs when the config
 * turned confirmation off (0) uses instead: one value, here. */
#define GF_CONFIRM_RUNS_DEFAULT 5
unsigned gf_config_confirm_runs(const gf_config *cfg);

/* Runs cfg on another build (replay, minimize, repro). Its sanitizer: for
 * the record's own build the record's (rec_sanitizer: GF_SAN_*, AUTO when
 * the record does not say); for a --build the config's when it names one
 * (checking a fix on another ASan .node path needs ASan too), else what the
 * build's name says. */
void gf_config_use_build(gf_config *cfg, const char *build, int from_cli, int rec_sanitizer);
/* A record's "sanitizer" field: GF_SAN_ADDRESS, GF_SAN_NONE, or GF_SAN_AUTO. */
int gf_sanitizer_from_name(const char *name);

/* A flag set from JSON (an array of "--flag" strings); where names the
 * field in errors. */
int gf_flag_set_from_json(gf_flag_set *fs, const cJSON *a, const char *where, gf_err *err);
cJSON *gf_flag_set_to_json(const gf_flag_set *fs);

/* The index of set in cfg->v8_flags, or -1. */
int gf_config_find_flag_set(const gf_config *cfg, const gf_flag_set *set);

/* The index of set in cfg->v8_flags, added if new; -1 when the table is
 * full (replay of records found with many different sets). */
int gf_config_flag_set_index(gf_config *cfg, const gf_flag_set *set);

/* The files workers need are there (node executable or in PATH; harness,
 * target, control.target regular files): checked before anything starts or
 * any output is created, errors naming the field and the path. */
/* The absolute path of a program: prog itself (with a '/') or found in
 * PATH, symlinks resolved. -1 when it is not there or not executable. */
int gf_which(const char *prog, char *out, size_t cap);

int gf_config_check_paths(const gf_config *cfg, gf_err *err);

/* Whether workers of this config need the ASan runtime preloaded. */
int gf_config_wants_asan(const gf_config *cfg);

/* The config of ci's control phase: control.target/control.build in place of
 * target/build, and control.entry as its only entry. */
void gf_config_for_control(const gf_config *cfg, gf_config *out);

/* Built-in defaults, paths resolved against root. */
void gf_config_default(gf_config *cfg, const char *root);

/* Parses config text over the defaults; relative paths against base. */
int gf_config_parse(gf_config *cfg, const char *text, const char *base, const char *root,
                    gf_err *err);

/* Loads path over the defaults; errors are prefixed with the path. */
int gf_config_load(gf_config *cfg, const char *path, const char *root, gf_err *err);

/* Whether the harness is known to have `entry` (cfg->entries; an empty
 * list leaves it to the harness, which refuses unknown entries). */
int gf_config_has_entry(const gf_config *cfg, const char *entry);

/* The largest argument the limits allow for a step op (array ops: max_elems). */
uint32_t gf_limits_step_max(const gf_limits *l, int op);

/* The largest value the limits allow for field f of c (shared and dups are
 * also bounded by c's elems). */
uint32_t gf_limits_field_max(const gf_limits *l, const gf_case *c, int f);

/* Clamps c into cfg->limits; returns how many fields it changed. */
int gf_config_clamp_case(const gf_config *cfg, gf_case *c);

#endif
