/* gf_classify_rt.c - see gf_classify_rt.h. */
#include "gf_classify_rt.h"

#include <stdio.h>
#include <string.h>

#include "gf_err.h"

static int starts(const char *p, const char *s) { return strncmp(p, s, strlen(s)) == 0; }

static const char *next_line(const char *p) {
  const char *nl = strchr(p, '\n');
  return nl ? nl + 1 : NULL;
}

/* The line at p, without its '\n', into out (cut at cap). */
static void copy_line(const char *p, char *out, size_t cap) {
  size_t n = strcspn(p, "\n");
  if (n >= cap) n = cap - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

static int is_bun_header(const char *line) {
  return starts(line, "Bun v") || starts(line, "Bun Canary v") || starts(line, "Bun Debug v");
}

/* "panic: R", "panic(main thread): R", "panic(thread 7): R": R, or NULL. */
static const char *banner_reason(const char *line) {
  if (!starts(line, "panic")) return NULL;
  const char *p = line + 5;
  if (*p == '(') {
    p += strcspn(p, ")\n");
    if (*p++ != ')') return NULL;
  }
  return starts(p, ": ") ? p + 2 : NULL;
}

static int vlq_digit(char c) {
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *at = c ? strchr(b64, c) : NULL;
  return at ? (int)(at - b64) : -1;
}

/* One source-map VLQ at *p (5 bits a digit, low bit first, 32 the
 * continuation, the value's low bit its sign); at most 7 digits, enough
 * for the 32-bit values Bun writes. 1 and *p moved past it, or 0. */
static int vlq(const char **p, long long *out) {
  long long v = 0;
  for (int i = 0; i < 7; i++) {
    int d = vlq_digit((*p)[i]);
    if (d < 0) return 0;
    v |= (long long)(d & 31) << (5 * i);
    if (!(d & 32)) {
      *p += i + 1;
      *out = (v & 1) ? -(v >> 1) : v >> 1;
      return 1;
    }
  }
  return 0;
}

/* The trace of the URL on the line at p into st: after "scheme://host/",
 * the version and '/': 10 characters (platform, command, format, commit),
 * two VLQs of features, then the addresses up to a zero. */
static void read_trace(const char *p, gf_stack *st) {
  const char *end = p + strcspn(p, "\n"), *s = strstr(p, "://");
  st->n = 0;
  if (s == NULL || s >= end || (s = strchr(s + 3, '/')) == NULL || s >= end || /* "/VERSION/TRACE" */
      (s = strchr(s + 1, '/')) == NULL || s >= end)
    return;
  s++;
  if (strcspn(s, " \n") < 10) return;
  s += 10;
  long long v;
  if (!vlq(&s, &v) || !vlq(&s, &v)) return;
  while (st->n < GF_MAX_FRAMES) {
    gf_frame *fr = &st->f[st->n];
    memset(fr, 0, sizeof *fr);
    if (*s == '_') {
      s++;
      gf_strlcpy(fr->location, "?", sizeof fr->location);
    } else if (!vlq(&s, &v) || v == 0) {
      return;
    } else if (v < 0) {
      gf_strlcpy(fr->location, "?", sizeof fr->location);
    } else {
      snprintf(fr->location, sizeof fr->location, "+0x%llx", v);
    }
    st->n++;
  }
}

static int fault_kind(const char *reason) {
  static const char *const at_address[] = {"Segmentation fault at address ", "Illegal instruction at address ",
                                           "Bus error at address ", "Floating point error at address ", NULL};
  for (int i = 0; at_address[i]; i++)
    if (starts(reason, at_address[i])) return GF_RT_FAULT_AT;
  return strcmp(reason, "abort() called") == 0 ? GF_RT_ABORT : GF_RT_PANIC;
}

int gf_rt_bun_report(const char *text, gf_rt_report *r) {
  memset(r, 0, sizeof *r);
  /* After the last header: what the program printed before Bun's handler
   * ran is not the report. Its first banner is the first thread's; the
   * others ("oh no: multiple threads are crashing") follow. */
  const char *from = text, *p, *banner = NULL;
  for (p = text; p; p = next_line(p))
    if (is_bun_header(p)) from = p;
  for (p = from; p && banner == NULL; p = next_line(p))
    if (banner_reason(p)) banner = p;
  if (banner == NULL) return 0;
  copy_line(banner_reason(banner), r->reason, sizeof r->reason);
  r->fault = fault_kind(r->reason);
  for (p = next_line(banner); p && !banner_reason(p); p = next_line(p)) {
    while (*p == ' ') p++;
    if (starts(p, "http")) {
      read_trace(p, &r->stack);
      break;
    }
  }
  return 1;
}

int gf_rt_rust_panic(const char *text, gf_rt_report *r) {
  memset(r, 0, sizeof *r);
  static const char mark[] = " panicked at "; /* after "thread 'NAME'" and maybe " (TID)" */
  for (const char *p = text; p; p = next_line(p)) {
    char line[512];
    if (!starts(p, "thread '")) continue;
    copy_line(p, line, sizeof line);
    char *at = strstr(line, mark);
    if (at == NULL) continue;
    char *where = at + sizeof mark - 1, *quote;
    const char *msg = next_line(p);
    if (where[0] == '\'' && (quote = strstr(where, "', ")) != NULL) { /* Rust before 1.73 */
      *quote = '\0';
      msg = where + 1;
      where = quote + 3;
    }
    size_t n = strlen(where);
    if (n > 0 && where[n - 1] == ':') where[n - 1] = '\0'; /* "at FILE:L:C:" */
    gf_strlcpy(r->where, where, sizeof r->where);
    copy_line(msg ? msg : "", r->reason, sizeof r->reason);
    return 1;
  }
  return 0;
}
