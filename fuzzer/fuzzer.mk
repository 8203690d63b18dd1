# libFuzzer targets (issue: fuzzer/). Filled in by the fuzzer work.
.PHONY: fuzzers
fuzzers:
