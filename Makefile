# The two commands of the README, plus bench. Everything real lives in CMake.
BUILD_DIR ?= build/release
SCENARIO ?= scenarios/strubell2019/lisa-campaign.toml
JOBS ?= $(shell nproc)

.PHONY: run test bench report deps configure build clean

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

bench: build
	@tests/perf/run_bench.sh $(BUILD_DIR)/mlcycle . 5
	@tests/perf/run_sweep_bench.sh $(BUILD_DIR)/mlcycle .

clean:
	rm -rf build results
