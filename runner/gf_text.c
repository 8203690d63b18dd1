/* gf_text.c - see gf_text.h. */
#include "gf_text.h"

#include <stdint.h>
#include <string.h>

/* The length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
             : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  uint32_t cp = len == 1 ? s[0] : len == 2 ? (s[0] & 0x1fu) : len == 3 ? (s[0] & 0x0fu) : (s[0] & 0x07u);
  for (size_t i = 1; i < len; i++) cp = cp << 6 | (s[i] & 0x3fu);
  static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0; /* overlong, surrogate */
  return len;
}

void gf_text_sanitize(char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) s[i] = '?';
      i++;
      continue;
    }
    size_t len = utf8_len((const unsigned char *)s + i, n - i);
    if (len == 0) {
      s[i++] = '?';
    } else {
      i += len;
    }
  }
}


void gf_text_one_line(char *s) {
  gf_text_sanitize(s, strlen(s));
  for (; *s; s++)
    if (*s == '\n' || *s == '\t') *s = ' ';
}
