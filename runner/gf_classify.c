/* gf_classify.c - see gf_classify.h. Stderr is untrusted text from a crashed
 * process: every parse is bounded, tolerates garbage and never reads past the
 * terminating NUL. */
#include "gf_classify.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_classify_rt.h"
#include "gf_err.h"
#include "gf_native.h"
#include "gf_text.h"

static const char *const kind_names[] = {"none",     "signal",    "asan", "v8_fatal",
                                         "timeout",  "mismatch", "exception", "exit",
                                         "oom",      "panic"};

const char *gf_kind_name(gf_kind k) {
  return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "none";
}

gf_kind gf_kind_from_name(const char *name) {
  for (unsigned i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
    if (strcmp(kind_names[i], name) == 0) return (gf_kind)i;
  return GF_KIND_NONE;
}

const char *gf_signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    default: return "SIGNAL";
  }
}

uint64_t gf_fnv1a64(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

void gf_normalize_message(const char *in, char *out, size_t cap) {
  size_t o = 0;
  while (*in && o + 2 < cap) {
    if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X') && isxdigit((unsigned char)in[2])) {
      in += 2;
      while (isxdigit((unsigned char)*in)) in++;
      out[o++] = 'X';
    } else if (isdigit((unsigned char)*in)) {
      while (isdigit((unsigned char)*in) || *in == '.') in++;
      out[o++] = 'N';
    } else if (*in == '\n' || *in == '\r' || *in == '\t') {
      out[o++] = ' ';
      in++;
    } else {
      out[o++] = *in++;
    }
  }
  out[o] = '\0';
}

/* Copies the line starting at p (without '\n') into out; returns the start
 * of the next line, or NULL at the end. */
static const char *next_line(const char *p, char *out, size_t cap) {
  const char *e = strchr(p, '\n');
  size_t n = e ? (size_t)(e - p) : strlen(p);
  if (n >= cap) n = cap - 1;
  memcpy(out, p, n);
  out[n] = '\0';
  return e ? e + 1 : NULL;
}

/* Sanitizer runtime frames (interceptors, allocator) are never the target,
 * whatever their source path looks like. */
static int is_runtime_frame(const gf_frame *fr) {
  return strstr(fr->location, "sanitizer") || strncmp(fr->func, "__interceptor_", 14) == 0 ||
         strncmp(fr->func, "__asan", 6) == 0 || strncmp(fr->func, "__sanitizer", 11) == 0;
}

static int is_addon_module(const char *m) {
  size_t n = strlen(m);
  return n > 5 && strcmp(m + n - 5, ".node") == 0;
}

/* A frame of an addon module (a release frame's "x.node+0x12", an ASan
 * frame's module) is the target's; else a target_frames pattern must be in
 * its location, function or module (ASan names node-gyp's sources
 * "../src/x.cc", so a config naming the module matches through it). */
static int matches_target(const gf_frame *fr, const char *const *pats) {
  if (is_runtime_frame(fr)) return 0;
  if (strstr(fr->location, ".node+") || is_addon_module(fr->module)) return 1;
  for (; pats && *pats; pats++)
    if (**pats && (strstr(fr->location, *pats) || strstr(fr->func, *pats) || strstr(fr->module, *pats)))
      return 1;
  return 0;
}

/* Function name without its trailing parameter list (and " const"), the
 * rest whole: "ns::(anonymous namespace)::W<&(f(int))>::Execute() const"
 * -> "ns::(anonymous namespace)::W<&(f(int))>::Execute"; "X::operator()(int)"
 * -> "X::operator()". Two C++ workers differ by their whole names. */
static void set_func(gf_frame *fr, const char *s, size_t n) {
  while (n > 0 && s[n - 1] == ' ') n--;
  if (n > 6 && memcmp(s + n - 6, " const", 6) == 0) n -= 6;
  if (n > 0 && s[n - 1] == ')') { /* cut at the '(' that opens the last group */
    size_t i = n - 1;
    int depth = 0;
    for (;; i--) {
      depth += s[i] == ')' ? 1 : s[i] == '(' ? -1 : 0;
      if (depth == 0 || i == 0) break;
    }
    if (depth == 0 && i > 0) n = i;
  }
  if (n >= sizeof fr->func) n = sizeof fr->func - 1;
  memcpy(fr->func, s, n);
  fr->func[n] = '\0';
}

