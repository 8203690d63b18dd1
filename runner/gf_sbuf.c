/* gf_sbuf.c - see gf_sbuf.h. */
#include "gf_sbuf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(gf_sbuf *b, size_t more) {
  if (b->oom) return -1;
  if (b->len + more + 1 <= b->cap) return 0;
  size_t cap = (b->cap + more + 1) * 2;
  char *p = realloc(b->p, cap);
  if (p == NULL) {
    b->oom = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void gf_sbuf_printf(gf_sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || reserve(b, (size_t)n) != 0) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void gf_sbuf_escape(gf_sbuf *b, const char *s) { gf_sbuf_escape_n(b, s, s ? strlen(s) : 0); }

void gf_sbuf_escape_n(gf_sbuf *b, const char *s, size_t n) {
  for (const char *e = s ? s + n : s; s && s < e && *s; s++) { /* NULL (a record field of the wrong type): nothing */
    switch (*s) {
      case '<': gf_sbuf_printf(b, "&lt;"); break;
      case '>': gf_sbuf_printf(b, "&gt;"); break;
      case '&': gf_sbuf_printf(b, "&amp;"); break;
      case '"': gf_sbuf_printf(b, "&quot;"); break;
      case '\'': gf_sbuf_printf(b, "&#39;"); break;
      default:
        /* XML 1.0 forbids most control characters, even escaped. */
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
          gf_sbuf_printf(b, "?");
        else
          gf_sbuf_printf(b, "%c", *s);
    }
  }
}

void gf_sbuf_free(gf_sbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

/* POSIX shell single quoting: 'it'\''s' - the one place a command line is
 * made safe to paste into a shell. */
void gf_sbuf_shell_quote(gf_sbuf *b, const char *s) {
  gf_sbuf_printf(b, "'");
  for (; *s; s++) {
    if (*s == '\'')
      gf_sbuf_printf(b, "'\\''");
    else
      gf_sbuf_printf(b, "%c", *s);
  }
  gf_sbuf_printf(b, "'");
}

void gf_sbuf_prom_label(gf_sbuf *b, const char *s) {
  for (; *s; s++) {
    if (*s == '\\' || *s == '"')
      gf_sbuf_printf(b, "\\%c", *s);
    else if (*s == '\n')
      gf_sbuf_printf(b, "\\n");
    else
      gf_sbuf_printf(b, "%c", *s);
  }
}

void gf_sbuf_uri_path(gf_sbuf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (isalnum(*p) || strchr("-._~/", *p))
      gf_sbuf_printf(b, "%c", *p);
    else
      gf_sbuf_printf(b, "%%%02X", *p);
  }
}
