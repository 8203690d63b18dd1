/* test_classify.c - classification and signatures on stored stderr samples
 * (tests/fixtures/stderr/: a real ASan report from the borrowed entry, a real
 * V8 OOM, a V8 CHECK failure, garbage, and real crash reports of Bun and
 * Deno: paths shortened, the worker's key made k3y). */
#include "helpers.h"

#include <signal.h>

#include "gf_classify.h"

static gf_outcome outcome(const char *stderr_text, int sig, int64_t code) {
  gf_outcome o;
  memset(&o, 0, sizeof o);
  o.exited = 1;
  o.term_signal = sig;
  o.exit_code = code;
  o.case_in_flight = 1;
  o.stderr_text = stderr_text;
  o.entry = "sum_borrowed";
  o.target_patterns[0] = "../src/";
  o.target_patterns[1] = "gcfuzz_addon";
  return o;
}

static void asan_use_after_free(void **state) {
  (void)state;
  char *text = fixture("stderr/asan_uaf.txt");
  gf_outcome o = outcome(text, SIGABRT, 0);
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_ASAN);
  assert_string_equal(f.bug_type, "heap-use-after-free");
  assert_string_equal(f.access, "READ of size 8");
  assert_string_equal(f.stack.f[0].func, "gf_borrowed_sum");
  assert_true(f.stack.f[0].target);
  assert_false(f.stack.f[2].target); /* node's ThreadPoolWork */
  assert_string_equal(f.free_stack.f[0].func, "__interceptor_free");
  assert_false(f.free_stack.f[0].target); /* sanitizer runtime, never target */
  assert_string_equal(f.free_stack.f[1].func, "gf_elem_free");
  assert_string_equal(f.alloc_stack.f[1].func, "gf_elem_new");
  assert_string_equal(f.signature,
                      "asan:heap-use-after-free:READ:gf_borrowed_sum>job_execute:entry=sum_borrowed");
  assert_int_equal(strlen(f.hash), 16);
  free(text);
}

/* An ASan report with each frame's module (GF_ASAN_OPTIONS): the addon is
 * a module named only in the config (target_frames ["my_addon"]), its
 * sources "../src/x.c" like node's own "../deps/uv/...". The module marks
 * the addon's frames; a pattern naming it matches through it; node's
 * frames stay not the target. The same report without patterns: the
 * .node module alone marks them. */
static void asan_frames_by_module(void **state) {
  (void)state;
  char *text = fixture("stderr/asan_uaf_module.txt");
  for (int with_pattern = 0; with_pattern < 2; with_pattern++) {
    gf_outcome o = outcome(text, SIGABRT, 0);
    o.target_patterns[0] = with_pattern ? "my_addon" : NULL;
    o.target_patterns[1] = NULL;
    gf_finding f;
    assert_int_equal(gf_classify(&o, &f), 1);
    assert_string_equal(f.stack.f[0].func, "gf_borrowed_sum");
    assert_string_equal(f.stack.f[0].location, "../src/core.c:96");
    assert_string_equal(f.stack.f[0].module, "/tmp/modfix/my_addon.node");
    assert_true(f.stack.f[0].target && f.stack.f[1].target);
    assert_false(f.stack.f[2].target); /* node's ThreadPoolWork, its own module */
    assert_string_equal(f.stack.f[2].location, "/usr/bin/node+0xc71348");
    assert_false(f.stack.f[3].target); /* ../deps/uv/src/threadpool.c: node's */
    assert_false(f.free_stack.f[0].target); /* the sanitizer runtime */
    assert_true(f.free_stack.f[1].target);
    assert_string_equal(f.signature,
                        "asan:heap-use-after-free:READ:gf_borrowed_sum>job_execute:entry=sum_borrowed");
  }
  free(text);
}

/* The same bug from another run: other addresses, pids, thread ids, and the
 * tree checked out elsewhere. Same signature. */