/* ASan frame: "#0 0x7f.. in FUNC LOCATION" or "#3 0x7f.. (/lib/x.so+0x12)",
 * each maybe followed by " {MODULE}" (GF_ASAN_OPTIONS' stack_trace_format). */
static int parse_asan_frame(const char *text, gf_frame *fr) {
  char line[512];
  while (*text == ' ') text++;
  if (text[0] != '#' || !isdigit((unsigned char)text[1])) return 0;
  memset(fr, 0, sizeof *fr);
  gf_strlcpy(line, text, sizeof line);
  size_t len = strlen(line);
  char *brace = NULL; /* the last " {": a C++ name may hold braces too */
  for (char *q = line; len > 0 && line[len - 1] == '}' && (q = strstr(q, " {")) != NULL; q++) brace = q;
  if (brace) {
    line[len - 1] = '\0';
    gf_strlcpy(fr->module, brace + 2, sizeof fr->module);
    *brace = '\0';
  }
  const char *addr = strstr(line, " 0x");
  if (addr) fr->pc = strtoull(addr + 1, NULL, 16);
  const char *in = strstr(line, " in ");
  if (in == NULL) {
    const char *paren = strchr(line, '(');
    gf_strlcpy(fr->location, paren ? paren + 1 : "", sizeof fr->location);
    char *close = strrchr(fr->location, ')');
    if (close) *close = '\0';
    return 1;
  }
  const char *rest = in + 4;
  size_t n = strlen(rest);
  const char *loc = NULL;
  if (n > 0 && rest[n - 1] == ')') { /* "FUNC (/module+0x12)" */
    loc = strstr(rest, " (/");
    if (loc) {
      set_func(fr, rest, (size_t)(loc - rest));
      gf_strlcpy(fr->location, loc + 2, sizeof fr->location);
      fr->location[strlen(fr->location) - 1] = '\0';
      return 1;
    }
  }
  loc = strrchr(rest, ' '); /* "FUNC path/file.c:12:3" */
  if (loc && strchr(loc, ':')) {
    set_func(fr, rest, (size_t)(loc - rest));
    gf_strlcpy(fr->location, loc + 1, sizeof fr->location);
  } else {
    set_func(fr, rest, n);
  }
  return 1;
}

/* V8/Node fatal frame: " 3: 0xb7a940 node::Abort() [node]". */
static int parse_v8_frame(const char *line, gf_frame *fr) {
  while (*line == ' ') line++;
  const char *p = line;
  while (isdigit((unsigned char)*p)) p++;
  if (p == line || p[0] != ':' || p[1] != ' ' || strncmp(p + 2, "0x", 2) != 0) return 0;
  memset(fr, 0, sizeof *fr);
  p += 4;
  while (isxdigit((unsigned char)*p)) p++;
  while (*p == ' ') p++;
  const char *mod = strrchr(p, '[');
  size_t n = mod ? (size_t)(mod - p) : strlen(p);
  while (n > 0 && p[n - 1] == ' ') n--;
  set_func(fr, p, n);
  if (mod) {
    gf_strlcpy(fr->location, mod + 1, sizeof fr->location);
    char *close = strchr(fr->location, ']');
    if (close) *close = '\0';
  }
  return 1;
}


/* Reads consecutive frames starting at p into st; returns where it stopped. */
static const char *read_stack(const char *p, gf_stack *st, const char *const *pats,
                              int (*parse)(const char *, gf_frame *)) {
  char line[512];
  gf_frame fr;
  st->n = 0;
  while (p) {
    const char *next = next_line(p, line, sizeof line);
    if (!parse(line, &fr)) break;
    fr.target = matches_target(&fr, pats);
    if (st->n < GF_MAX_FRAMES) st->f[st->n++] = fr;
    p = next;
  }
  return p;
}

/* The first line at or after p that parses as a frame, or NULL; with
 * stop_at_blank, an empty line ends the search (an ASan report's header). */
static const char *first_frame(const char *p, int (*parse)(const char *, gf_frame *),
                               int stop_at_blank) {
  char line[512];
  gf_frame fr;
  while (p) {
    const char *next = next_line(p, line, sizeof line);
    if (parse(line, &fr)) return p;
    if (stop_at_blank && line[0] == '\0') return NULL;
    p = next;
  }
  return NULL;
}

/* Finds the first line after `from` that contains `needle`; returns the
 * start of the line after it. */
