# The two commands of the README, plus bench. Everything real lives in CMake.
BUILD_DIR ?= build/release
SCENARIO ?= scenarios/strubell2019/lisa-campaign.toml
JOBS ?= $(shell nproc)
SANITIZE_DIR ?= build/sanitize
FUZZ_SECONDS ?= 600

.PHONY: run test bench report deps configure build clean sanitize-build sanitize fuzz

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset release >/dev/null

build: configure
	@cmake --build --preset release -j $(JOBS)

run: build
	@mkdir -p results
	$(BUILD_DIR)/mlcycle run $(SCENARIO) -o results/$(basename $(notdir $(SCENARIO))).h5

# The default run, then its one-page HTML report (Debian's python3 with h5py/pandas/matplotlib).
report: run
	PYTHONPATH=analysis /usr/bin/python3 -m mlcycle_analysis report \
	  results/$(basename $(notdir $(SCENARIO))).h5 -o results/report.html
	@echo "report: results/report.html"

test: build
	@ctest --preset release -j $(JOBS)

# ASan + UBSan build with clang (preset "sanitize"): the unit, engine and CLI tests (label
# sanitize), then each fuzz harness for a short while and every saved crash input (label fuzz).
# Sanitizer reports go to $(SANITIZE_DIR)/sanitizer-logs; any finding fails. See docs/testing.md.
sanitize-build: deps
	@cmake --preset sanitize >/dev/null
	@cmake --build --preset sanitize -j $(JOBS) --target mlcycle unit_tests engine_tests heap_prefault_test fuzz_harnesses

sanitize: sanitize-build
	@tests/fuzz/sanitized_ctest.sh $(SANITIZE_DIR) -L 'sanitize|fuzz' -j $(JOBS) --output-on-failure

# Every fuzz harness for FUZZ_SECONDS each (make fuzz FUZZ_SECONDS=60).
fuzz: sanitize-build
	@tests/fuzz/fuzz_all.sh $(SANITIZE_DIR) $(FUZZ_SECONDS)

# The bare-engine floor (../shared/bench) is built only for the bench, when ../shared is there.
bench: build
	@if [ -f ../shared/bench/floor_single_actor.cpp ]; then \
	  cmake --build --preset release --target bench_floor >/dev/null; fi
	@tests/perf/run_bench.sh $(BUILD_DIR)/mlcycle . 5 $(BUILD_DIR)/floor
	@tests/perf/run_sweep_bench.sh $(BUILD_DIR)/mlcycle .

clean:
	rm -rf build results