static void signature_ignores_addresses_and_paths(void **state) {
  (void)state;
  char *a = fixture("stderr/asan_uaf.txt");
  char *b = strdup(a);
  for (char *p = b; (p = strstr(p, "0x7f")) != NULL; p += 4) memcpy(p, "0x55", 4);
  for (char *p = b; (p = strstr(p, "==")) != NULL; p += 2)
    if (p[2] >= '0' && p[2] <= '9') p[2] = p[2] == '9' ? '1' : p[2] + 1;
  gf_finding fa, fb;
  gf_outcome oa = outcome(a, SIGABRT, 0), ob = outcome(b, 0, 1);
  assert_int_equal(gf_classify(&oa, &fa), 1);
  assert_int_equal(gf_classify(&ob, &fb), 1);
  assert_string_equal(fa.signature, fb.signature);
  assert_string_equal(fa.hash, fb.hash);
  free(a);
  free(b);
}

/* The struct read happens in gf_borrowed_sum, the data read one call deeper
 * (sum_values), depending on which of the two blocks the finalizer freed
 * first. One bug, so one signature: the outermost target frames. The same
 * holds when the helper is inlined (same address as its caller). */
static void helper_frames_do_not_split_a_bug(void **state) {
  (void)state;
  char *a = fixture("stderr/asan_uaf.txt");
  const char *at = strstr(a, "    #0 ");
  assert_non_null(at);
  const char *pc = strstr(at, "0x");
  char inl[160];
  snprintf(inl, sizeof inl, "    #0 %.*s in sum_values ../src/core.c:45\n", (int)strcspn(pc, " "), pc);
  const char *deeper = "    #0 0x7f00000000aa in sum_values ../src/core.c:45\n";
  size_t head = (size_t)(at - a);
  char *b = malloc(strlen(a) + sizeof inl);
  memcpy(b, a, head);
  strcpy(b + head, inl);
  strcat(b, at);
  gf_finding fa, fb;
  gf_outcome oa = outcome(a, SIGABRT, 0), ob = outcome(b, SIGABRT, 0);
  assert_int_equal(gf_classify(&oa, &fa), 1);
  assert_int_equal(gf_classify(&ob, &fb), 1);
  assert_string_equal(fb.stack.f[0].func, "sum_values"); /* kept in the record */
  assert_string_equal(fa.signature, fb.signature);
  /* Not inlined: its own address. */
  memcpy(b, a, head);
  strcpy(b + head, deeper);
  strcat(b, at);
  ob = outcome(b, SIGABRT, 0);
  assert_int_equal(gf_classify(&ob, &fb), 1);
  assert_string_equal(fb.stack.f[1].func, "gf_borrowed_sum");
  assert_string_equal(fa.signature, fb.signature);
  free(a);
  free(b);
}

static void bare_sigsegv(void **state) {
  (void)state;
  gf_outcome o = outcome("", SIGSEGV, 0);
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_SIGNAL);
  assert_string_equal(f.bug_type, "SIGSEGV");
  assert_string_equal(f.signature, "signal:SIGSEGV:entry=sum_borrowed");
  assert_int_equal(f.signal, SIGSEGV);
  assert_int_equal(f.exit_code, -1);
}

/* A release crash reported by the preloaded handler gets frames; a record
 * written before that (no frames) is still its bucket, a record with other
 * frames or another entry is not. */
static void release_frames_and_frameless_records(void **state) {
  (void)state;
  gf_outcome o = outcome("junk\n==gcfuzz-crash== SIGSEGV\n"
                         "    #0 0x7f00 (/x/libgcfuzz_crash.so+0x1338) ?\n"
                         "    #1 0x7f01 (/nonexistent/addon.node+0x1260) addon_work\n"
                         "    #2 0xc713 (node+0x871349) _ZN4node5AbortEv\n"
                         "==gcfuzz-crash== end k3y\n", SIGSEGV, 0);
  o.crash_key = "k3y";
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.signature, "signal:SIGSEGV:addon_work:entry=sum_borrowed");
  assert_true(f.stack.f[1].target);
  assert_false(f.stack.f[2].target);
  assert_true(gf_signature_matches(&f, "signal:SIGSEGV:entry=sum_borrowed", "0000000000000000"));
  assert_true(gf_signature_matches(&f, "signal:SIGSEGV", "0000000000000000")); /* no entry either */
  assert_false(gf_signature_matches(&f, "signal:SIGSEGV:other:entry=sum_borrowed", "0000000000000000"));
  assert_false(gf_signature_matches(&f, "signal:SIGSEGV:entry=sum", "0000000000000000"));
  assert_false(gf_signature_matches(&f, "signal:SIGBUS:entry=sum_borrowed", "0000000000000000"));
}

