/* fuzz_config - the runner's config loader on arbitrary bytes: no crash,
 * leak or UB; a rejection always names a reason; an accepted config keeps
 * its own invariants (entry and control.entry among entries). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  static gf_config cfg; /* large: keep it off the stack */
  gf_err err = {{0}};
  if (gf_config_parse(&cfg, text, "/base", "/root", &err) != 0) {
    if (err.msg[0] == '\0') abort();
  } else {
    if (cfg.entry[0] && !gf_config_has_entry(&cfg, cfg.entry)) abort();
    if (!gf_config_has_entry(&cfg, cfg.control_entry)) abort();
    gf_case c;
    gf_case_default(&c);
    c.f[GF_F_ELEMS] = 100000;
    c.f[GF_F_ELEM_LEN] = 335;
    gf_config_clamp_case(&cfg, &c);
    if (gf_case_total_doubles(&c) > cfg.limits.max_total_doubles) abort();
  }
  free(text);
  return 0;
}