static const char *after_line_with(const char *from, const char *needle) {
  const char *hit = from ? strstr(from, needle) : NULL;
  if (hit == NULL) return NULL;
  const char *nl = strchr(hit, '\n');
  return nl ? nl + 1 : NULL;
}

/* A release build's stack (gf_native.h): the report with the worker's key,
 * its frames named from the modules' symbols, each name cut like ASan's. */
static void read_native_stack(const char *text, const gf_outcome *o, gf_finding *f) {
  const char *native = gf_native_report(text, o->crash_key);
  if (native == NULL) return;
  read_stack(native, &f->stack, o->target_patterns, gf_native_frame);
  gf_native_symbolize(&f->stack, o->module_roots, GF_NATIVE_BUDGET_NS, NULL);
  for (int i = 0; i < f->stack.n; i++) {
    gf_frame *fr = &f->stack.f[i];
    char name[sizeof fr->func];
    gf_strlcpy(name, fr->func, sizeof name);
    set_func(fr, name, strlen(name));
    fr->target = matches_target(fr, o->target_patterns);
  }
}

static int parse_asan(const char *text, const char *const *pats, gf_finding *f) {
  const char *hit = strstr(text, "ERROR: AddressSanitizer: ");
  if (hit == NULL) return 0;
  char line[512];
  next_line(hit + strlen("ERROR: AddressSanitizer: "), line, sizeof line);
  line[strcspn(line, " ")] = '\0';
  gf_strlcpy(f->bug_type, line[0] ? line : "unknown", sizeof f->bug_type);
  const char *p = strchr(hit, '\n');
  p = p ? p + 1 : NULL;
  if (p && (strncmp(p, "READ of size", 12) == 0 || strncmp(p, "WRITE of size", 13) == 0)) {
    next_line(p, line, sizeof line);
    char *at = strstr(line, " at ");
    if (at) *at = '\0';
    gf_strlcpy(f->access, line, sizeof f->access);
    p = strchr(p, '\n');
    p = p ? p + 1 : NULL;
  }
  /* Skip lines up to the first frame (e.g. "The signal is caused by..."). */
  p = first_frame(p, parse_asan_frame, 1);
  if (p) read_stack(p, &f->stack, pats, parse_asan_frame);
  read_stack(after_line_with(hit, "freed by thread"), &f->free_stack, pats, parse_asan_frame);
  read_stack(after_line_with(hit, "previously allocated by thread"), &f->alloc_stack, pats,
             parse_asan_frame);
  return 1;
}

static const char *const v8_markers[] = {"FATAL ERROR: ", "Fatal process out of memory",
                                         "# Fatal error in ", "Check failed: ", NULL};

static int parse_v8_fatal(const char *text, const char *const *pats, gf_finding *f) {
  const char *hit = NULL;
  for (int i = 0; v8_markers[i] && !hit; i++) hit = strstr(text, v8_markers[i]);
  if (hit == NULL) return 0;
  char line[512];
  next_line(hit, line, sizeof line);
  const char *msg = line;
  if (strncmp(msg, "FATAL ERROR: ", 13) == 0) msg += 13;
  /* "# Fatal error in , line 0" is followed by the real message line. */
  const char *check = strstr(hit, "Check failed: ");
  if (strncmp(line, "# Fatal error in", 16) == 0 && check) {
    next_line(check, line, sizeof line);
    msg = line;
  }
  gf_normalize_message(msg, f->bug_type, sizeof f->bug_type);
  gf_strlcpy(f->message, msg, sizeof f->message);
  /* The native stack Node prints after the message. */
  const char *p = first_frame(hit, parse_v8_frame, 0);
  if (p) read_stack(p, &f->stack, pats, parse_v8_frame);
  return 1;
}

/* The target frames a signature names: target frames with a function name,
 * inlined callees folded into their caller (same address as the next frame),
 * and of those the GF_SIG_FRAMES *outermost* - the ones nearest to where the
 * target was entered. Why outermost: in this bug class the bug is "job X read
 * after free", and which helper happened to touch freed memory first (the
 * struct, or the array it points to, freed a moment apart by one finalizer)
 * is timing, not identity. Returns the count; idx gets stack indices. */
