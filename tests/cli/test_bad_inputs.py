#!/usr/bin/python3
"""Bad input must be rejected cleanly: `mlcycle` exits with status 2, prints exactly one line on
stderr of the form `FILE:LINE:COL: KEY: what is wrong` (for platform XML and command-line errors
the nearest equivalent: `platform.xml: host n0: KEY: ...`, `--set: KEY: ...`,
`command line: ...`), prints nothing on stdout, does not crash, and leaves no trace file behind:
neither OUT.h5 nor OUT.h5.tmp (nor a default results/*.h5) in the temporary working directory.

    test_bad_inputs.py --mlcycle PATH --case NAME   run one case (CTest: `cli: bad input: NAME`)
    test_bad_inputs.py --mlcycle PATH --all         run every case
    test_bad_inputs.py --list                       print the case names (used by CMake)

The fixtures are in tests/cli/bad/. Each case's stderr pattern is a regular expression that must
match the whole line; the tokens {f} (the case's scenario fixture), {x} (its platform fixture),
{out}, {tmp}, {single} and the ones a case's setup adds are replaced by the escaped paths first.
"""
import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (BAD_DIR, CRASH_MARKERS, SCENARIOS_DIR, TestFailure, check_mlcycle_binary,
                         h5_files_under, run_mlcycle, temp_dir)

SINGLE = SCENARIOS_DIR / "single-trial.toml"


@dataclass
class Case:
    name: str
    stderr: str                     # regex for the one stderr line (after token replacement)
    scenario: Optional[str] = None  # fixture in bad/, default command `run {f} -o {out}`
    xml: Optional[str] = None       # platform fixture in bad/ the scenario uses ({x})
    command: Optional[list] = None  # explicit arguments (tokens replaced), instead of the default
    setup: Optional[Callable] = None  # setup(tmp: Path) -> dict of extra tokens
    outputs: list = field(default_factory=lambda: ["{out}"])  # paths that must not exist


def setup_read_only_dir(tmp):
    """A directory the test user cannot create files in. Root ignores mode bits, so as root
    (where a 0555 directory is still writable) use /proc, where nobody can create files."""
    ro = tmp / "read-only"
    ro.mkdir()
    ro.chmod(0o555)
    probe = ro / "probe"
    try:
        probe.touch()
        probe.unlink()
        ro.chmod(0o755)
        ro = Path("/proc")
    except PermissionError:
        pass
    return {"rodir": str(ro)}


def setup_existing_dir(tmp):
    (tmp / "existing-dir").mkdir()
    return {}


def on_platform(xml):
    """`run bad/platform-case.toml` on the platform fixture bad/XML."""
    return ["run", "{f}", "--set", "simulation.platform=" + xml, "-o", "{out}"]


def run_single(*options):
    """`run scenarios/single-trial.toml OPTIONS -o OUT`: a good scenario, bad options."""
    return ["run", "{single}", *options, "-o", "{out}"]


