"""End-to-end runs of the mlcycle binary: --help and --version, `check` on every scenario,
`run` of scenarios/single-trial.toml against a hand-computed oracle, determinism of
scenarios/two-sites.toml under a seed, and --set / --seed overrides.

    /usr/bin/python3 -m pytest tests/cli/test_cli_runs.py --mlcycle PATH

Needs h5py and numpy (Debian's /usr/bin/python3).
"""
import re
import sys
import tomllib
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SCENARIOS_DIR, SHARED_DATA, SOURCE_DIR, TestFailure, expect,
                         expect_close, expect_success, h5_files_under, import_hdf5_stack,
                         run_mlcycle, temp_dir)

SINGLE = SCENARIOS_DIR / "single-trial.toml"
TWO_SITES = SCENARIOS_DIR / "two-sites.toml"
J_PER_KWH = 3.6e6
G_PER_LB = 453.59237


# --- The single-trial oracle, by hand ---------------------------------------------------------
# platforms/p100-node.xml: one host, 8 cores (= 8 GPUs), wattage_per_state 240:240:1265.43
# (Idle 240 W, Epsilon 240 W, AllCores 1265.43 W), node_overhead_w 250, pue 1.58.
# scenarios/single-trial.toml: 1 trial, 2 GPUs, fixed 3 h; grid 400 g/kWh; price 0.10 per kWh;
# no [accounting] pue, so the platform's 1.58 applies.
# A job on k of c GPUs draws k * (AllCores + overhead) / c of IT power
# (sim/accounting/host_power.hpp):
JOB_IT_W = 2 * (1265.43 + 250) / 8                 # = 378.8575 W
DURATION_S = 3 * 3600.0                            # = 10800 s
JOB_IT_J = JOB_IT_W * DURATION_S                   # = 4,091,661 J
PUE = 1.58
JOB_ENERGY_J = JOB_IT_J * PUE                      # = 6,464,824.38 J facility
JOB_KWH = JOB_ENERGY_J / J_PER_KWH                 # = 1.79578455 kWh
JOB_CO2_G = JOB_KWH * 400                          # = 718.31382 g
JOB_COST = JOB_KWH * 0.10                          # = 0.179578455
JOB_GPU_HOURS = 2 * 3.0                            # = 6 GPU-h
# The node with 2 of 8 GPUs busy draws Epsilon + (2/8)(AllCores - Epsilon) + overhead
NODE_IT_W = 240 + 2 / 8 * (1265.43 - 240) + 250    # = 746.3575 W
IDLE_IT_W = NODE_IT_W - JOB_IT_W                   # = 367.5 W (the 6 idle GPUs + their overhead)
IDLE_ENERGY_J = IDLE_IT_W * PUE * DURATION_S       # = 6,271,020 J facility
IDLE_CO2_G = IDLE_ENERGY_J / J_PER_KWH * 400       # = 696.78 g
PEAK_POWER_W = NODE_IT_W * PUE                     # = 1179.24485 W facility
UTILIZATION = JOB_GPU_HOURS / (8 * 3.0)            # = 0.25


def project_version():
    text = (SOURCE_DIR / "CMakeLists.txt").read_text()
    m = re.search(r"project\(\s*mlcycle\s+VERSION\s+([0-9][0-9.]*)", text)
    if not m:
        raise TestFailure("cannot find project(mlcycle VERSION x.y.z) in CMakeLists.txt")
    return m.group(1)


def run_to(mlcycle, tmp, scenario, name, extra=()):
    """`mlcycle run SCENARIO -o tmp/name` and checks of what every successful run does."""
    out = Path(tmp) / name
    result = run_mlcycle(mlcycle, ["run", scenario, "-o", out, *extra], cwd=tmp)
    expect_success(result, f"run {Path(scenario).name}")
    expect(result.stderr == "", "a successful run prints nothing on stderr", result)
    expect(out.is_file(), f"{out} was not written", result)
    expect(not Path(str(out) + ".tmp").exists(), f"{out}.tmp left behind after success", result)
    return out, result


