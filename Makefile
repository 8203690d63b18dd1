# gcfuzz - build everything with `make`, test everything with `make test`.
#
#   make            addon (release + ASan), runner (build/gcfuzz), fuzzers
#   make test       all tests; ends with "N passed, N failed"
#   make soak       a one-minute soak of the shipped entry into out/soak
#   make killloop   20 kill -9 cycles of a crash-heavy soak; daemon RSS under a bucket storm
#   make triage     the zoo's variants under release and ASan: buckets opened, replay verdicts
#   make poolgate   the thread-pool gate: rates with and without it, deadlocks over 1 000 cases
#   make repro-rate the standalone reproducer's rate beside its record's, per demo bug entry
#   make bench      benchmarks, side by side (BENCH_QUICK=1: about a minute)
#   make node-matrix  Node 18/22/24 from the npm registry into .cache/node-matrix
#   make zoo        detection score of every bug variant x timing x Node, and
#                   cases to detection from a neutral seed (feedback on/off)
#   make examples   real npm addons (examples/): fetch, build offline, fuzz (EXAMPLES_TIME s each)
#   make hunt       gcfuzz hunt over bench/hunt-list.txt + the examples' mutant (HUNT_TIME s each)
#   make fuzz       each libFuzzer target for FUZZ_TIME seconds (default 60)
#   make npm        build/npm/gcfuzz-VERSION.tgz: the installable npm package (linux-x64)
#   make install    PREFIX=/usr/local (DESTDIR too): bin/gcfuzz, share/gcfuzz, man page, systemd unit;
#                   builds only what runs (no unit tests, no fuzzers: no clang, no cmocka)
#   make clean
#
# Missing Debian packages are installed first (scripts/ensure-deps).

CC       ?= cc
BUILD    := build
NODE     ?= node
PKGS     := libuv libcjson
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
GF_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Irunner -I$(BUILD)/gen -Iaddon/src $(shell pkg-config --cflags $(PKGS))
GF_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm -lstdc++