static int signature_frames(const gf_stack *st, int idx[GF_SIG_FRAMES]) {
  int all[GF_MAX_FRAMES], n = 0;
  for (int i = 0; i < st->n; i++) {
    const gf_frame *fr = &st->f[i];
    if (!fr->target || fr->func[0] == '\0') continue;
    if (i + 1 < st->n && fr->pc && fr->pc == st->f[i + 1].pc) continue; /* inlined */
    all[n++] = i;
  }
  int first = n > GF_SIG_FRAMES ? n - GF_SIG_FRAMES : 0;
  for (int k = first; k < n; k++) idx[k - first] = all[k];
  return n - first;
}

/* "kind:bug_type[:READ|WRITE][:teardown]": a signature's head, without
 * frames or entry. A teardown's crash is another bug than the same crash
 * without one (a lifetime across environments, not the GC's): another
 * bucket, also for records that name no frames. */
static void signature_head(const gf_finding *f, char *out, size_t cap) {
  char access[16] = "";
  if (f->access[0]) {
    gf_strlcpy(access, f->access, sizeof access);
    access[strcspn(access, " ")] = '\0'; /* READ / WRITE, size left out */
  }
  snprintf(out, cap, "%s:%s%s%s%s", gf_kind_name(f->kind), f->bug_type, access[0] ? ":" : "", access,
           f->teardown ? ":teardown" : "");
}

/* kind:bug_type[:access][:frames]:entry=X (frames: see above; with none,
 * the fault site when a runtime's report gives one). The entry is always
 * there: a C addon's entries often share one worker function, and
 * different entries are different bugs. */
static void make_signature(gf_finding *f, const char *entry, const char *site) {
  char frames[400] = "", head[128];
  int idx[GF_SIG_FRAMES];
  int used = signature_frames(&f->stack, idx);
  for (int k = 0; k < used; k++) {
    if (k) strncat(frames, ">", sizeof frames - strlen(frames) - 1);
    strncat(frames, f->stack.f[idx[k]].func, sizeof frames - strlen(frames) - 1);
  }
  if (used == 0) gf_strlcpy(frames, site, sizeof frames);
  signature_head(f, head, sizeof head);
  snprintf(f->signature, sizeof f->signature, "%s%s%s:entry=%s", head, frames[0] ? ":" : "", frames,
           entry ? entry : "?");
  snprintf(f->hash, sizeof f->hash, "%016llx", (unsigned long long)gf_fnv1a64(f->signature));
}

/* A runtime's panic (gf_classify_rt.h): Bun's banner with a reason that is
 * no fault's, or a Rust panic (Deno's own, or a Rust addon's). The bug
 * type is the message, after where a Rust panic happened; the stack is
 * Bun's trace (no frame of it is known to be the target's). */
static int read_panic(const char *text, gf_finding *f) {
  gf_rt_report r;
  char both[sizeof r.where + sizeof r.reason + 2];
  if (gf_rt_bun_report(text, &r) && r.fault == GF_RT_PANIC)
    gf_strlcpy(both, r.reason, sizeof both);
  else if (gf_rt_rust_panic(text, &r))
    snprintf(both, sizeof both, "%s: %s", r.where, r.reason);
  else
    return 0;
  gf_normalize_message(both, f->bug_type, sizeof f->bug_type);
  gf_strlcpy(f->message, r.reason, sizeof f->message);
  f->stack = r.stack;
  return 1;
}

/* A fault on Bun: its handler ran first, so the preloaded one's stack is
 * of Bun's handler, with nothing of the target; then the stack is Bun's
 * trace, and for a fault at an address the first frame's offset (where it
 * faulted, in a module Bun does not name) is the site the signature names:
 * the same run after run on one build, another for a fault elsewhere. */
static void read_bun_fault(const char *text, gf_finding *f, char *site, size_t cap) {
  gf_rt_report r;
  int idx[GF_SIG_FRAMES];
  if (!gf_rt_bun_report(text, &r)) return;
  gf_strlcpy(f->message, r.reason, sizeof f->message);
  if (signature_frames(&f->stack, idx) > 0) return;
  f->stack = r.stack;
  if (r.fault == GF_RT_FAULT_AT && r.stack.n > 0 && r.stack.f[0].location[0] == '+')
    gf_strlcpy(site, r.stack.f[0].location, cap);
}

/* A worker's words (a JSON-decoded message can hold any byte: \u001b is
 * ESC) made safe for a terminal, a journal and a report: one line, control
 * bytes and bad UTF-8 as '?'. Here, where a finding is made, so every
 * printer after gets safe text. */