def read_trace(path):
    """The parts of a trace the tests compare: /jobs, every /trace dataset, root attributes."""
    h5py, _ = import_hdf5_stack()
    with h5py.File(path, "r") as f:
        return {
            "jobs": f["jobs"][()],
            "trace": {k: f["trace"][k][()] for k in f["trace"]},
            "by_series": f["summary/by_series"][()],
            "attrs": dict(f.attrs),
            "summary_attrs": dict(f["summary"].attrs),
        }


def scenario_toml(trace):
    text = trace["attrs"]["scenario_toml"]
    text = text.decode() if isinstance(text, bytes) else text
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise TestFailure(f"the scenario_toml attribute is not valid TOML ({e}):\n{text}")


def series_row(by_series, name):
    for row in by_series:
        series = row["series"]
        if (series.decode() if isinstance(series, bytes) else series) == name:
            return row
    raise TestFailure(f"/summary/by_series has no row '{name}'")


def same_array(a, b):
    """Bit-identical arrays (NaN == NaN): dtype, shape and bytes; variable-length strings (numpy
    object arrays, whose bytes are pointers) by value."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "O":
        return a.tolist() == b.tolist()
    return a.tobytes() == b.tobytes()


@pytest.mark.title("help")
def test_help(mlcycle):
    texts = []
    for argv in (["--help"], ["-h"], ["help"]):
        result = run_mlcycle(mlcycle, argv)
        expect_success(result, f"mlcycle {' '.join(argv)}")
        expect(result.stderr == "", "help prints nothing on stderr", result)
        for needle in ("usage:", "mlcycle run SCENARIO.toml", "mlcycle check SCENARIO.toml",
                       "--output", "--set", "--seed", "--quiet", "--version",
                       "exit status: 0 success, 2 bad input or usage, 1 runtime failure"):
            expect(needle in result.stdout, f"help text lacks {needle!r}", result)
        texts.append(result.stdout)
    expect(texts[0] == texts[1] == texts[2], "--help, -h and `help` print different texts")


@pytest.mark.title("version")
def test_version(mlcycle):
    result = run_mlcycle(mlcycle, ["--version"])
    expect_success(result, "mlcycle --version")
    expect(result.stderr == "", "--version prints nothing on stderr", result)
    expected = f"mlcycle {project_version()}\n"
    expect(result.stdout == expected,
           f"--version printed {result.stdout!r}, expected {expected!r} (project version)", result)


def check_scenarios(mlcycle, scenarios):
    with temp_dir("check") as tmp:
        for scenario in scenarios:
            result = run_mlcycle(mlcycle, ["check", scenario], cwd=tmp)
            expect_success(result, f"check {scenario}")
            expect(result.stderr == "", f"check {scenario.name}: stderr not empty", result)
            pattern = (re.escape(str(scenario)) + r": ok \(\d+ campaign\(s\), "
                       r"(\d+ stage\(s\), )?(\d+ deployment\(s\), )?\d+ host\(s\); "
                       r"[^:]+: \d+ GPUs(, [^:]+: \d+ GPUs)*\)\n")
            expect(re.fullmatch(pattern, result.stdout) is not None,
                   f"check {scenario.name}: unexpected output", result)
            leftovers = list(Path(tmp).iterdir())
            expect(not leftovers, f"check wrote files: {leftovers}", result)


# scenarios/shared-data/ reads ../shared/data next to the repository: a test of its own, which
# is skipped when the data is absent.


def shipped_files(shared):
    """The shipped scenarios that read ../shared/data (shared) or not; sweep files apart."""
    found = []
    for path in sorted(SCENARIOS_DIR.rglob("*.toml")):
        text = path.read_text()
        if any(line.strip() == "[sweep]" for line in text.splitlines()):
            continue
        if ("shared/data/" in text) == shared:
            found.append(path)
    return found


@pytest.mark.title("check every scenario")
def test_check_every_scenario(mlcycle):
    scenarios = shipped_files(shared=False)
    expect(SINGLE in scenarios and TWO_SITES in scenarios and len(scenarios) >= 3,
           f"expected the example scenarios under {SCENARIOS_DIR}, found {scenarios}")
    check_scenarios(mlcycle, scenarios)
    with temp_dir("check") as tmp:
        single = run_mlcycle(mlcycle, ["check", SINGLE], cwd=tmp)
        expect(single.stdout == f"{SINGLE}: ok (1 campaign(s), 1 host(s); p100-node: 8 GPUs)\n",
               "check single-trial: wrong counts", single)
        two = run_mlcycle(mlcycle, ["check", TWO_SITES], cwd=tmp)
        expect(two.stdout == f"{TWO_SITES}: ok (3 campaign(s), 3 host(s); "
                             "site-a: 16 GPUs, site-b: 8 GPUs)\n",
               "check two-sites: wrong counts", two)


@pytest.mark.title("check the shared-data scenarios")
def test_check_shared_data_scenarios(mlcycle):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent")
    scenarios = shipped_files(shared=True)
    expect(len(scenarios) >= 3, f"expected the shared-data scenarios, found {scenarios}")
    check_scenarios(mlcycle, scenarios)
    # The policy sweep file (over the DE trace): its points check like its scenario.
    sweep = SCENARIOS_DIR / "carbon-aware" / "lisa-policy-sweep.toml"
    with temp_dir("check") as tmp:
        result = run_mlcycle(mlcycle, ["check", sweep], cwd=tmp)
        expect_success(result, f"check {sweep}")
        expect(re.match(re.escape(str(sweep)) + r": ok \(12 point", result.stdout) is not None,
               f"check {sweep.name}: unexpected output", result)


def summary_row(stdout, name):
    for line in stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == name:
            return fields[1:]
    raise TestFailure(f"the summary table has no row '{name}':\n{stdout}")


@pytest.mark.title("run single-trial")
def test_run_single_trial(mlcycle):
    with temp_dir("run") as tmp:
        out, result = run_to(mlcycle, tmp, SINGLE, "single.h5")
        text = result.stdout
        expect(f": {SINGLE} (seed 7, analytic engine)" in text.splitlines()[0],
               "first summary line should name the scenario, seed 7 and the engine", result)
        expect("2020-01-01T00:00:00Z .. 2020-01-01T03:00:00Z" in text,
               "the simulated span should be 2020-01-01T00:00:00Z .. 03:00:00Z", result)
        expect("1 completed, 0 unfinished at the horizon, 0 never started" in text,
               "job counts line", result)
        header = summary_row(text, "phase")
        expect(header == ["jobs", "GPU-hours", "IT", "kWh", "facility", "kWh", "CO2e", "kg",
                          "CO2e", "lbs", "USD"], f"summary header is {header}", result)
        # Printed with one decimal (cost: two): compare with the oracle to the printed precision.
        expected = {
            "experimentation": [1, JOB_GPU_HOURS, JOB_IT_J / J_PER_KWH, JOB_KWH,
                                JOB_CO2_G / 1000, JOB_CO2_G / G_PER_LB, JOB_COST],
            "training": [0, 0, 0, 0, 0, 0, 0],
            "inference": [0, 0, 0, 0, 0, 0, 0],
            "total": [1, JOB_GPU_HOURS, (JOB_IT_J + IDLE_IT_W * DURATION_S) / J_PER_KWH,
                      (JOB_ENERGY_J + IDLE_ENERGY_J) / J_PER_KWH,
                      (JOB_CO2_G + IDLE_CO2_G) / 1000, (JOB_CO2_G + IDLE_CO2_G) / G_PER_LB,
                      (JOB_ENERGY_J + IDLE_ENERGY_J) / J_PER_KWH * 0.10],
        }
        for name, values in expected.items():
            row = summary_row(text, name)
            expect(len(row) == 7, f"row '{name}' has {len(row)} values, expected 7", result)
            expect(int(row[0]) == values[0], f"row '{name}': {row[0]} jobs, expected {values[0]}")
            # GPU-hours, kWh, kg and lbs are printed with one decimal, the cost with two.
            for shown, value, half_ulp in zip(row[1:], values[1:], [0.05] * 5 + [0.005]):
                expect(abs(float(shown) - value) <= half_ulp + 1e-9,
                       f"row '{name}': printed {shown}, oracle {value:.4f}", result)
        idle = summary_row(text, "idle")
        expect(idle[:2] == ["-", "-"], f"idle row should have no jobs / GPU-hours: {idle}")
        expect(abs(float(idle[3]) - IDLE_ENERGY_J / J_PER_KWH) <= 0.051,
               f"idle facility kWh printed {idle[3]}", result)
        expect("peak power       1.18 kW (facility)" in text, "peak power line", result)
        expect("GPU utilization  25.0 % of 8 GPUs over the span" in text, "utilization", result)
        expect(text.splitlines()[-1] == f"  trace            {out}",
               "the last line should name the trace file", result)
        h5py, _ = import_hdf5_stack()
        with h5py.File(out, "r") as f:
            expect(f.attrs["format"] == "mlcycle-trace", "the file is not an mlcycle trace")
            expect(len(f["jobs"]) == 1, f"/jobs has {len(f['jobs'])} rows, expected 1")


@pytest.mark.title("single-trial oracle")
def test_single_trial_oracle(mlcycle):
    with temp_dir("oracle") as tmp:
        out, _ = run_to(mlcycle, tmp, SINGLE, "single.h5", ["--quiet"])
        t = read_trace(out)
    jobs = t["jobs"]
    expect(len(jobs) == 1, f"/jobs has {len(jobs)} rows, expected 1")
    job = jobs[0]
    for field, value in (("job_id", 0), ("campaign", 0), ("phase", 0), ("status", 0),
                         ("host", 0), ("nodes", 1), ("gpus", 2)):
        expect(int(job[field]) == value, f"/jobs[0].{field} = {job[field]}, expected {value}")
    for field, value in (("submit_s", 0.0), ("start_s", 0.0), ("end_s", DURATION_S),
                         ("gpu_hours", JOB_GPU_HOURS), ("it_energy_j", JOB_IT_J),
                         ("energy_j", JOB_ENERGY_J), ("co2_g", JOB_CO2_G), ("cost", JOB_COST)):
        expect_close(job[field], value, f"/jobs[0].{field}", abs_tol=1e-12)
    # PUE taken from the platform (no [accounting] pue in the scenario)
    expect_close(job["energy_j"] / job["it_energy_j"], 1.58, "job facility / IT energy (PUE)")

    idle = series_row(t["by_series"], "idle")
    expect_close(idle["it_energy_j"], IDLE_IT_W * DURATION_S, "idle it_energy_j")
    expect_close(idle["energy_j"], IDLE_ENERGY_J, "idle energy_j")
    expect_close(idle["co2_g"], IDLE_CO2_G, "idle co2_g")
    s = t["summary_attrs"]
    expect_close(s["energy_j"], JOB_ENERGY_J + IDLE_ENERGY_J, "/summary energy_j")
    expect_close(s["co2_g"], JOB_CO2_G + IDLE_CO2_G, "/summary co2_g")
    expect_close(s["peak_power_w"], PEAK_POWER_W, "/summary peak_power_w")
    expect_close(s["makespan_s"], DURATION_S, "/summary makespan_s")
    expect_close(s["mean_utilization"], UTILIZATION, "/summary mean_utilization")
    # Default trace step 1 h: three full bins, each holding a third of the job's energy.
    trace = t["trace"]
    expect(trace["energy_j"].shape == (3, 4), f"/trace/energy_j shape {trace['energy_j'].shape}")
    for i in range(3):
        expect_close(trace["time_s"][i], 3600.0 * i, f"/trace/time_s[{i}]", abs_tol=1e-12)
        expect_close(trace["duration_s"][i], 3600.0, f"/trace/duration_s[{i}]")
        expect_close(trace["energy_j"][i][0], JOB_IT_W * PUE * 3600, f"bin {i} experimentation J")
        expect_close(trace["energy_j"][i][3], IDLE_IT_W * PUE * 3600, f"bin {i} idle J")
        expect_close(trace["power_w"][i], PEAK_POWER_W, f"/trace/power_w[{i}]")
        expect_close(trace["intensity_g_per_kwh"][i], 400.0, f"/trace/intensity[{i}]")
    expect(t["attrs"]["seed"] == 7, f"seed attribute {t['attrs']['seed']}, expected 7")
    expect(t["attrs"]["start_utc"] == "2020-01-01T00:00:00Z", "start_utc attribute")


@pytest.mark.title("run default output path and --quiet")
def test_default_output(mlcycle):
    with temp_dir("default-out") as tmp:
        result = run_mlcycle(mlcycle, ["run", SINGLE], cwd=tmp)
        expect_success(result, "run without -o")
        default = Path(tmp) / "results" / "single-trial.h5"
        expect(default.is_file(), f"run without -o should write {default}", result)
        expect(result.stdout.splitlines()[-1] == "  trace            results/single-trial.h5",
               "the summary should name results/single-trial.h5", result)
        default.unlink()
        quiet = run_mlcycle(mlcycle, ["run", SINGLE, "--quiet"], cwd=tmp)
        expect_success(quiet, "run --quiet")
        expect(quiet.stdout == "" and quiet.stderr == "", "--quiet must print nothing", quiet)
        expect(default.is_file(), f"run --quiet should still write {default}", quiet)
        files = h5_files_under(tmp)
        expect(files == [str(default)], f"unexpected files after the runs: {files}")


@pytest.mark.title("same seed is deterministic")
def test_same_seed(mlcycle):
    with temp_dir("determinism") as tmp:
        a, _ = run_to(mlcycle, tmp, TWO_SITES, "a.h5", ["--quiet"])
        b, _ = run_to(mlcycle, tmp, TWO_SITES, "b.h5", ["--quiet"])
        c, _ = run_to(mlcycle, tmp, TWO_SITES, "c.h5", ["--quiet", "--seed", "3"])
        ta, tb, tc = read_trace(a), read_trace(b), read_trace(c)
    expect(ta["attrs"]["seed"] == 3, f"two-sites seed attribute {ta['attrs']['seed']}, expected 3")
    expect(len(ta["jobs"]) == 301, f"two-sites should run 301 jobs, got {len(ta['jobs'])}")
    expect(len(ta["trace"]["time_s"]) > 1, "two-sites should have several trace bins")
    _, np = import_hdf5_stack()
    for other, label in ((tb, "a second run"), (tc, "a run with --seed 3 (the scenario's seed)")):
        expect(same_array(ta["jobs"], other["jobs"]), f"/jobs differs between a run and {label}")
        expect(set(ta["trace"]) == set(other["trace"]), "/trace has different datasets")
        for name, data in ta["trace"].items():
            expect(same_array(data, other["trace"][name]),
                   f"/trace/{name} differs between a run and {label}")
        # by_series holds variable-length strings (object pointers): compare field by field.
        for field in ta["by_series"].dtype.names:
            expect(same_array(np.asarray(ta["by_series"][field]),
                              np.asarray(other["by_series"][field])),
                   f"/summary/by_series.{field} differs between a run and {label}")


@pytest.mark.title("different seed changes the jobs")
def test_different_seed(mlcycle):
    _, np = import_hdf5_stack()
    with temp_dir("seed") as tmp:
        a, _ = run_to(mlcycle, tmp, TWO_SITES, "a.h5", ["--quiet"])
        b, _ = run_to(mlcycle, tmp, TWO_SITES, "b.h5", ["--quiet", "--seed", "4"])
        ta, tb = read_trace(a), read_trace(b)
    expect(tb["attrs"]["seed"] == 4, f"seed attribute is {tb['attrs']['seed']} after --seed 4")
    expect(scenario_toml(tb)["simulation"]["seed"] == 4,
           "--seed 4 should appear as simulation.seed = 4 in the scenario_toml attribute")
    expect(len(tb["jobs"]) == len(ta["jobs"]) == 301, "both seeds should run all 301 jobs")
    expect(not same_array(ta["jobs"], tb["jobs"]), "/jobs is identical with seeds 3 and 4")
    # The lengths are drawn from the seed: the jobs' durations themselves must differ.
    da = np.sort(ta["jobs"]["end_s"] - ta["jobs"]["start_s"])
    db = np.sort(tb["jobs"]["end_s"] - tb["jobs"]["start_s"])
    expect(not np.array_equal(da, db), "job durations are the same with seeds 3 and 4")
    # The fixed-length 16-GPU training job does not depend on the seed.
    for t in (ta, tb):
        training = t["jobs"][t["jobs"]["phase"] == 1]
        expect(len(training) == 1 and training["gpus"][0] == 16, "one 16-GPU training job")
        expect_close(training["gpu_hours"][0], 16 * 24, "training job GPU-hours")


@pytest.mark.title("set trials override")
def test_set_trials(mlcycle):
    with temp_dir("set-trials") as tmp:
        base, _ = run_to(mlcycle, tmp, SINGLE, "base.h5", ["--quiet"])
        out, _ = run_to(mlcycle, tmp, SINGLE, "three.h5",
                        ["--quiet", "--set", "campaign.one-trial.trials=3"])
        tb, t = read_trace(base), read_trace(out)
    expect(len(tb["jobs"]) == 1, f"baseline has {len(tb['jobs'])} jobs, expected 1")
    expect(len(t["jobs"]) == 3, f"--set campaign.one-trial.trials=3 gave {len(t['jobs'])} jobs")
    expect(series_row(t["by_series"], "experimentation")["jobs"] == 3,
           "/summary/by_series experimentation jobs should be 3")
    # 3 x 2 GPUs fit the 8-GPU node at once: every job matches the single-trial oracle.
    for i, job in enumerate(t["jobs"]):
        expect_close(job["start_s"], 0.0, f"job {i} start_s", abs_tol=1e-12)
        expect_close(job["energy_j"], JOB_ENERGY_J, f"job {i} energy_j")
        expect_close(job["co2_g"], JOB_CO2_G, f"job {i} co2_g")
    expect(scenario_toml(tb)["campaign"][0]["trials"] == 1, "baseline scenario_toml trials")
    expect(scenario_toml(t)["campaign"][0]["trials"] == 3,
           "the override should appear as trials = 3 in the scenario_toml attribute")


@pytest.mark.title("set price doubles cost")
def test_set_price(mlcycle):
    with temp_dir("set-price") as tmp:
        base, _ = run_to(mlcycle, tmp, SINGLE, "base.h5", ["--quiet"])
        out, _ = run_to(mlcycle, tmp, SINGLE, "price.h5",
                        ["--quiet", "--set", "accounting.price_per_kwh=0.2"])
        tb, t = read_trace(base), read_trace(out)
    expect(len(t["jobs"]) == len(tb["jobs"]) == 1, "one job in each run")
    expect_close(tb["jobs"][0]["cost"], JOB_COST, "baseline job cost")
    expect_close(t["jobs"][0]["cost"], 2 * tb["jobs"][0]["cost"], "job cost at price 0.2")
    expect_close(t["jobs"][0]["energy_j"], tb["jobs"][0]["energy_j"], "energy (unchanged)")
    expect_close(t["summary_attrs"]["cost"], 2 * tb["summary_attrs"]["cost"], "/summary cost")
    expect_close(scenario_toml(t)["accounting"]["price_per_kwh"], 0.2,
                 "accounting.price_per_kwh in the scenario_toml attribute")
    expect_close(scenario_toml(tb)["accounting"]["price_per_kwh"], 0.10,
                 "baseline accounting.price_per_kwh in the scenario_toml attribute")
