/* gf_text.h - bytes from a worker made text.
 *
 * Whatever a worker writes (its stderr tail, its protocol lines) ends up in
 * records, events and reports, which must stay valid UTF-8 JSON. Invalid
 * UTF-8 (a tail cut mid-character, binary junk, overlong forms, surrogates)
 * and control bytes other than tab and newline become '?', in place, so a
 * NUL can no longer hide what follows it either.
 */
#ifndef GF_TEXT_H
#define GF_TEXT_H

#include <stddef.h>

void gf_text_sanitize(char *s, size_t n);

/* The same for a NUL-terminated string that goes on one line of a terminal
 * or a log (a message, a version): tab and newline become spaces too. */
void gf_text_one_line(char *s);

#endif
