/* gf_sbuf.h - a growing text buffer for building reports. */
#ifndef GF_SBUF_H
#define GF_SBUF_H

#include <stddef.h>

typedef struct gf_sbuf {
  char *p;
  size_t len, cap;
  int oom; /* an allocation failed: the text is incomplete */
} gf_sbuf;

void gf_sbuf_printf(gf_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for HTML/XML text and attributes. */
void gf_sbuf_escape(gf_sbuf *b, const char *s);
/* The same for the first n bytes of s (or up to its NUL). */
void gf_sbuf_escape_n(gf_sbuf *b, const char *s, size_t n);
/* Appends a file path percent-encoded for a URI (all but A-Z a-z 0-9 - . _ ~ /). */
void gf_sbuf_uri_path(gf_sbuf *b, const char *s);
/* Appends s escaped for a Prometheus label value (\\, \", \n). */
void gf_sbuf_prom_label(gf_sbuf *b, const char *s);
/* Appends s as one POSIX shell word (single-quoted). */
void gf_sbuf_shell_quote(gf_sbuf *b, const char *s);
void gf_sbuf_free(gf_sbuf *b);

#endif
