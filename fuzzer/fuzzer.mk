# libFuzzer targets, built with clang: -fsanitize=fuzzer,address,undefined.
#   make fuzzers            build/fuzz/fuzz_{case,config,stderr,lifecycle,lifecycle_borrowed}
#   make fuzz FUZZ_TIME=60  run each target for FUZZ_TIME seconds; new inputs
#                           go to fuzz-out/<target>/corpus, crashes to
#                           fuzz-out/<target>/ (crash-*, leak-*, timeout-*)

FUZZ_CC      ?= clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Irunner -I$(BUILD)/gen -Iaddon/src \
                $(shell pkg-config --cflags libcjson)
FUZZ_LIBS     = $(shell pkg-config --libs libcjson) -lm
FUZZ_TIME    ?= 60
FUZZ_TARGETS := fuzz_case fuzz_config fuzz_stderr fuzz_lifecycle fuzz_lifecycle_borrowed
FUZZ_DIR     := $(BUILD)/fuzz

FUZZ_COMMON  := runner/gf_err.c runner/gf_json.c runner/gf_case.c
FUZZ_SRC_fuzz_case               := $(FUZZ_COMMON)
FUZZ_SRC_fuzz_config             := $(FUZZ_COMMON) runner/gf_config.c runner/gf_config_keys.c runner/gf_fs.c
FUZZ_SRC_fuzz_stderr             := runner/gf_err.c runner/gf_classify.c runner/gf_classify_rt.c runner/gf_native.c runner/gf_text.c -lstdc++
FUZZ_SRC_fuzz_lifecycle          := $(FUZZ_COMMON) runner/gf_lifecycle.c addon/src/core.c
FUZZ_SRC_fuzz_lifecycle_borrowed := $(FUZZ_SRC_fuzz_lifecycle)
FUZZ_MAIN_fuzz_lifecycle_borrowed := fuzzer/fuzz_lifecycle.c -DGF_LC_WITH_BORROWED

.PHONY: fuzzers fuzz
fuzzers: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/%: fuzzer/*.c runner/*.c runner/*.h $(SCHEMA_H) addon/src/core.c addon/src/core.h fuzzer/fuzzer.mk
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CFLAGS) \
	  $(or $(FUZZ_MAIN_$*),fuzzer/$*.c) $(FUZZ_SRC_$*) $(FUZZ_LIBS) -o $@

# Seed corpora live in corpus/libfuzzer/<target>/ (read only here); the
# dictionaries in fuzzer/*.dict.
fuzz: fuzzers
	@for t in $(FUZZ_TARGETS); do \
	  seeds=corpus/libfuzzer/$${t%_borrowed}; \
	  mkdir -p fuzz-out/$$t/corpus; \
	  dict=""; [ -f fuzzer/$$t.dict ] && dict="-dict=fuzzer/$$t.dict"; \
	  echo "== $$t ($(FUZZ_TIME)s)"; \
	  $(FUZZ_DIR)/$$t $$dict -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -artifact_prefix=fuzz-out/$$t/ fuzz-out/$$t/corpus $$seeds 2>&1 | \
	    grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY)" ; \
	done