/* Only the report that ends with the worker's key is read (#22): one the
 * program printed itself (console.error), before the real one, with no key
 * or another, is text, and its frames are nobody's. */
static void forged_release_reports_are_not_read(void **state) {
  (void)state;
  static const char forged[] = "==gcfuzz-crash== SIGSEGV\n"
                               "    #0 0x7f01 (/nonexistent/forged.node+0x1260) forged_fn\n"
                               "==gcfuzz-crash== end %s\n";
  static const char real[] = "==gcfuzz-crash== SIGSEGV\n"
                             "    #0 0x7f01 (/nonexistent/addon.node+0x1260) addon_work\n"
                             "==gcfuzz-crash== end k3y\n";
  const char *keys[] = {"", "k3", "k3y0", "other"};
  char text[512];
  gf_finding f;
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    snprintf(text, sizeof text, forged, keys[i]);
    gf_outcome o = outcome(text, SIGSEGV, 0);
    o.crash_key = "k3y";
    assert_int_equal(gf_classify(&o, &f), 1);
    assert_string_equal(f.signature, "signal:SIGSEGV:entry=sum_borrowed");
    assert_int_equal(f.stack.n, 0);
    strcat(text, "console: x ==gcfuzz-crash== SIGSEGV\n"); /* a mark inside a line is no report */
    strcat(text, real);
    o.stderr_text = text;
    assert_int_equal(gf_classify(&o, &f), 1);
    assert_string_equal(f.signature, "signal:SIGSEGV:addon_work:entry=sum_borrowed");
    o.crash_key = NULL; /* a worker without a key: no report is its */
    assert_int_equal(gf_classify(&o, &f), 1);
    assert_int_equal(f.stack.n, 0);
  }
}

/* Different entries are different bugs even when the worker code is shared
 * (one job_execute for every entry of a C addon): the entry is in the
 * signature, stack or not. */
static void entry_separates_buckets(void **state) {
  (void)state;
  char *text = fixture("stderr/asan_uaf.txt");
  gf_outcome a = outcome(text, SIGABRT, 0), b = a;
  b.entry = "sum_weak_ref";
  gf_finding fa, fb;
  gf_classify(&a, &fa);
  gf_classify(&b, &fb);
  assert_string_not_equal(fa.hash, fb.hash);
  assert_non_null(strstr(fb.signature, ":entry=sum_weak_ref"));
  free(text);
}

/* C++ names stay whole (namespaces, templates, "(anonymous namespace)",
 * operator()): only the trailing parameter list goes. A real report of a
 * nan addon (murmurhash-native with its input Buffer borrowed). */