RUNNER_SRC := $(filter-out runner/main.c,$(wildcard runner/*.c))
RUNNER_OBJ := $(RUNNER_SRC:runner/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/core.o
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ADDON_SRC  := $(wildcard addon/src/*.c addon/src/*.h) addon/binding.gyp
ADDON_OUT  := addon/build/Release/gcfuzz_addon.node

.PHONY: all build-all deps test-deps fixtures addon runner gate unit test soak killloop triage repro-rate poolgate install install-build npm uninstall bench zoo node-matrix fuzz examples hunt clean

# The build's independent pieces (the addon's flavours, the runner's
# objects, the units, the fuzzers) in parallel: a clean build 17 s -> 9 s
# on 2 cores (measured), and make test starts with one.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
all: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build-all

deps:
	@scripts/ensure-deps

build-all: addon runner gate unit fuzzers

addon: $(ADDON_OUT)
$(ADDON_OUT): $(ADDON_SRC)
	$(NODE) scripts/node-gyp.js rebuild --silent

runner: $(BUILD)/gcfuzz $(BUILD)/libgcfuzz_crash.so

# The thread-pool gate (harness/native/gate.c): a Node-API module the
# harness loads when GCFUZZ_GATE_THREADS names pools. Plain cc against the
# running node's headers, as node-gyp would build it, offline.
NODE_INC := $(shell $(NODE) -p "require('path').resolve(require('fs').realpathSync(process.execPath), '../../include/node')")
GATE_NODE := harness/native/gcfuzz_gate.node
gate: $(GATE_NODE)
$(GATE_NODE): harness/native/gate.c
	$(CC) -std=c11 $(WARN) -O2 -g -fPIC -shared -I'$(NODE_INC)' $< -lpthread -o $@

# Preloaded into release-build workers: a fatal signal's stack on stderr (gf_native.h).
$(BUILD)/libgcfuzz_crash.so: runner/preload/gf_crash_preload.c | $(BUILD)/obj
	$(CC) -std=c11 -Wall -Wextra -O2 -g -fPIC -shared $< -ldl -o $@

# The case format's C tables, from the schema the harness library reads.
SCHEMA_H := $(BUILD)/gen/gf_case_schema.h
$(SCHEMA_H): harness/case-schema.json scripts/gen-case-schema.js
	$(NODE) scripts/gen-case-schema.js $@

# The crash record's description, embedded (runner/gf_record.c reads it).
RECORD_H := $(BUILD)/gen/gf_record_schema.h
$(RECORD_H): harness/record-schema.json scripts/gen-record-schema.js
	$(NODE) scripts/gen-record-schema.js $@

$(BUILD)/obj/%.o: runner/%.c $(wildcard runner/*.h) $(SCHEMA_H) $(RECORD_H) | $(BUILD)/obj
	$(CC) $(GF_CFLAGS) $(CFLAGS) -c $< -o $@

# The addon's N-API-free core: the lifecycle model (gcfuzz import) runs it.
$(BUILD)/obj/core.o: addon/src/core.c addon/src/core.h $(SCHEMA_H) | $(BUILD)/obj
	$(CC) $(GF_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/gcfuzz: $(BUILD)/obj/main.o $(RUNNER_OBJ)
	$(CC) $(CFLAGS) $^ $(GF_LIBS) -o $@

unit: $(UNIT_BIN)
$(BUILD)/tests/%: tests/unit/%.c $(RUNNER_OBJ) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(GF_CFLAGS) $(CFLAGS) -Itests/unit $< $(RUNNER_OBJ) $(GF_LIBS) -lcmocka -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

include fuzzer/fuzzer.mk

# The report test needs a real browser, the SARIF test a schema validator.
test-deps:
	@GCFUZZ_EXTRA_PKGS=chromium scripts/ensure-deps
	@[ -d node_modules/ajv ] && [ -d node_modules/yaml ] || npm ci --no-audit --no-fund --ignore-scripts

# The second addon of the target-SDK and wrong-result tests, built once
# here. Built by one test file's setup, it was missing for a file that
# started first, and a rebuild under running workers loses the names of
# their ASan stacks (seen when two runs of that file overlapped).
BUF_DIR := tests/fixtures/bufaddon
BUF_OUT := $(BUF_DIR)/build/Release/bufsum_asan.node
fixtures: $(BUF_OUT)
$(BUF_OUT): $(BUF_DIR)/bufsum.c $(BUF_DIR)/binding.gyp
	$(NODE) scripts/node-gyp.js rebuild --silent --directory=$(CURDIR)/$(BUF_DIR)

test: all npm test-deps fixtures
	@$(NODE) scripts/run-tests.js

# Benchmarks (never part of make test): BENCH_QUICK=1 for about a minute.
bench: all
	$(NODE) bench/run.js | tee bench/results.md

# Other Node majors from the npm registry, for the version matrix.
node-matrix:
	scripts/node-matrix.sh

# The zoo score on every Node of the matrix (make node-matrix first).
zoo: all
	$(NODE) bench/zoo.js | tee bench/zoo.md
	$(NODE) bench/neutral.js | tee bench/neutral.md

# Real published addons from the npm registry, built offline (examples/).
examples: all
	$(NODE) examples/run.js

# Published packages hunted with no target written (doc/hunt.md).
hunt: all
	$(NODE) bench/hunt.js | tee bench/hunt.md

soak: all
	$(BUILD)/gcfuzz soak --config config/soak.json --out out/soak --max-time 60

# Triage of the zoo: buckets per variant and build, replay verdicts.
triage: all
	$(NODE) bench/triage.js | tee bench/triage.md

# The standalone reproducer's rate beside its record's, per demo bug entry.
repro-rate: all
	$(NODE) bench/repro.js | tee bench/repro.md

# The thread-pool gate: rates with each gate, deadlocks and cost over 1 000 cases.
poolgate: all
	$(NODE) bench/poolgate.js | tee bench/poolgate.md

# Durability: 20 kill -9 cycles of a crash-heavy soak, and RSS under a bucket storm.
killloop: all
	$(NODE) bench/killloop.js | tee bench/killloop.md

# An installed tree that works from any directory (doc/install.md): the
# binary finds its data in ../share/gcfuzz, wherever PREFIX is moved. The
# docs keep the source tree's shape (README.md beside doc/), so the
# README's links work where they are installed.
PREFIX  ?= /usr/local
DATADIR := $(DESTDIR)$(PREFIX)/share/gcfuzz
# What runs, and nothing else: no unit tests or libFuzzer targets, so
# installing needs neither clang nor cmocka.
install-build:
	@GCFUZZ_DEPS=run scripts/ensure-deps
	@$(MAKE) --no-print-directory -j$(JOBS) addon runner gate

GCFUZZ_EXE ?= $(BUILD)/gcfuzz
install: install-build
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DATADIR)/harness/hunt" "$(DATADIR)/harness/init" "$(DATADIR)/harness/native" "$(DATADIR)/dist/github" "$(DATADIR)/scripts" "$(DATADIR)/addon/build/Release" \
	  "$(DATADIR)/config" "$(DATADIR)/corpus/seeds" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	  "$(DESTDIR)$(PREFIX)/share/doc/gcfuzz/doc" "$(DESTDIR)$(PREFIX)/lib/systemd/system" \
	  "$(DESTDIR)$(PREFIX)/lib/gcfuzz"
	install -m 755 $(GCFUZZ_EXE) "$(DESTDIR)$(PREFIX)/bin/gcfuzz"
	install -m 755 $(BUILD)/libgcfuzz_crash.so "$(DESTDIR)$(PREFIX)/lib/gcfuzz/libgcfuzz_crash.so"
	install -m 644 harness/*.js harness/*.json "$(DATADIR)/harness"
	install -m 644 harness/hunt/*.js "$(DATADIR)/harness/hunt"
	install -m 644 harness/init/*.js "$(DATADIR)/harness/init"
	install -m 755 $(GATE_NODE) "$(DATADIR)/harness/native"
	install -m 644 dist/github/gcfuzz.yml "$(DATADIR)/dist/github"
	install -m 644 scripts/node-gyp.js "$(DATADIR)/scripts"
	install -m 644 addon/index.js addon/target.js addon/harness.js addon/package.json "$(DATADIR)/addon"
	install -m 755 addon/build/Release/*.node "$(DATADIR)/addon/build/Release"
	install -m 644 config/*.json "$(DATADIR)/config"
	install -m 644 corpus/seeds/*.json "$(DATADIR)/corpus/seeds"
	install -m 644 doc/gcfuzz.1 "$(DESTDIR)$(PREFIX)/share/man/man1/gcfuzz.1"
	install -m 644 README.md "$(DESTDIR)$(PREFIX)/share/doc/gcfuzz/"
	install -m 644 doc/*.md "$(DESTDIR)$(PREFIX)/share/doc/gcfuzz/doc/"
	$(NODE) scripts/gen-unit.js "$(PREFIX)" < dist/gcfuzz@.service.in > "$(DESTDIR)$(PREFIX)/lib/systemd/system/gcfuzz@.service"

# The npm package: the tree `make install` makes, under package/, with a
# runner that needs none of the -dev packages: libuv linked in statically
# (Debian's libuv_a.a), Debian's libcjson.so.1 beside it (there is no static
# cJSON), found through an $$ORIGIN rpath. scripts/npm-package.js writes the
# package.json; npm pack the tarball.
NPM_DIR := $(BUILD)/npm
CJSON_SO = $(shell pkg-config --variable=libdir libcjson)/libcjson.so.1
LIBUV_A  = $(shell pkg-config --variable=libdir libuv)/libuv_a.a
$(BUILD)/gcfuzz-npm: $(BUILD)/obj/main.o $(RUNNER_OBJ)
	$(CC) $(CFLAGS) $^ $(LIBUV_A) -lcjson -lpthread -ldl -lrt -lm -lstdc++ \
	  -Wl,-rpath,'$$ORIGIN/../lib/gcfuzz' -o $@

npm: install-build $(BUILD)/gcfuzz-npm
	rm -rf $(NPM_DIR)
	@$(MAKE) --no-print-directory install PREFIX=/ DESTDIR=$(abspath $(NPM_DIR))/package GCFUZZ_EXE=$(BUILD)/gcfuzz-npm
	install -m 644 $(CJSON_SO) $(NPM_DIR)/package/lib/gcfuzz/libcjson.so.1
	$(NODE) scripts/npm-package.js $(NPM_DIR)/package
	cd $(NPM_DIR) && npm pack --silent --offline --pack-destination . ./package >/dev/null

uninstall:
	rm -rf "$(DESTDIR)$(PREFIX)/bin/gcfuzz" "$(DATADIR)" "$(DESTDIR)$(PREFIX)/lib/gcfuzz" "$(DESTDIR)$(PREFIX)/share/man/man1/gcfuzz.1" \
	  "$(DESTDIR)$(PREFIX)/share/doc/gcfuzz" "$(DESTDIR)$(PREFIX)/lib/systemd/system/gcfuzz@.service"

clean:
	rm -rf $(BUILD) addon/build $(BUF_DIR)/build $(GATE_NODE)
