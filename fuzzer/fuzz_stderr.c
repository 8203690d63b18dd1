/* fuzz_stderr - the crash classifier and signature extraction on arbitrary
 * stderr text (untrusted output of crashed processes). The first byte picks
 * how the process ended. Invariants: no crash, leak or UB; a finding always
 * has a kind, a non-empty signature and a 16-hex-digit hash. No file named
 * in the text is opened (no module_roots). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf_classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  char *text = malloc(size);
  if (text == NULL) return 0;
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  gf_outcome o;
  memset(&o, 0, sizeof o);
  o.exited = data[0] & 1;
  o.term_signal = (data[0] & 2) ? 11 : 0;
  o.exit_code = (data[0] >> 2) & 3;
  o.timed_out = (data[0] >> 4) & 1;
  o.case_in_flight = (data[0] >> 5) & 1;
  o.result_outcome = (data[0] & 64) ? "mismatch" : NULL;
  o.stderr_text = text;
  o.entry = "sum_borrowed";
  o.crash_key = "k"; /* release reports ending "end k" are parsed; no module_roots: none read */
  o.target_patterns[0] = "../src/";
  o.target_patterns[1] = "gcfuzz_addon";
  gf_finding f;
  if (gf_classify(&o, &f)) {
    if (f.kind == GF_KIND_NONE || f.signature[0] == '\0' || strlen(f.hash) != 16) abort();
  }
  free(text);
  return 0;
}