static void cpp_names_kept_whole(void **state) {
  (void)state;
  char *text = fixture("stderr/asan_uaf_cpp_nan.txt");
  gf_outcome o = outcome(text, SIGABRT, 0);
  o.entry = "hash32";
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.stack.f[3].func,
                      "MurmurHash::MurmurHashWorker<&(PMurHash32(void const*, int, unsigned int, "
                      "void*)), unsigned int, 1, (MurmurHash::ByteOrderType)0>::Execute");
  assert_string_equal(f.stack.f[2].func, "PMurHash32");
  assert_non_null(strstr(f.signature, ":READ:PMurHash32>MurmurHash::MurmurHashWorker<&(PMurHash32("));
  assert_non_null(strstr(f.signature, ">::Execute:entry=hash32"));
  assert_string_equal(f.free_stack.f[5].func, "node::(anonymous namespace)::PlatformWorkerThread");
  /* Two workers in one anonymous namespace are two buckets. */
  static const char *const names[][2] = {
      {"myaddon::(anonymous namespace)::SumWorker::Execute()", "myaddon::(anonymous namespace)::SumWorker::Execute"},
      {"myaddon::(anonymous namespace)::HashWorker::Execute()", "myaddon::(anonymous namespace)::HashWorker::Execute"},
      {"auto myaddon::Run()::$_0::operator()(int) const", "auto myaddon::Run()::$_0::operator()"},
  };
  char hashes[3][17];
  for (int i = 0; i < 3; i++) {
    char *edited = malloc(strlen(text) + 256), *at = strstr(text, "MurmurHash::MurmurHashWorker<");
    char *end = strstr(at, " ../src/asyncworker_impl.h");
    snprintf(edited, strlen(text) + 256, "%.*s%s%s", (int)(at - text), text, names[i][0], end);
    o.stderr_text = edited;
    gf_classify(&o, &f);
    assert_string_equal(f.stack.f[3].func, names[i][1]);
    strcpy(hashes[i], f.hash);
    free(edited);
  }
  assert_string_not_equal(hashes[0], hashes[1]);
  assert_string_not_equal(hashes[1], hashes[2]);
  free(text);
}

/* text with its first `from` replaced by `to` (malloc'd; the test fails
 * when there is none). */
static char *replaced(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  if (at == NULL) fail_msg("no \"%s\" in the text", from);
  char *out = malloc(strlen(text) + strlen(to) + 1);
  sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  return out;
}

static gf_finding classified(const char *text, int sig, int64_t code) {
  gf_outcome o = outcome(text, sig, code);
  o.crash_key = "k3y";
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  return f;
}

/* Bun's handler runs before the preloaded one (whose report then has the
 * frames of Bun's handler): its banner says what happened and its
 * bun.report trace where - module-relative offsets, the first the fault's.
 * A real report of the demo's borrowed entry on Bun 1.4.5, release. */
static void bun_segfault_report(void **state) {
  (void)state;
  char *text = fixture("stderr/bun_segv.txt");
  gf_finding f = classified(text, SIGSEGV, 0);
  assert_string_equal(gf_kind_name(f.kind), "signal");
  assert_string_equal(f.bug_type, "SIGSEGV");
  assert_string_equal(f.message, "Segmentation fault at address 0x4679A000");
  assert_int_equal(f.stack.n, 5);
  assert_string_equal(f.stack.f[0].location, "+0x2b17"); /* gf_borrowed_sum, in the addon */
  assert_string_equal(f.stack.f[1].location, "+0x31f8b9b"); /* Bun's own */
  assert_string_equal(f.signature, "signal:SIGSEGV:+0x2b17:entry=sum_borrowed");
  /* a record written before, without the fault's offset, is its bucket */
  assert_true(gf_signature_matches(&f, "signal:SIGSEGV:entry=sum_borrowed", "0000000000000000"));
  free(text);
}

/* The same bug in another run (another freed page, other figures in the
 * header; the real second report) has the same signature; a fault
 * elsewhere (inside Bun's napi_create_object, handed a bad env) another. */
static void bun_signature_is_the_fault_site(void **state) {
  (void)state;
  char *a = fixture("stderr/bun_segv.txt");
  char *b1 = replaced(a, "0x4679A000", "0xCD18000");
  char *b2 = replaced(b1, "A2AggwmvmC", "A2Agggm6M");
  char *b = replaced(b2, "Elapsed: 211ms", "Elapsed: 334ms");
  char *other = fixture("stderr/bun_segv_in_bun.txt");
  gf_finding fa = classified(a, SIGSEGV, 0), fb = classified(b, SIGSEGV, 0);
  gf_finding fo = classified(other, SIGSEGV, 0);
  assert_string_equal(fa.signature, fb.signature);
  assert_string_equal(fo.signature, "signal:SIGSEGV:+0x2bdb11f:entry=sum_borrowed");
  assert_string_not_equal(fa.hash, fo.hash);
  assert_string_equal(fo.stack.f[1].location, "+0x11f2"); /* the addon's caller */
  assert_string_equal(fo.stack.f[2].location, "?");       /* JIT code */
  free(a), free(b1), free(b2), free(b), free(other);
}

