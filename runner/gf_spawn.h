/* gf_spawn.h - how a worker process is started: argv and environment.
 *
 * Built once per run from the config, so every worker of a run is started
 * the same way, and a record can say exactly how to start one again.
 *   argv: node <node_args> <v8 flag set> --max-old-space-size=M <harness> <harness_args>
 *         [--target <target>] --build <build> [--once]
 *   env:  the runner's environment + config env + UV_THREADPOOL_SIZE (+
 *         LD_PRELOAD of the compiler's libasan and ASAN_OPTIONS when the
 *         config wants ASan; else of libgcfuzz_crash.so, gf_native.h).
 */
#ifndef GF_SPAWN_H
#define GF_SPAWN_H

#include "gf_config.h"
#include "gf_err.h"

/* allow_user_segv_handler=0: Node installs its own SIGSEGV handler over
 * ASan's, and a segfault in an ASan worker then died with no report (exit
 * 139, no frames). With ASan keeping the signal, V8's WebAssembly trap
 * handler is gone too: ASan workers also get --wasm-enforce-bounds-checks
 * (GF_ASAN_NODE_FLAG), so a wasm out-of-bounds access stays a JS trap and
 * never an ASan SEGV (measured on Node 20: both work). */
/* stack_trace_format: ASan's own, and each frame's module: node-gyp's
 * source paths ("../src/x.cc") do not say which module a frame is in. */
#define GF_ASAN_OPTIONS "detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:allow_user_segv_handler=0" \
                        ":stack_trace_format=\"    #%n %p %F %L {%m}\""
#define GF_ASAN_NODE_FLAG "--wasm-enforce-bounds-checks"

typedef struct gf_spawn_plan {
  char **argv[GF_MAX_FLAG_SETS][2]; /* per V8 flag set: [persistent, once], NULL-terminated */
  int n_sets;
  char **env;
  char libasan[4096]; /* the library preloaded: libasan, or libgcfuzz_crash.so (release) */
  int crash_handler;  /* it is libgcfuzz_crash.so: workers get a crash key (gf_native.h) */
} gf_spawn_plan;

int gf_spawn_plan_init(gf_spawn_plan *p, const gf_config *cfg, gf_err *err);

/* A `node` (or `nodes` entry) whose file name starts with "deno": started
 * as `deno run -A --unstable-detect-cjs --v8-flags=...` (doc/addon.md,
 * "Other runtimes"). Bun takes Node's command line as it is. */
int gf_spawn_is_deno(const char *node);
void gf_spawn_plan_free(gf_spawn_plan *p);

/* Runs argv (no shell) to completion and returns its stdout, trimmed, in
 * out. Uses a private uv loop. */
int gf_run_capture(char *const *argv, char *out, size_t cap, gf_err *err);

/* Runs argv (no shell) to completion with our stdout and stderr; its exit
 * status (128 + N for signal N), or -1 if it could not start. */
int gf_run_inherit(char *const *argv, gf_err *err);

#endif