CASES = [
    # --- scenario TOML -----------------------------------------------------------------------
    Case("malformed-toml", scenario="malformed-toml.toml",
         # line 4 is `seed = = 7`; toml++ points at the second '=' (column 8)
         stderr=r"{f}:4:8: malformed TOML: .+"),
    Case("wrong-type-trials", scenario="wrong-type-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: expected an integer, got a string"),
    Case("wrong-type-price", scenario="wrong-type-price.toml",
         stderr=r"{f}:10:1: accounting\.price_per_kwh: expected a number, got a string"),
    Case("negative-trials", scenario="negative-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: must be a positive integer"),
    Case("zero-trials", scenario="zero-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: must be a positive integer"),
    Case("zero-gpus-per-trial", scenario="zero-gpus-per-trial.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.gpus_per_trial: must be a positive integer"),
    Case("gpus-per-trial-overflow", scenario="gpus-per-trial-overflow.toml",
         # 2^32 + 2 GPUs: the loader's range check rejects it at the key (line 12)
         stderr=r"{f}:12:1: campaign\[0\]\.gpus_per_trial: at most 1000000"),
    Case("unknown-top-level-key", scenario="unknown-top-level-key.toml",
         # errors point at the key: `colour = "blue"` is line 1, column 1
         stderr=r"{f}:1:1: colour: unknown key"),
    Case("unknown-campaign-key", scenario="unknown-campaign-key.toml",
         # `  trails = 3` on line 18 (second campaign): the key starts at column 3
         stderr=r"{f}:18:3: campaign\[1\]\.trails: unknown key"),
    Case("unknown-phase", scenario="unknown-phase.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.phase: 'deployment' is not one of: "
                r"experimentation, training, inference"),
    Case("unknown-distribution", scenario="unknown-distribution.toml",
         stderr=r"{f}:13:12: campaign\[0\]\.length\.distribution: 'gamma' is not one of: .+"),
    Case("lognormal-missing-sigma", scenario="lognormal-missing-sigma.toml",
         stderr=r"{f}:13:10: campaign\[0\]\.length: missing key 'sigma'.*"),
    Case("uniform-max-below-min", scenario="uniform-max-below-min.toml",
         stderr=r"{f}:13:49: campaign\[0\]\.length\.max_h: must not be less than min_h"),
    Case("negative-list-hours", scenario="negative-list-hours.toml",
         stderr=r"{f}:12:49: campaign\[0\]\.length\.hours: every entry must be a positive .+"),
    Case("missing-simulation", scenario="missing-simulation.toml",
         stderr=r"{f}:1:1: (simulation: )?missing table \[simulation\]"),
    Case("missing-grid", scenario="missing-grid.toml",
         stderr=r"{f}:1:1: (grid: )?missing \[grid\.<region>\] table.*"),
    Case("both-intensity-units", scenario="both-intensity-units.toml",
         stderr=r"{f}:5:1: grid\.us-average-2018: give intensity_g_per_kwh or "
                r"intensity_lbs_per_kwh, not both"),
    Case("missing-platform-file", scenario="missing-platform-file.toml",
         stderr=r"{f}:3:1: simulation\.platform: no such file: {bad}/no-such-platform\.xml"),
    Case("start-without-utc-offset", scenario="start-without-utc-offset.toml",
         stderr=r"{f}:2:1: simulation\.start: needs a UTC offset .+"),
    Case("bad-duration", scenario="bad-duration.toml",
         stderr=r"{f}:13:1: campaign\[0\]\.submit_at: '3 parsecs' is not a duration .+"),
    Case("pue-below-one", scenario="pue-below-one.toml",
         stderr=r"{f}:10:1: accounting\.pue: a PUE is at least 1\.0"),
    Case("unknown-engine", scenario="unknown-engine.toml",
         stderr=r"{f}:4:1: simulation\.engine: 'quantum' is not one of: analytic, exec"),
    Case("duplicate-campaign-names", scenario="duplicate-campaign-names.toml",
         stderr=r"{f}:16:1: campaign\[1\]\.name: 'search' is used by an earlier campaign"),
    Case("unknown-cluster", scenario="unknown-cluster.toml",
         # found once the platform is loaded, reported at the `cluster` key (line 11)
         stderr=r"{f}:11:1: campaign\[0\]\.cluster: unknown cluster 'v100-pod' .+"),
    Case("too-many-gpus", scenario="too-many-gpus.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.gpus_per_trial: 16 GPUs asked, but "
                r"cluster 'p100-node' has only 8"),
    Case("empty-scenario", scenario="empty.toml",
         stderr=r"{f}(:1:1)?: (simulation: )?missing table \[simulation\]"),

    # --- platform XML (errors are found after OUT.h5.tmp was created: it must be removed) -----
    Case("malformed-platform-xml", scenario="malformed-platform.toml", xml="malformed-platform.xml",
         # SimGrid's parse error, as one line at the file's line 8 (`</platform>`)
         stderr=r"{x}:8: platform: invalid XML: Unexpected end-tag `</platform>': "
                r"`</cluster>' expected\."),
    Case("wattage-count-mismatch", scenario="wattage-count-mismatch.toml",
         xml="wattage-count-mismatch.xml",
         stderr=r"{x}: host n0: wattage_per_state: has 1 entries but the host has 2 pstate\(s\).*"),
    Case("wattage-garbage", scenario="wattage-garbage.toml", xml="wattage-garbage.xml",
         stderr=r"{x}: host n0: wattage_per_state: 'lots' in entry 'lots:of:watts' .+"),
    Case("overhead-not-a-number", scenario="overhead-not-a-number.toml",
         xml="overhead-not-a-number.xml",
         stderr=r"{x}: host n0: node_overhead_w: '250W' is not a number"),
    Case("undefined-grid-region", scenario="undefined-grid-region.toml",
         xml="undefined-grid-region.xml",
         stderr=r"{x}: host n0: grid_region: 'mars-colony' is not a \[grid\.<region>\] .+"),
    Case("host-without-wattage", scenario="no-wattage.toml", xml="no-wattage.xml",
         # the error names the campaign that would use the host: its [[campaign]] header, line 9
         stderr=r"{f}:9:1: campaign\[0\]\.cluster: host n0 of the cluster has no "
                r"wattage_per_state.*"),
    Case("grid-region-ambiguous", scenario="grid-region-ambiguous.toml", xml="no-grid-region.xml",
         # Regression guard: the zone walk of inherited_property() used to go past the root
         # zone when a property was on neither the host nor its zones (SIGSEGV, OUT.h5.tmp left).
         stderr=r"{x}: host n0: grid_region: missing, and the scenario defines several .+"),

    # --- output path ---------------------------------------------------------------------------
    Case("output-nonexistent-dir", command=["run", "{single}", "-o", "/nonexistent-dir/x.h5"],
         outputs=["/nonexistent-dir/x.h5"],
         stderr=r"/nonexistent-dir/x\.h5: --output: directory /nonexistent-dir does not exist"),
    Case("output-read-only-dir", command=["run", "{single}", "-o", "{rodir}/x.h5"],
         setup=setup_read_only_dir, outputs=["{rodir}/x.h5"],
         stderr=r"{rodir}/x\.h5: --output: cannot create {rodir}/x\.h5\.tmp .+"),
    Case("output-is-a-directory", command=["run", "{single}", "-o", "{tmp}/existing-dir"],
         setup=setup_existing_dir, outputs=["{tmp}/existing-dir.tmp"],
         stderr=r"{tmp}/existing-dir: --output: .+"),
    Case("output-empty", command=["run", "{single}", "-o", ""],
         outputs=["{tmp}/results/single-trial.h5"],
         stderr=r"(command line: )?(--output|-o)\b.*|command line: .*(--output|'-o').*"),

    # --- --set overrides ---------------------------------------------------------------------
    Case("set-unknown-array-element",
         command=run_single("--set", "campaign.no-such-campaign.trials=3"),
         stderr=r"--set: campaign\.no-such-campaign\.trials: no element 'no-such-campaign' "
                r"in the array"),
    Case("set-array-index-out-of-range", command=run_single("--set", "campaign.5.trials=3"),
         stderr=r"--set: campaign\.5\.trials: no element '5' in the array"),
    Case("set-table", command=run_single("--set", "simulation=3"),
         stderr=r"--set: simulation: only scalar values can be set.*"),
    Case("set-table-value", command=run_single("--set", "accounting.pue={ a = 1 }"),
         stderr=r"--set: accounting\.pue: only scalar values can be set.*"),
    Case("set-array-value", command=run_single("--set", "campaign.one-trial.trials=[1, 2]"),
         stderr=r"--set: campaign\.one-trial\.trials: only scalar values can be set.*"),
    Case("set-array", command=run_single("--set", "campaign.one-trial=3"),
         stderr=r"--set: campaign\.one-trial: 'campaign' is an array: name an element, then a key"),
    Case("set-no-equals", command=run_single("--set", "simulation.seed"),
         stderr=r"--set: simulation\.seed: expected KEY=VALUE .+"),
    Case("set-unknown-key", command=run_single("--set", "simulation.colour=blue"),
         stderr=r"--set: simulation\.colour: unknown key"),
    Case("set-out-of-range", command=run_single("--set", "campaign.one-trial.trials=0"),
         stderr=r"--set: campaign\[0\]\.trials: must be a positive integer"),
    Case("set-wrong-type", command=run_single("--set", "campaign.one-trial.trials=abc"),
         stderr=r"--set: campaign\[0\]\.trials: expected an integer, got a string"),
    Case("set-unknown-pue-profile", command=run_single("--set", "accounting.pue=abc"),
         stderr=r"--set: accounting\.pue: 'abc' is not a \[pue\.<name>\] profile"),
    Case("set-gpus-overflow",
         command=run_single("--set", "campaign.one-trial.gpus_per_trial=4294967296"),
         stderr=r"(--set|{single}:14:1): campaign(\[0\]| one-trial)\.gpus_per_trial: .+"),

    # --- ranges: extreme values are refused, never simulated (docs/scenarios.md, "Limits") ---
    Case("horizon-1e308", scenario="horizon-1e308.toml",
         stderr=r"{f}:4:1: simulation\.horizon: is out of range: durations are at most 1000 years"),
    Case("trace-step-1e-300-ms", command=run_single("--set", 'output.trace_step="1e-300 ms"'),
         stderr=r"--set: output\.trace_step: must be at least 1 s"),
    Case("stage-every-int64-ms", scenario="stage-every-huge.toml",
         stderr=r"{f}:11:1: stage\[0\]\.every: is out of range: durations are at most 1000 years"),
    Case("stage-runs-beyond-1000-years",
         command=["run", "{f}", "--set", 'stage.retrain.every="600y"', "-o", "{out}"],
         scenario="stage-every-huge.toml",
         stderr=r"{f}:12:1: stage\[0\]\.repeat: the runs would start later than 1000 years .+"),
    # A 1-year horizon in 1-s bins is 3.15e7 bins: fine; 10 years would be 3.15e8.
    Case("horizon-too-many-bins",
         command=run_single("--set", 'simulation.horizon="10y"', "--set", 'output.trace_step="1s"'),
         stderr=r"--set: output\.trace_step: the horizon would need more than 10\^8 trace bins: "
                r"use a step of at least 3 s"),
    # No horizon: 1e8 bins of 1 s end at 1157.4 d, and the trial is submitted after 10 years.
    Case("run-past-bin-limit",
         command=run_single("--set", 'output.trace_step="1s"',
                            "--set", 'campaign.one-trial.submit_at="10y"'),
         stderr=r"{single}: simulation: the run would go on past 1157\.4 d of simulated time .+"),
    Case("set-integer-beyond-64-bits",
         command=run_single("--set", "campaign.one-trial.trials=10000000000000000000"),
         stderr=r"--set: campaign\.one-trial\.trials: '10000000000000000000' is out of range: "
                r"integers are at most 9223372036854775807"),
    Case("set-integer-as-1e19", command=run_single("--set", "campaign.one-trial.trials=1e19"),
         stderr=r"--set: campaign\[0\]\.trials: is out of range: integers are at most "
                r"9223372036854775807"),
    Case("set-integer-as-float", command=run_single("--set", "campaign.one-trial.trials=1e3"),
         stderr=r"--set: campaign\[0\]\.trials: expected an integer, got a float .+"),
    Case("trials-beyond-1e12",
         command=run_single("--set", "campaign.one-trial.trials=1000000000001"),
         stderr=r"--set: campaign\[0\]\.trials: is out of range: at most 10\^12 trials .+"),

    # Found by setting every number of the example scenarios to 1e308, 1e-300 and 2^63 - 1:
    # these hung (an arrival search without end), aborted (double free) or exited 1.
    Case("arrival-per-day-1e308",
         command=["run", "{lifecycle}", "--set", "campaign.grid-searches.arrival.per_day=1e308",
                  "-o", "{out}"],
         setup=lambda tmp: {"lifecycle": str(SCENARIOS_DIR / "lisa-lifecycle.toml")},
         stderr=r"--set: campaign\[0\]\.arrival\.per_day: is out of range: 0\.001 to 3600000 "
                r"jobs per working day"),
    Case("arrival-per-day-1e-300",
         command=["run", "{lifecycle}", "--set", "campaign.grid-searches.arrival.per_day=1e-300",
                  "-o", "{out}"],
         setup=lambda tmp: {"lifecycle": str(SCENARIOS_DIR / "lisa-lifecycle.toml")},
         stderr=r"--set: campaign\[0\]\.arrival\.per_day: is out of range: .+"),
    Case("fleet-growth-2-to-63",
         command=["run", "{fleet}", "--set",
                  "deployment.robotaxi-fleet.vehicles_per_month=9223372036854775807", "-o", "{out}"],
         setup=lambda tmp: {"fleet": str(SCENARIOS_DIR / "av-fleet.toml")},
         stderr=r"--set: deployment\[\d\]\.vehicles_per_month: is out of range: at most 10\^12 "
                r"vehicles"),
    Case("serving-latency-1e308",
         command=["run", "{llm}", "--set", "deployment.chat-api.replica.latency_per_item_ms=1e308",
                  "-o", "{out}"],
         setup=lambda tmp: {"llm": str(SCENARIOS_DIR / "llm-serving.toml")},
         stderr=r"--set: deployment\[\d\]\.replica\.latency_per_item_ms: is out of range: at "
                r"most 1e9 ms"),

    # --- user text inside a message is escaped: the message stays one line ------------------
    Case("multi-line-string-in-message", scenario="phase-multiline.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.phase: 'train\\ning' is not one of: .+"),
    Case("line-separator-in-message", scenario="phase-line-separator.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.phase: 'train\\u2028ing' is not one of: .+"),

    # --- command line ------------------------------------------------------------------------
    Case("unknown-command", command=["frobnicate", "{single}"], outputs=[],
         stderr=r"command line: unknown command 'frobnicate'.*"),
    Case("missing-command", command=[], outputs=[],
         stderr=r"command line: missing command.*"),
    Case("missing-scenario-argument", command=["run"], outputs=[],
         stderr=r"command line: missing SCENARIO file.*"),
    Case("two-scenario-arguments", command=["run", "{single}", "{single}"], outputs=[],
         stderr=r"command line: expected one SCENARIO file, got several.*"),
    Case("missing-scenario-file", command=["run", "{tmp}/no-such-scenario.toml", "-o", "{out}"],
         stderr=r"{tmp}/no-such-scenario\.toml: cannot open the scenario file"),
    Case("unknown-option", command=["run", "{single}", "--frobnicate"],
         stderr=r"command line: unrecognised option '--frobnicate'.*"),
    Case("seed-not-a-number", command=run_single("--seed", "abc"),
         stderr=r"command line: --seed: 'abc' is not a non-negative integer.*"),
    Case("seed-negative", command=run_single("--seed=-1"),
         stderr=r"command line: --seed: '-1' is not a non-negative integer.*"),
    Case("check-with-output", command=["check", "{single}", "-o", "{out}"],
         stderr=r"command line: check writes nothing: --output does not apply.*"),
    Case("sg-cfg-unknown-key", command=run_single("--sg-cfg", "no/such-key:1"),
         stderr=r"command line: --sg-cfg no/such-key:1: Bad config key: no/such-key.*"),
    Case("sg-cfg-malformed", command=run_single("--sg-cfg", "nocolon"),
         stderr=r"command line: --sg-cfg[ =]nocolon: .+"),
    Case("sg-log-malformed", command=run_single("--sg-log", "garbage"),
         stderr=r"command line: --sg-log[ =]garbage: .+"),
    Case("sg-log-bad-priority", command=run_single("--sg-log", "root.thres:bogus"),
         stderr=r"command line: --sg-log[ =]root\.thres:bogus: .+"),

    # --- grid data files and time-varying grids ----------------------------------------------
    # Errors in a data file point at the file's line and field ({bad}/NAME.csv:LINE:COL), keyed
    # by the column's header name; errors of the scenario's grid keys point at the key.
    Case("grid-bad-timestamp", scenario="grid-bad-timestamp.toml",
         stderr=r"{bad}/grid-bad-timestamp\.csv:3:1: timestamp: '2020-01-01T25:00:00Z' is not a "
                r"UTC timestamp \(expected e\.g\. 2020-01-01T00:00:00Z\)"),
    Case("grid-unsorted-timestamps", scenario="grid-unsorted.toml",
         stderr=r"{bad}/grid-unsorted\.csv:4:1: timestamp: timestamps out of order: "
                r"2020-01-01T01:00:00Z after 2020-01-01T02:00:00Z \(line 3\)"),
    Case("grid-duplicate-timestamp", scenario="grid-duplicate-timestamp.toml",
         stderr=r"{bad}/grid-duplicate-timestamp\.csv:4:1: timestamp: duplicate timestamp "
                r"2020-01-01T01:00:00Z \(also on line 3\)"),
    Case("grid-negative-intensity", scenario="grid-negative-intensity.toml",
         stderr=r"{bad}/grid-negative-intensity\.csv:4:2: carbon_intensity_g_per_kwh: "
                r"negative intensity -5\.5"),
    Case("grid-missing-column", scenario="grid-missing-column.toml",
         # the header (line 1) lacks the value column: the error lists what it has
         stderr=r"{bad}/grid-missing-column\.csv:1(:\d+)?: carbon_intensity_g_per_kwh: "
                r"no such column; the header has: timestamp, intensity"),
    Case("grid-trace-does-not-cover-run", scenario="grid-short-trace.toml",
         # rows 00:00 and 01:00 (lines 2-3): the data ends at 02:00, the 3 h trial needs 03:00;
         # the error is at the last row's line and names the data's end
         stderr=r"{bad}/grid-short-trace\.csv:3:1: grid\.us-average-2018: the run goes on past "
                r"2020-01-01T02:00:00Z, where the data ends "
                r"\(set hold = \"edges\" or wrap = \"year\"\)"),
    Case("mix-unknown-source", scenario="mix-unknown-source.toml",
         # reported at the region's `file` key (line 9)
         stderr=r"{f}:9:1: grid\.us-average-2018: unknown source 'peat' and no factor: give "
                r"\[grid\.us-average-2018\.factor_g_per_kwh\] peat = <g/kWh>"),
    Case("mix-import-without-rule", scenario="mix-import-without-rule.toml",
         stderr=r"{f}:9:1: grid\.us-average-2018: import column import_from_fr_mw needs a rule: "
                r"\[grid\.us-average-2018\.imports\] fr = <g/kWh>, = \"<region>\" or = "
                r"\"exclude\""),
    Case("unknown-synthetic-model", scenario="unknown-synthetic-model.toml",
         stderr=r"{f}:9:1: grid\.us-average-2018\.model: 'lunar-tidal' is not a built-in grid "
                r"\(.*solar-heavy.*\)"),
    Case("unknown-factor-set", scenario="unknown-factor-set.toml",
         stderr=r"{f}:10:1: grid\.us-average-2018\.factors: 'ipcc-ar6-2022' is not one of: "
                r"ipcc-ar5-2014, ipcc-srren-2011"),
    Case("pue-monthly-eleven-values", scenario="pue-monthly-eleven.toml",
         stderr=r"{f}:11:1: pue\.seasonal\.monthly: needs 12 values, got 11"),
    Case("pue-trace-below-one", scenario="pue-trace-below-one.toml",
         # line 3 of the PUE trace (value column `pue`) is 0.95; keyed by the profile
         stderr=r"{bad}/pue-trace-below-one\.csv:3(:2)?: pue\.measured: pue 0\.95\d* is below "
                r"1\.0: a PUE is at least 1(\.0)?"),

    # --- lifecycles: stages, searches, arrivals, failures, scheduling -------------------------
    # Every fixture starts with the same 8 lines ([simulation] on p100-node.xml, one 8-GPU
    # node, and [grid.us-average-2018]); the interesting tables start on line 9. Checks that
    # need all stages (references, cycles) run after the whole file was read; they report
    # stages, campaigns and deployments by name (`stage.b.after`).
    Case("stage-cycle", scenario="stage-cycle.toml",
         # a after b (line 11), b after a (line 15): the walk from a finds a -> b -> a and
         # reports it at b's `after`
         stderr=r"{f}:15:1: stage\[1\]\.after: dependency cycle: a -> b -> a"),
    Case("stage-self-cycle", scenario="stage-self-cycle.toml",
         stderr=r"{f}:11:1: stage\[0\]\.after: dependency cycle: a -> a"),
    Case("stage-after-unknown", scenario="stage-after-unknown.toml",
         stderr=r"{f}:11:1: stage\[0\]\.after: 'explore' is not a \[\[stage\]\] name"),
    Case("campaign-unknown-stage", scenario="campaign-unknown-stage.toml",
         stderr=r"{f}:15:1: campaign\[0\]\.stage: 'tarin' is not a \[\[stage\]\] name"),
    Case("stage-repeat-without-every", scenario="stage-repeat-without-every.toml",
         stderr=r"{f}:11:1: stage\[0\]\.repeat: needs 'every' \(the period between runs\)"),
    Case("stage-every-without-repeat", scenario="stage-every-without-repeat.toml",
         stderr=r"{f}:11:1: stage\[0\]\.every: needs 'repeat' \(how many runs\)"),
    Case("stage-start-before-scenario", scenario="stage-start-before-scenario.toml",
         stderr=r"{f}:11:1: stage\[0\]\.start_at: is before the scenario start"),
    Case("scheduler-unknown-policy", scenario="scheduler-unknown-policy.toml",
         stderr=r"{f}:10:1: scheduler\.policy: 'sjf' is not one of: fifo, easy-backfill"),
    Case("power-off-negative", scenario="power-off-negative.toml",
         stderr=r"{f}:11:1: scheduler\.power_off_after: must not be negative"),
    Case("search-too-many-gpus", scenario="search-too-many-gpus.toml",
         # 9 GPUs per trial on the 8-GPU node, found once the platform is loaded
         stderr=r"{f}:11:1: campaign\[0\]\.gpus_per_trial: 9 GPUs asked, but "
                r"cluster 'p100-node' has only 8"),
    Case("search-eta-below-two", scenario="search-eta-below-two.toml",
         # `eta = 1.5` inside the inline table on line 11, column 80
         stderr=r"{f}:11:80: campaign\[0\]\.search\.eta: must be at least 2"),
    Case("search-min-above-max-budget", scenario="search-min-above-max-budget.toml",
         stderr=r"{f}:11:62: campaign\[0\]\.search\.min_budget: must not be greater than "
                r"campaign\[0\]\.search\.max_budget \(27\)"),
    Case("search-with-trials", scenario="search-with-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: a search campaign's trials are its "
                r"configurations and their budgets: give them in 'search'"),
    Case("search-unknown-kind", scenario="search-unknown-kind.toml",
         stderr=r"{f}:11:12: campaign\[0\]\.search\.kind: 'bayesian' is not one of: grid, "
                r"random, successive_halving, asha, hyperband"),
    Case("unknown-arrival-pattern", scenario="unknown-arrival-pattern.toml",
         stderr=r"{f}:13:13: campaign\[0\]\.arrival\.pattern: 'bursty' is not one of: "
                r"\"all-at-start\", \"rate\", \"researcher\""),
    Case("checkpoint-interval-zero", scenario="checkpoint-interval-zero.toml",
         stderr=r"{f}:13:39: campaign\[0\]\.failures\.checkpoint_interval: (checkpoint "
                r"interval )?must be greater than zero"),
    Case("crash-probability-above-one", scenario="crash-probability-above-one.toml",
         stderr=r"{f}:13:14: campaign\[0\]\.failures\.crash_probability: must be within "
                r"\[0, 1\]"),
    Case("both-crash-models", scenario="both-crash-models.toml",
         # reported at the second model, rate_per_gpu_hour (line 13, column 39)
         stderr=r"{f}:13:39: campaign\[0\]\.failures\.rate_per_gpu_hour: give either "
                r"crash_probability or rate_per_gpu_hour, not both"),
    Case("walltime-and-factor", scenario="walltime-and-factor.toml",
         stderr=r"{f}:14:1: campaign\[0\]\.walltime_factor: give 'walltime' or a factor, "
                r"not both"),
    Case("gradient-without-step-time", scenario="gradient-without-step-time.toml",
         stderr=r"{f}:14:1: campaign\[0\]\.gradient_mb: needs 'step_time'.*"),

    # --- deployments: [[deployment]] common, serving and fleet keys -----------------------------
    # One campaign on lines 9-12, the [[deployment]] header on line 14 (line 18 when the
    # deployment follows a [[stage]] and its campaign).
    Case("deployment-unknown-kind", scenario="deployment-unknown-kind.toml",
         stderr=r"{f}:16:1: deployment\[0\]\.kind: 'edge' is not one of: serving, fleet"),
    Case("deployment-after-and-start-at", scenario="deployment-after-and-start-at.toml",
         # after = "train" on line 21, start_at on line 22: reported at start_at
         stderr=r"{f}:22:1: deployment\[0\]\.start_at: give 'after' \(a stage\) or 'start_at', "
                r"not both"),
    Case("deployment-after-unknown-stage", scenario="deployment-after-unknown-stage.toml",
         stderr=r"{f}:17:1: deployment\[0\]\.after: 'trian' is not a "
                r"\[\[stage\]\] name"),
    Case("serving-too-many-gpus", scenario="serving-too-many-gpus.toml",
         # 5 replicas x 2 GPUs = 10 GPUs on the 8-GPU node (max_replicas: line 20, column 34)
         stderr=r"{f}:20:34: deployment\[0\]\.autoscaler\.max_replicas: max_replicas 5 x "
                r"replica\.gpus 2 = 10 GPUs held, but cluster 'p100-node' has only 8"),
    Case("serving-zero-batch", scenario="serving-zero-batch.toml",
         # batch_size = 0 would make a replica's throughput 0 (line 19, column 23)
         stderr=r"{f}:19:23: deployment\[0\]\.replica\.batch_size: must be a positive integer"),
    Case("serving-infinite-throughput", scenario="serving-infinite-throughput.toml",
         stderr=r"{f}:19:11: deployment\[0\]\.replica: latency_base_ms and latency_per_item_ms "
                r"are both zero: .+"),
    Case("serving-min-above-max-replicas", scenario="serving-min-above-max-replicas.toml",
         stderr=r"{f}:19:16: deployment\[0\]\.autoscaler\.min_replicas: min replicas greater "
                r"than max replicas \(4 > 2\)"),
    Case("serving-busy-below-idle", scenario="serving-busy-below-idle.toml",
         # found once the platform is loaded: 1 GPU of p100-node idles at (240 + 250) / 8
         # = 61.25 W, above busy_w 40; reported at the `replica` key (line 14)
         stderr=r"{f}:14:1: deployment\[0\]\.replica\.busy_w: busy_w 40 W is less than the "
                r"platform's idle_w 61\.25 W: give both idle_w and busy_w"),
    Case("serving-busy-below-idle-check", scenario="serving-busy-below-idle.toml",
         command=["check", "{f}"],
         stderr=r"{f}:14:1: deployment\[0\]\.replica\.busy_w: busy_w 40 W is less than the "
                r"platform's idle_w 61\.25 W: give both idle_w and busy_w"),
    Case("demand-file-too-short", scenario="demand-file-too-short.toml",
         # the deployment runs from day 1 for 1 h; the data ends at 02:00 on day 0 (last row
         # 01:00 + the 1 h row spacing); reported at the file's last row when the run starts
         stderr=r"{bad}/demand-short\.csv:3:1: deployment\[0\]\.demand\.file: the deployment runs "
                r"until 2020-01-02T01:00:00Z, past 2020-01-01T02:00:00Z where the demand data "
                r"ends .+"),
    Case("fleet-negative-vehicles", scenario="fleet-negative-vehicles.toml",
         stderr=r"{f}:18:1: deployment\[0\]\.vehicles: negative fleet size"),
    Case("fleet-charge-window-too-long", scenario="fleet-charge-window-too-long.toml",
         stderr=r"{f}:21:29: deployment\[0\]\.ev\.charge_hours: charging window longer than "
                r"a day"),
    Case("fleet-table-of-other-source", scenario="fleet-table-of-other-source.toml",
         stderr=r"{f}:21:1: deployment\[0\]\.ice: given, but source is 'ev'"),
    Case("fleet-update-without-updates-from", scenario="fleet-update-without-updates-from.toml",
         stderr=r"{f}:18:1: deployment\[0\]\.update: needs 'updates_from'.*"),
    Case("fleet-updates-from-unknown-stage", scenario="fleet-updates-from-unknown-stage.toml",
         stderr=r"{f}:18:1: deployment\[0\]\.updates_from: 'retrain' is not a "
                r"\[\[stage\]\] name"),
    Case("ice-fleet-region", scenario="ice-fleet-region.toml",
         # found when the fleets are given their sites, after the platform was loaded
         stderr=r"{f}:18:1: deployment(\.cars|\[0\])\.region: an ice fleet burns fuel: it draws "
                r"from no grid region"),
    Case("ev-fleet-unknown-region", scenario="ev-fleet-unknown-region.toml",
         # found after the platform was loaded (OUT.h5.tmp exists by then and must be removed)
         stderr=r"{f}:18:1: deployment(\.cars|\[0\])\.region: 'eu-north' is not a "
                r"\[grid\.<region>\] of the scenario"),

    # --- platform power-state properties (read after OUT.h5.tmp was created) -----------------
    Case("negative-boot-time", scenario="negative-boot-time.toml", xml="negative-boot-time.xml",
         stderr=r"{x}: host p0: boot_time_s: must be at least 0, got -600"),
    Case("wattage-off-garbage", scenario="wattage-off-garbage.toml", xml="wattage-off-garbage.xml",
         stderr=r"{x}: host p0: wattage_off: '5W' is not a number"),

    Case("arrival-on-search", scenario="arrival-on-search.toml",
         stderr=r"{f}:13:1: campaign\[0\]\.arrival: a search submits trials as workers free up: "
                r"arrivals apply to independent trials"),
    Case("trials-per-arrival-without-arrival", scenario="trials-per-arrival-alone.toml",
         stderr=r"{f}:14:1: campaign\[0\]\.trials_per_arrival: needs 'arrival' \(all trials "
                r"arrive at once without\)"),

    # --- SimGrid state profiles (SimGrid itself would abort): checked before it reads them ----
    Case("state-file-missing", scenario="state-file-missing.toml", xml="state-file-missing.xml",
         # at the attribute: line 10, column 40
         stderr=r"{x}:10:40: host g1: state_file: cannot open the profile file no-such\.state"),
    Case("state-file-unsorted", scenario="state-file-unsorted.toml", xml="state-file-unsorted.xml",
         stderr=r"{bad}/unsorted\.state:2:1: host g1: state_file: times must increase "
                r"\(1800 comes after a later time\)"),
    Case("state-file-shared", scenario="state-file-shared.toml", xml="state-file-shared.xml",
         # Two hosts may share a profile file (mlcycle reads it for each and hands SimGrid the
         # events); here both hosts fail, which leaves no host for the scheduler.
         stderr=r"{x}: platform: every host has a state_file: mlcycle's scheduler needs one "
                r"host that never fails"),
    Case("state-file-malformed", scenario="state-file-malformed.toml",
         xml="state-file-malformed.xml",
         # `7200 on`: the value (column 6) is not a number
         stderr=r"{bad}/malformed\.state:2:6: host g1: state_file: value 'on' is not a number"),

    # --- what SimGrid 3.32 aborts on (issue 11): a CRITICAL line and a backtrace, OUT.h5.tmp
    # left behind, before mlcycle checked it. Each platform fixture X.xml runs with
    # bad/platform-case.toml (`--set simulation.platform=X.xml`); g0 (lines 7-9) is a good host.
    # State profiles SimGrid parses but then aborts on, or runs wrongly:
    Case("state-profile-huge-value", scenario="platform-case.toml", xml="profile-huge-value.xml",
         command=on_platform("profile-huge-value.xml"),
         stderr=r"{bad}/huge-value\.state:2:6: host g1: state_file: a state is 0 \(off\) or 1 "
                r"\(on\), got 1e308"),
    Case("state-profile-negative-value", scenario="platform-case.toml",
         xml="profile-negative-value.xml", command=on_platform("profile-negative-value.xml"),
         stderr=r"{bad}/negative-value\.state:2:6: host g1: state_file: a state is 0 \(off\) or "
                r"1 \(on\), got -1"),
    Case("state-profile-nan-time", scenario="platform-case.toml", xml="profile-nan-time.xml",
         command=on_platform("profile-nan-time.xml"),
         stderr=r"{bad}/nan-time\.state:1:1: host g1: state_file: time 'nan' is not a finite "
                r"number"),
    # Host and route checks made before SimGrid sees the file (line 10, column 31: `core`):
    Case("host-zero-cores", scenario="platform-case.toml", xml="host-zero-cores.xml",
         command=on_platform("host-zero-cores.xml"),
         stderr=r"{x}:10:31: host g1: core: a host has at least 1 core \(one per GPU\), got 0"),
    Case("host-negative-cores", scenario="platform-case.toml", xml="host-negative-cores.xml",
         command=on_platform("host-negative-cores.xml"),
         stderr=r"{x}:10:31: host g1: core: a host has at least 1 core \(one per GPU\), got -4"),
    # 10^9 GPUs passed `check`, then `run` died of std::bad_alloc in the GPU pool: both refuse
    Case("host-billion-cores", scenario="platform-case.toml", xml="host-billion-cores.xml",
         command=on_platform("host-billion-cores.xml"),
         stderr=r"{x}:10:31: host g1: core: at most 4096 cores \(GPUs\) per host, got 1000000000"),
    Case("host-billion-cores-check", scenario="platform-case.toml", xml="host-billion-cores.xml",
         command=["check", "{f}", "--set", "simulation.platform=host-billion-cores.xml"],
         stderr=r"{x}:10:31: host g1: core: at most 4096 cores \(GPUs\) per host, got 1000000000"),
    Case("too-many-hosts", scenario="platform-case.toml", xml="too-many-hosts.xml",
         command=["check", "{f}", "--set", "simulation.platform=too-many-hosts.xml"],
         # radical 0-4000000: 4,000,001 hosts, at the <cluster> (line 5, column 3)
         stderr=r"{x}:5:3: cluster huge: the platform would have 4000001 hosts: at most 4000000"),
    Case("duplicate-route", scenario="platform-case.toml", xml="duplicate-route.xml",
         command=on_platform("duplicate-route.xml"),
         stderr=r"{x}:13:5: route g0 -> g1: this route is already defined on line 12 \(routes go "
                r"both ways unless symmetrical=\"NO\"\)"),
    Case("link-profile", scenario="platform-case.toml", xml="link-profile.xml",
         command=on_platform("link-profile.xml"),
         stderr=r"{x}:11:51: link l0: bandwidth_file: profiles on links are not supported by "
                r"mlcycle \(a host's state_file and speed_file are\)"),
    # Broken XML: SimGrid's parse errors, one line at their line; our own reader's, at the byte.
    Case("unclosed-host", scenario="platform-case.toml", xml="unclosed-host.xml",
         command=on_platform("unclosed-host.xml"),
         stderr=r"{x}:9: platform: invalid XML: Unexpected end-tag `</zone>': `</host>' "
                r"expected\."),
    Case("malformed-tag", scenario="platform-case.toml", xml="malformed-tag.xml",
         command=on_platform("malformed-tag.xml"),
         stderr=r"{x}:10:31: platform: unexpected '<' in tag <host>"),
    Case("invalid-utf8", scenario="platform-case.toml", xml="invalid-utf8.xml",
         command=on_platform("invalid-utf8.xml"),
         # `<host id="g1-caf\xe9"`: the Latin-1 byte is column 21 of line 10
         stderr=r"{x}:10:21: platform: invalid UTF-8 \(byte 0xE9\)"),
    Case("platform-too-old", scenario="platform-case.toml", xml="platform-too-old.xml",
         command=on_platform("platform-too-old.xml"),
         # SimGrid's answer is an 8-line banner of stars and advice
         stderr=r"{x}:4: platform: platform version 3\.0 is too old for SimGrid 3\.32 \(it reads "
                r"4\.0 and 4\.1\): update the file with simgrid_update_xml"),
    # What no check of mlcycle's catches: the pre-flight child's abort, as one line.
    Case("unknown-zone-routing", scenario="platform-case.toml", xml="unknown-zone-routing.xml",
         command=on_platform("unknown-zone-routing.xml"),
         stderr=r"{x}:5: platform: Not a valid model!"),
    # SimGrid's `[surf_parse/WARNING] FULLDUPLEX is now deprecated` no longer comes before the
    # error (here g1's grid region).
    Case("parse-warning-and-error", scenario="platform-case.toml", xml="parse-warning.xml",
         command=on_platform("parse-warning.xml"),
         stderr=r"{x}: host g1: grid_region: 'mars-colony' is not a \[grid\.<region>\] of the "
                r"scenario"),
]

