/* fuzz_case - the runner's case decoder/validator on arbitrary bytes.
 * Invariants: no crash, leak or UB (sanitizers); a rejection always comes
 * with a message; an accepted case survives serialise -> parse unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf_case.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  gf_case c, back;
  gf_err err = {{0}};
  if (gf_case_parse(&c, text, &err) != 0) {
    if (err.msg[0] == '\0') abort(); /* every rejection says why */
  } else {
    char *line = gf_case_to_line(&c);
    if (line == NULL || gf_case_parse(&back, line, &err) != 0 || !gf_case_equal(&c, &back))
      abort();
    free(line);
  }
  free(text);
  return 0;
}