/* The first crashing thread's banner is the report ("oh no: multiple
 * threads are crashing" and the others follow); a banner the program
 * printed before Bun's handler ran (before its header) is text. */
static void bun_first_thread_after_the_header(void **state) {
  (void)state;
  static const char more[] = "oh no: multiple threads are crashing\n"
                             "panic: Segmentation fault at address 0x20\n"
                             " https://bun.report/1.4.5/la1a773343ggEggggC+rJA2AgC\n\n==gcfuzz-crash== ";
  static const char forged[] = "panic(main thread): Segmentation fault at address 0x20\n"
                               " https://bun.report/1.4.5/la1a773343ggEggggC+rJA2AgC\n";
  char *text = fixture("stderr/bun_segv.txt");
  char *threads = replaced(text, "==gcfuzz-crash== ", more);
  char *both = malloc(strlen(forged) + strlen(threads) + 1);
  strcat(strcpy(both, forged), threads);
  assert_string_equal(classified(threads, SIGSEGV, 0).signature, "signal:SIGSEGV:+0x2b17:entry=sum_borrowed");
  assert_string_equal(classified(both, SIGSEGV, 0).signature, "signal:SIGSEGV:+0x2b17:entry=sum_borrowed");
  free(text), free(threads), free(both);
}

/* abort() on Bun: its trace starts in libc (every abort's alike, and
 * libc's offset is the machine's), so the signature names no site. */
static void bun_abort_report(void **state) {
  (void)state;
  char *text = fixture("stderr/bun_abort.txt");
  gf_finding f = classified(text, SIGABRT, 0);
  assert_string_equal(f.message, "abort() called");
  assert_string_equal(f.stack.f[0].location, "+0x8aeeb");
  assert_string_equal(f.signature, "signal:SIGABRT:entry=sum_borrowed");
  free(text);
}

/* A banner whose reason is no fault is Bun's own panic (a Zig @panic or
 * safety check: a bug in Bun): kind panic, the message its bug type. None
 * came here, so the reason of the real report is edited. Worker text, so
 * the message is made terminal-safe. */
static void bun_panic_message(void **state) {
  (void)state;
  char *text = fixture("stderr/bun_segv.txt");
  char *unreachable = replaced(text, "Segmentation fault at address 0x4679A000", "reached unreachable code");
  char *oob = replaced(text, "Segmentation fault at address 0x4679A000", "index out of bounds: index 5, len 3\x1b[0m");
  gf_finding f = classified(unreachable, SIGSEGV, 0);
  assert_string_equal(gf_kind_name(f.kind), "panic");
  assert_string_equal(f.signature, "panic:reached unreachable code:entry=sum_borrowed");
  assert_string_equal(f.stack.f[0].location, "+0x2b17"); /* the trace is kept */
  f = classified(oob, SIGABRT, 0);
  assert_string_equal(f.bug_type, "index out of bounds: index N, len N?[Nm");
  assert_string_equal(f.message, "index out of bounds: index 5, len 3?[0m");
  assert_int_equal(gf_kind_from_name("panic"), f.kind);
  free(text), free(unreachable), free(oob);
}

/* napi_fatal_error is one bug on every runtime: Node's "FATAL ERROR:",
 * Bun's panic banner and Deno's "NODE API FATAL ERROR:" (real outputs of
 * one probe addon) give one signature. */
static void napi_fatal_error_on_every_runtime(void **state) {
  (void)state;
  char *bun = fixture("stderr/bun_napi_fatal.txt");
  const char *node = "FATAL ERROR: probe_where probe fatal message\n----- Native stack trace -----\n\n"
                     " 1: 0xb78c78 node::OnFatalError(char const*, char const*) [node]\n";
  const char *deno = "NODE API FATAL ERROR: probe_where probe fatal message\n";
  const char *want = "v8_fatal:probe_where probe fatal message:entry=sum_borrowed";
  assert_string_equal(classified(node, SIGABRT, 0).signature, want);
  assert_string_equal(classified(bun, SIGABRT, 0).signature, want);
  assert_string_equal(classified(deno, SIGABRT, 0).signature, want);
  free(bun);
}