int gf_classify(const gf_outcome *o, gf_finding *f) {
  memset(f, 0, sizeof *f);
  f->exit_code = -1;
  const char *text = o->stderr_text ? o->stderr_text : "";
  if (o->exited && o->term_signal == 0) f->exit_code = o->exit_code;
  if (o->exited) f->signal = o->term_signal;

  int died = o->exited && (o->term_signal != 0 || o->exit_code != 0);
  char site[32] = "";
  if (parse_asan(text, o->target_patterns, f)) {
    f->kind = GF_KIND_ASAN;
  } else if (parse_v8_fatal(text, o->target_patterns, f)) {
    f->kind = GF_KIND_V8_FATAL;
  } else if (died && read_panic(text, f)) {
    f->kind = GF_KIND_PANIC;
  } else if (o->rss_mb) {
    f->kind = GF_KIND_OOM;
    gf_strlcpy(f->bug_type, "rss-limit", sizeof f->bug_type);
    snprintf(f->message, sizeof f->message, "resident memory %u MB, over rss_limit_mb %u",
             (unsigned)o->rss_mb, (unsigned)o->rss_limit_mb);
  } else if (o->timed_out) {
    f->kind = GF_KIND_TIMEOUT;
    gf_strlcpy(f->bug_type, "hang", sizeof f->bug_type);
  } else if (o->exited && o->term_signal != 0) {
    f->kind = GF_KIND_SIGNAL;
    gf_strlcpy(f->bug_type, gf_signal_name(o->term_signal), sizeof f->bug_type);
    read_native_stack(text, o, f);
    read_bun_fault(text, f, site, sizeof site);
  } else if (o->result_outcome && strcmp(o->result_outcome, "mismatch") == 0) {
    f->kind = GF_KIND_MISMATCH;
    gf_strlcpy(f->bug_type, "wrong-result", sizeof f->bug_type);
    if (o->mismatch) f->mismatch = *o->mismatch;
  } else if (o->result_outcome && strcmp(o->result_outcome, "exception") == 0) {
    f->kind = GF_KIND_EXCEPTION;
    gf_normalize_message(o->result_message ? o->result_message : "", f->bug_type,
                         sizeof f->bug_type);
  } else if (o->exited && (o->exit_code != 0 || o->case_in_flight)) {
    f->kind = GF_KIND_EXIT;
    snprintf(f->bug_type, sizeof f->bug_type, "exit-%lld", (long long)o->exit_code);
  } else {
    return 0;
  }
  /* Once a Worker is being ended, what kills the process is its teardown;
   * a result was judged before the end, and is the calls' own. */
  f->teardown = o->torn_down && f->kind != GF_KIND_MISMATCH && f->kind != GF_KIND_EXCEPTION;
  if (f->teardown && f->kind == GF_KIND_TIMEOUT)
    gf_strlcpy(f->message, "hang at exit: the Worker did not exit after its teardown", sizeof f->message);
  if (o->result_message && !f->message[0])
    gf_strlcpy(f->message, o->result_message, sizeof f->message);
  gf_text_one_line(f->message);
  gf_text_one_line(f->mismatch.result);
  gf_text_one_line(f->mismatch.expected);
  gf_text_one_line(f->bug_type);
  gf_text_one_line(f->access);
  make_signature(f, o->entry, site);
  return 1;
}

int gf_signature_matches(const gf_finding *f, const char *want_sig, const char *want_hash) {
  if (strcmp(f->hash, want_hash) == 0) return 1;
  if (!want_sig || !want_sig[0]) return 0;
  const char *suffix = strstr(f->signature, ":entry=");
  char head[128], frameless[600];
  signature_head(f, head, sizeof head);
  if (!strstr(want_sig, ":entry=")) { /* written before the entry was in every signature */
    size_t n = suffix ? (size_t)(suffix - f->signature) : strlen(f->signature);
    if (strlen(want_sig) == n && strncmp(want_sig, f->signature, n) == 0) return 1;
    return strcmp(want_sig, head) == 0;
  }
  /* A record that names no frames (a release build's, before crashes had
   * stacks) is the bucket of a finding that agrees on all but its frames. */
  snprintf(frameless, sizeof frameless, "%s%s", head, suffix ? suffix : "");
  return strcmp(want_sig, frameless) == 0;
}
