"""Where the heap's memory comes from does not change what a run computes.

mlcycle asks the kernel for 2 MiB pages for its heap when the kernel offers them on request
(app/huge_page_heap.hpp); MLCYCLE_HUGE_PAGES=off keeps 4 KiB pages. The two runs of one scenario
must give the same file, digest for digest, and the root attribute `heap_huge_pages` must say
which way each ran.

    /usr/bin/python3 -m pytest tests/cli/test_huge_pages.py --mlcycle PATH
"""
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import expect, expect_success, import_hdf5_stack, run_mlcycle  # noqa: E402
from output_digest import digest  # noqa: E402

PLATFORM = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <cluster id="c" prefix="c-" suffix="" radical="0-7" core="4" speed="1Tf" bw="10Gbps"
           lat="1us" bb_bw="40Gbps" bb_lat="1us">
    <prop id="wattage_per_state" value="100:100:1300"/>
    <prop id="pue" value="1.3"/>
    <prop id="grid_region" value="r"/>
  </cluster>
</platform>
"""

# Enough jobs, crashes and retries that the heap grows and is reused.
SCENARIO = """[simulation]
start = 2020-01-01T00:00:00Z
seed = 11
platform = "platform.xml"

[grid.r]
kind = "synthetic"
model = "solar-heavy"

[output]
trace_step = "1h"

[[campaign]]
name = "sweep"
trials = 3000
gpus_per_trial = 1
length = { distribution = "lognormal", median_h = 0.5, sigma = 1.0, min_h = 0.05 }
failures = { crash_probability = 0.05 }
"""


def kernel_offers_huge_pages():
    try:
        setting = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return False
    return "[madvise]" in setting or "[always]" in setting


def run_in(mlcycle, directory, env):
    directory.mkdir()
    (directory / "platform.xml").write_text(PLATFORM)
    (directory / "run.toml").write_text(SCENARIO)
    result = run_mlcycle(mlcycle, ["run", "run.toml", "-o", "run.h5", "--quiet"], cwd=directory,
                         env=env)
    expect_success(result, f"mlcycle run in {directory.name}")
    return directory / "run.h5"


@pytest.mark.title("huge pages: the heap on 2 MiB pages or 4 KiB pages gives the same file")
def test_same_file_either_way(mlcycle, tmp):
    h5py, _ = import_hdf5_stack()
    huge_out = run_in(mlcycle, tmp / "huge", {})
    small_out = run_in(mlcycle, tmp / "small", {"MLCYCLE_HUGE_PAGES": "off"})
    states = {}
    for name, out in (("huge", huge_out), ("small", small_out)):
        with h5py.File(out, "r") as f:
            state = f.attrs["heap_huge_pages"]
            states[name] = state.decode() if isinstance(state, bytes) else state
            # 3,000 trials, each with a row; crashes add retries.
            expect(len(f["jobs"]) >= 3000, f"{name}: /jobs has {len(f['jobs'])} rows")
    # (The sanitizer build, whose allocator owns the heap, does not run this test.)
    expected_huge = "on" if kernel_offers_huge_pages() else "unavailable"
    expect(states["huge"] == expected_huge,
           f"heap_huge_pages of the default run: {states['huge']!r}, expected {expected_huge!r}")
    expect(states["small"] == "off",
           f"heap_huge_pages with MLCYCLE_HUGE_PAGES=off: {states['small']!r}, expected 'off'")
    huge_digest, small_digest = digest(huge_out), digest(small_out)
    differing = sorted(k for k in huge_digest.keys() | small_digest.keys()
                       if huge_digest.get(k) != small_digest.get(k))
    expect(not differing, f"the two runs differ in: {', '.join(differing)}")