/* Deno's panic hook prints its banner, then Rust's "thread 'main' (TID)
 * panicked at FILE:L:C:" and the message, and exits 1. A V8 check routed
 * through it stays v8_fatal (the real report); a Rust panic (the message
 * edited: none came here) is kind panic, where it panicked first in its
 * bug type. Rust before 1.73 wrote "panicked at 'MSG', FILE:L:C". Only a
 * death counts: an orderly exit that printed one is no finding. */
static void deno_panic_report(void **state) {
  (void)state;
  char *text = fixture("stderr/deno_panic_v8_check.txt");
  assert_string_equal(classified(text, 0, 1).signature,
                      "v8_fatal:Check failed: backing_store->ByteLength() != N implies "
                      "backing_store->Data() != nullptr.:entry=sum_borrowed");
  char *rust = replaced(text, "Fatal error in :0: Check failed: backing_store->ByteLength() != 0 implies "
                        "backing_store->Data() != nullptr.", "called `Option::unwrap()` on a `None` value");
  gf_finding f = classified(rust, 0, 1);
  assert_string_equal(gf_kind_name(f.kind), "panic");
  assert_string_equal(f.bug_type, "cli/lib.rs:N:N: called `Option::unwrap()` on a `None` value");
  assert_string_equal(f.message, "called `Option::unwrap()` on a `None` value");
  f = classified("thread 'main' panicked at 'boom 7', src/lib.rs:3:9\n", SIGABRT, 0);
  assert_string_equal(f.signature, "panic:src/lib.rs:N:N: boom N:entry=sum_borrowed");
  gf_outcome o = outcome(rust, 0, 0);
  o.case_in_flight = 0;
  assert_int_equal(gf_classify(&o, &f), 0);
  free(text), free(rust);
}

static void v8_out_of_memory(void **state) {
  (void)state;
  char *text = fixture("stderr/v8_oom.txt");
  gf_outcome o = outcome(text, SIGABRT, 0);
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_V8_FATAL);
  assert_string_equal(f.bug_type, "Reached heap limit Allocation failed - JavaScript heap out of memory");
  assert_string_equal(f.stack.f[0].func, "node::OOMErrorHandler");
  assert_string_equal(f.stack.f[0].location, "node");
  assert_string_equal(f.signature, "v8_fatal:Reached heap limit Allocation failed - JavaScript "
                                   "heap out of memory:entry=sum_borrowed");
  free(text);
}

static void v8_check_failure_with_target_frames(void **state) {
  (void)state;
  char *text = fixture("stderr/v8_check_failed.txt");
  gf_outcome o = outcome(text, SIGTRAP, 0);
  gf_finding f;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_V8_FATAL);
  assert_string_equal(f.bug_type, "Check failed: !IsInvalid().");
  assert_string_equal(f.signature,
                      "v8_fatal:Check failed: !IsInvalid().:elem_finalize>gf_elem_free:entry=sum_borrowed");
  free(text);
}

/* Garbage on stderr: no crash in the text, so the exit status decides, and
 * nothing is read out of bounds (this test runs under ASan in fuzz_stderr). */
static void garbage_falls_back_to_exit_status(void **state) {
  (void)state;
  char *text = fixture("stderr/garbage.txt");
  gf_finding f;
  gf_outcome o = outcome(text, 0, 7);
  assert_int_equal(gf_classify(&o, &f), 1);
  /* garbage.txt ends with a truncated "ERROR: AddressSanitizer:" line */
  assert_int_equal(f.kind, GF_KIND_ASAN);
  assert_string_equal(f.bug_type, "unknown");
  o.stderr_text = "just some noise\n\x01\x02 #0 0x in\n";
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_EXIT);
  assert_string_equal(f.bug_type, "exit-7");
  free(text);
}