CASES_BY_NAME = {c.name: c for c in CASES}
assert len(CASES_BY_NAME) == len(CASES), "duplicate case names"


def replace_tokens(text, tokens, escape):
    for key, value in tokens.items():
        text = text.replace("{" + key + "}", re.escape(value) if escape else value)
    return text


def run_case(mlcycle, case):
    with temp_dir("bad-input") as tmp_name:
        tmp = Path(tmp_name)
        tokens = {"tmp": str(tmp), "out": str(tmp / "out.h5"), "single": str(SINGLE),
                  "bad": str(BAD_DIR)}
        if case.scenario:
            tokens["f"] = str(BAD_DIR / case.scenario)
        if case.xml:
            tokens["x"] = str(BAD_DIR / case.xml)
        for key in ("f", "x"):
            if key in tokens and not Path(tokens[key]).is_file():
                raise TestFailure(f"fixture missing: {tokens[key]}")
        try:
            if case.setup:
                tokens.update(case.setup(tmp))
            command = case.command if case.command is not None else ["run", "{f}", "-o", "{out}"]
            args = [replace_tokens(a, tokens, escape=False) for a in command]
            result = run_mlcycle(mlcycle, args, cwd=tmp)
            leftovers = h5_files_under(tmp)
            for output in case.outputs:
                path = replace_tokens(output, tokens, escape=False)
                for candidate in (path, path + ".tmp"):
                    if os.path.lexists(candidate) and candidate not in leftovers:
                        leftovers.append(candidate)
        finally:
            for path in tmp.iterdir():  # undo a read-only directory so that cleanup works
                if path.is_dir():
                    path.chmod(0o755)
        pattern = replace_tokens(case.stderr, tokens, escape=True)

    problems = []
    if result.returncode != 2:
        problems.append(f"exit status {result.returncode}, expected 2")
    crash = [m for m in CRASH_MARKERS if m in result.stderr]
    if crash:
        problems.append(f"stderr shows a crash ({', '.join(crash)})")
    lines = result.stderr.split("\n")
    if not (len(lines) == 2 and lines[1] == "" and lines[0].strip()):
        problems.append(f"stderr must be exactly one line, got {len(result.stderr.splitlines())}")
    elif not re.fullmatch(pattern, lines[0]):
        problems.append(f"stderr line does not match the expected pattern\n"
                        f"    pattern: {pattern}\n    line:    {lines[0]}")
    if result.stdout:
        problems.append("stdout must be empty for rejected input")
    if leftovers:
        problems.append("output left behind: " + ", ".join(leftovers))
    if problems:
        message = "\n".join("  - " + p for p in problems) + "\n" + result.describe()
        raise TestFailure(message)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mlcycle", help="path of the mlcycle binary under test")
    parser.add_argument("--case", action="append", default=[], help="case to run (repeatable)")
    parser.add_argument("--all", action="store_true", help="run every case")
    parser.add_argument("--list", action="store_true", help="print the case names")
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(case.name)
        return 0
    names = [c.name for c in CASES] if args.all else args.case
    if not names:
        parser.error("give --case NAME, --all or --list")
    unknown = [n for n in names if n not in CASES_BY_NAME]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)} (see --list)")
    if not args.mlcycle:
        parser.error("--mlcycle PATH is required")
    failures = 0
    for name in names:
        try:
            run_case(check_mlcycle_binary(args.mlcycle), CASES_BY_NAME[name])
            print(f"PASS bad input: {name}", flush=True)
        except TestFailure as e:
            failures += 1
            print(f"FAIL bad input: {name}\n{e}", file=sys.stderr)
    if len(names) > 1:
        print(f"{len(names) - failures} passed, {failures} failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