static void results_timeouts_and_clean_exits(void **state) {
  (void)state;
  gf_finding f;
  gf_outcome o = outcome("", 0, 0);
  o.exited = 0;
  o.case_in_flight = 0;
  o.result_outcome = "mismatch";
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.signature, "mismatch:wrong-result:entry=sum_borrowed");
  o.result_outcome = "exception";
  o.result_message = "elems[3] is not an Elem (at 0x1234, call 17)";
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.bug_type, "elems[N] is not an Elem (at X, call N)");
  o.result_outcome = "ok";
  assert_int_equal(gf_classify(&o, &f), 0);
  o = outcome("", SIGKILL, 0);
  o.timed_out = 1;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.signature, "timeout:hang:entry=sum_borrowed");
  o = outcome("", 0, 0);
  o.case_in_flight = 0; /* an orderly exit between cases */
  assert_int_equal(gf_classify(&o, &f), 0);
  o.case_in_flight = 1; /* exit 0 with a case unanswered */
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_EXIT);
}

/* After a case's teardown line (o.torn_down) a crash, an abort, an exit or
 * a hang is the teardown's: ":teardown" after the head, its own bucket; a
 * result judged before the end is not. A record of the same crash
 * without teardown does not match it, nor it the record. */
static void teardown_findings(void **state) {
  (void)state;
  char *text = fixture("stderr/asan_uaf.txt");
  gf_finding plain, f;
  gf_outcome o = outcome(text, SIGABRT, 0);
  assert_int_equal(gf_classify(&o, &plain), 1);
  o.torn_down = 1;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_int_equal(f.kind, GF_KIND_ASAN);
  assert_string_equal(f.signature,
                      "asan:heap-use-after-free:READ:teardown:gf_borrowed_sum>job_execute:entry=sum_borrowed");
  assert_false(gf_signature_matches(&f, plain.signature, plain.hash));
  assert_false(gf_signature_matches(&plain, f.signature, f.hash));
  assert_true(gf_signature_matches(&f, "asan:heap-use-after-free:READ:teardown:entry=sum_borrowed", "x"));
  o = outcome("", SIGSEGV, 0);
  o.torn_down = 1;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.signature, "signal:SIGSEGV:teardown:entry=sum_borrowed");
  o = outcome("", SIGKILL, 0);
  o.timed_out = o.torn_down = 1;
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.signature, "timeout:hang:teardown:entry=sum_borrowed");
  assert_non_null(strstr(f.message, "did not exit"));
  o = outcome("", 0, 0);
  o.exited = 0;
  o.torn_down = 1;
  o.result_outcome = "mismatch"; /* judged before the end: the calls' own */
  assert_int_equal(gf_classify(&o, &f), 1);
  assert_string_equal(f.signature, "mismatch:wrong-result:entry=sum_borrowed");
  o.result_outcome = "ok"; /* a clean teardown */
  assert_int_equal(gf_classify(&o, &f), 0);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(release_frames_and_frameless_records),
      cmocka_unit_test(forged_release_reports_are_not_read),
      cmocka_unit_test(asan_use_after_free),
      cmocka_unit_test(asan_frames_by_module),
      cmocka_unit_test(signature_ignores_addresses_and_paths),
      cmocka_unit_test(entry_separates_buckets),
      cmocka_unit_test(cpp_names_kept_whole),
      cmocka_unit_test(helper_frames_do_not_split_a_bug),
      cmocka_unit_test(bare_sigsegv),
      cmocka_unit_test(bun_segfault_report),
      cmocka_unit_test(bun_signature_is_the_fault_site),
      cmocka_unit_test(bun_first_thread_after_the_header),
      cmocka_unit_test(bun_abort_report),
      cmocka_unit_test(bun_panic_message),
      cmocka_unit_test(napi_fatal_error_on_every_runtime),
      cmocka_unit_test(deno_panic_report),
      cmocka_unit_test(v8_out_of_memory),
      cmocka_unit_test(v8_check_failure_with_target_frames),
      cmocka_unit_test(garbage_falls_back_to_exit_status),
      cmocka_unit_test(results_timeouts_and_clean_exits),
      cmocka_unit_test(teardown_findings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
