"""End-to-end runs of the lifecycle scenarios: `check` accepts scenarios/lisa-lifecycle.toml and
scenarios/asha-vs-random.toml; asha-vs-random is deterministic under its seed (/jobs, /trace and
/campaigns compared array by array) and a different simulation.seed changes them; the printed
campaign table shows that ASHA saves GPU-hours against training every configuration fully and
that random search saves none.

    /usr/bin/python3 -m pytest tests/cli/test_lifecycle_cli.py --mlcycle PATH

Needs h5py and numpy (Debian's /usr/bin/python3).
"""
import re
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SCENARIOS_DIR, TestFailure, expect, expect_close,
                         expect_success, import_hdf5_stack, run_mlcycle,
                         temp_dir)

LISA_LIFECYCLE = SCENARIOS_DIR / "lisa-lifecycle.toml"
ASHA_VS_RANDOM = SCENARIOS_DIR / "asha-vs-random.toml"

# scenarios/asha-vs-random.toml: both campaigns search 729 configurations with max_budget 27
# epochs at hours_per_epoch 0.5 on 1 GPU each. Training every configuration fully costs
# 729 x 27 x 0.5 = 9841.5 GPU-hours; random search does exactly that (saves 0), ASHA stops
# most configurations at its lower rungs (1, 3, 9 epochs) and saves the difference.
FULL_BUDGET_GPU_HOURS = 729 * 27 * 0.5  # = 9841.5



def run_to(mlcycle, tmp, scenario, name, extra=()):
    """`mlcycle run SCENARIO -o tmp/name [extra]`: checks of every successful run."""
    out = Path(tmp) / name
    result = run_mlcycle(mlcycle, ["run", scenario, "-o", out, *extra], cwd=tmp)
    expect_success(result, f"run {Path(scenario).name}")
    expect(result.stderr == "", "a successful run prints nothing on stderr", result)
    expect(out.is_file(), f"{out} was not written", result)
    expect(not Path(str(out) + ".tmp").exists(), f"{out}.tmp left behind after success", result)
    return out, result


def read_datasets(path):
    """/jobs, every /trace dataset and /campaigns, as numpy arrays, plus the seed attribute."""
    h5py, _ = import_hdf5_stack()
    with h5py.File(path, "r") as f:
        for name in ("jobs", "trace", "campaigns"):
            expect(name in f, f"{path} has no /{name}")
        return {
            "jobs": f["jobs"][()],
            "trace": {k: f["trace"][k][()] for k in f["trace"]},
            "campaigns": f["campaigns"][()],
            "seed": int(f.attrs["seed"]),
        }


def same_array(a, b):
    """Bit-identical arrays (NaN == NaN). Compound types field by field, since the bytes of a
    variable-length string field (a numpy object) are pointers; object arrays by value."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.names:
        return all(same_array(a[name], b[name]) for name in a.dtype.names)
    if a.dtype.kind == "O":
        return a.tolist() == b.tolist()
    return a.tobytes() == b.tobytes()


def differences(ta, tb):
    """Names of the datasets that are not bit-identical between two traces."""
    out = [name for name in ("jobs", "campaigns") if not same_array(ta[name], tb[name])]
    if set(ta["trace"]) != set(tb["trace"]):
        out.append("trace (different dataset names)")
    else:
        out += [f"trace/{k}" for k in sorted(ta["trace"])
                if not same_array(ta["trace"][k], tb["trace"][k])]
    return out


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def campaign_row(campaigns, name):
    for row in campaigns:
        if text(row["name"]) == name:
            return row
    raise TestFailure(f"/campaigns has no row '{name}' (rows: "
                      f"{[text(r['name']) for r in campaigns]})")


def printed_campaign_table(result):
    """{campaign name: {column: text}} from the summary's campaign table. The columns up to
    `saved` are one word each; the ones after it ("CO2e kg") may not be, so they are not read."""
    lines = result.stdout.splitlines()
    for i, line in enumerate(lines):
        words = line.split()
        if words[:2] == ["campaign", "trials"] and "saved" in words:
            header = words[:words.index("saved") + 1]
            rows = {}
            for row in lines[i + 1:]:
                cells = row.split()
                if len(cells) < len(header) or not re.fullmatch(r"[\d.]+", cells[1]):
                    break
                rows[cells[0]] = dict(zip(header, cells))
            return rows
    raise TestFailure("the summary prints no campaign table with a 'saved' column\n"
                      + result.describe())


@pytest.mark.title("lifecycle: check accepts the example scenarios")
def test_check_examples(mlcycle):
    # (scenario, campaigns, hosts, the cluster listing) as the platforms define them:
    # lisa-titanx-64.xml has 16 nodes x 4 GPUs, v100-cluster-64.xml 8 nodes x 8 GPUs.
    expected = ((LISA_LIFECYCLE, 3, 16, "lisa: 64 GPUs"), (ASHA_VS_RANDOM, 2, 8, "v100: 64 GPUs"))
    for scenario, campaigns, hosts, clusters in expected:
        with temp_dir("lifecycle-check") as tmp:
            result = run_mlcycle(mlcycle, ["check", scenario], cwd=tmp)
            expect_success(result, f"check {scenario.name}")
            expect(result.stderr == "", "check prints nothing on stderr", result)
            pattern = (re.escape(str(scenario)) + rf": ok \({campaigns} campaign\(s\), .*"
                       rf"{hosts} host\(s\); " + re.escape(clusters) + r"\)\n")
            expect(re.fullmatch(pattern, result.stdout) is not None,
                   f"check {scenario.name} should print one line matching {pattern!r}", result)
            expect(not any(Path(tmp).iterdir()), "check must not write anything", result)


@pytest.mark.title("lifecycle: same seed gives identical jobs, trace and campaigns")
def test_same_seed(mlcycle):
    with temp_dir("lifecycle-determinism") as tmp:
        a, _ = run_to(mlcycle, tmp, ASHA_VS_RANDOM, "a.h5", ["--quiet"])
        b, _ = run_to(mlcycle, tmp, ASHA_VS_RANDOM, "b.h5", ["--quiet"])
        ta, tb = read_datasets(a), read_datasets(b)
    expect(ta["seed"] == 11, f"asha-vs-random's seed attribute is {ta['seed']}, expected 11")
    # random search runs all 729 configurations; ASHA starts 729 and promotes some of them
    # (one /jobs row per rung), so there are more than 729 + 729 rows.
    expect(len(ta["jobs"]) > 2 * 729, f"expected more than 1458 jobs, got {len(ta['jobs'])}")
    expect(len(ta["campaigns"]) == 2, f"expected 2 campaigns, got {len(ta['campaigns'])}")
    expect(len(ta["trace"]["time_s"]) > 1, "expected several trace bins")
    diff = differences(ta, tb)
    expect(not diff, "two runs with the same seed differ in: " + ", ".join(diff))


@pytest.mark.title("lifecycle: a different seed changes jobs, trace and campaigns")
def test_different_seed(mlcycle):
    with temp_dir("lifecycle-seed") as tmp:
        a, _ = run_to(mlcycle, tmp, ASHA_VS_RANDOM, "a.h5", ["--quiet"])
        b, _ = run_to(mlcycle, tmp, ASHA_VS_RANDOM, "b.h5", ["--quiet", "--set", "simulation.seed=12"])
        ta, tb = read_datasets(a), read_datasets(b)
    expect(tb["seed"] == 12, f"seed attribute is {tb['seed']} after --set simulation.seed=12")
    diff = differences(ta, tb)
    for name in ("jobs", "campaigns"):
        expect(name in diff, f"/{name} is identical with seeds 11 and 12")
    expect(any(d.startswith("trace/") for d in diff), "/trace is identical with seeds 11 and 12")
    # The seed draws the configurations' scores, so the best score found changes too.
    for name in ("random-search", "asha"):
        expect(campaign_row(ta["campaigns"], name)["best_score"]
               != campaign_row(tb["campaigns"], name)["best_score"],
               f"{name}: best_score is the same with seeds 11 and 12")


@pytest.mark.title("lifecycle: ASHA saves GPU-hours, random search saves none")
def test_asha_saves(mlcycle):
    with temp_dir("lifecycle-saved") as tmp:
        out, result = run_to(mlcycle, tmp, ASHA_VS_RANDOM, "saved.h5")
        campaigns = read_datasets(out)["campaigns"]
    table = printed_campaign_table(result)
    for name in ("random-search", "asha"):
        expect(name in table, f"the campaign table has no row '{name}'", result)
    random_saved = float(table["random-search"]["saved"])
    asha_saved = float(table["asha"]["saved"])
    expect(random_saved == 0, f"random search printed saved {random_saved}, expected 0", result)
    expect(asha_saved > 0, f"ASHA printed saved {asha_saved}, expected > 0", result)

    # The printed numbers are those of /campaigns, and saved = full budget - GPU-hours used.
    random, asha = campaign_row(campaigns, "random-search"), campaign_row(campaigns, "asha")
    for row, name in ((random, "random-search"), (asha, "asha")):
        expect_close(row["full_budget_gpu_hours"], FULL_BUDGET_GPU_HOURS,
                     f"{name} full_budget_gpu_hours (729 x 27 x 0.5)")
        expect_close(row["saved_gpu_hours"],
                     row["full_budget_gpu_hours"] - row["gpu_hours"],
                     f"{name} saved_gpu_hours = full budget - gpu_hours", abs_tol=1e-9)
    expect_close(random["gpu_hours"], FULL_BUDGET_GPU_HOURS, "random-search gpu_hours")
    expect(random["saved_gpu_hours"] == 0, "random-search saved_gpu_hours must be exactly 0")
    expect(0 < asha["gpu_hours"] < FULL_BUDGET_GPU_HOURS,
           f"asha gpu_hours {asha['gpu_hours']} should be below the full budget")
    # The table prints one decimal place.
    expect_close(asha_saved, asha["saved_gpu_hours"], "printed ASHA saved vs /campaigns",
                 rel=0, abs_tol=0.05)
    expect(text(random["search"]) == "random" and text(asha["search"]) == "asha",
           "/campaigns search kinds should be 'random' and 'asha'")


EASY_VS_FIFO = SCENARIOS_DIR / "easy-vs-fifo.toml"
BLOOM_LIKE = SCENARIOS_DIR / "bloom-like.toml"
LLM_SERVING = SCENARIOS_DIR / "llm-serving.toml"
PLATFORMS_DIR = SCENARIOS_DIR.parent / "platforms"


def read_table(path, name):
    h5py, _ = import_hdf5_stack()
    with h5py.File(path, "r") as f:
        return f[name][()], dict(f["summary"].attrs)


@pytest.mark.title("lifecycle: crashes, checkpoints, arrivals and power-off are deterministic")
def test_lisa_lifecycle_determinism(mlcycle):
    extra = ["--quiet", "--set", 'scheduler.power_off_after="1h"']
    with temp_dir("lifecycle-lisa") as tmp:
        a, _ = run_to(mlcycle, tmp, LISA_LIFECYCLE, "a.h5", extra)
        b, _ = run_to(mlcycle, tmp, LISA_LIFECYCLE, "b.h5", extra)
        ta, tb = read_datasets(a), read_datasets(b)
        _, summary = read_table(a, "campaigns")
    diff = differences(ta, tb)
    expect(not diff, "two lisa-lifecycle runs differ in: " + ", ".join(diff))
    grid = campaign_row(ta["campaigns"], "grid-searches")
    expect(grid["crashes"] > 0, "the grid searches should crash sometimes (5 % per attempt)")
    expect(grid["completed"] == 4789, f"all 4789 trials complete, got {grid['completed']}")
    expect(campaign_row(ta["campaigns"], "retrain")["runs"] == 12, "12 monthly retrainings")
    expect(summary["node_boots"] > 0 and summary["node_off_hours"] > 0,
           "power_off_after = 1h switches nodes off and boots them again")


@pytest.mark.title("lifecycle: EASY backfilling waits less and finishes earlier than FIFO")
def test_easy_beats_fifo(mlcycle):
    waits, ends = {}, {}
    with temp_dir("lifecycle-easy") as tmp:
        for policy in ("easy-backfill", "fifo"):
            out, _ = run_to(mlcycle, tmp, EASY_VS_FIFO, f"{policy}.h5",
                            ["--quiet", "--set", f'scheduler.policy="{policy}"'])
            campaigns, summary = read_table(out, "campaigns")
            waits[policy] = {text(r["name"]): float(r["mean_wait_s"]) for r in campaigns}
            ends[policy] = float(summary["makespan_s"])
    for name, fifo_wait in waits["fifo"].items():
        expect(waits["easy-backfill"][name] < fifo_wait,
               f"{name}: EASY mean wait {waits['easy-backfill'][name]:.0f} s is not below "
               f"FIFO's {fifo_wait:.0f} s")
    expect(ends["easy-backfill"] < ends["fifo"], "EASY should finish the same work earlier")


def serving_and_fleet(tmp, noise_sd):
    """A scenario with a noisy service and a growing fleet on the two-host test platform."""
    path = Path(tmp) / f"deployments-{noise_sd}.toml"
    path.write_text(f"""[simulation]
start = 2020-01-06T00:00:00Z
seed = 3
platform = "{SCENARIOS_DIR.parent / 'tests' / 'data' / 'two-hosts.xml'}"
[grid.r]
intensity_g_per_kwh = 300
[[deployment]]
name = "api"
kind = "serving"
duration = "20d"
replica = {{ gpus = 1, batch_size = 4, latency_base_ms = 100, latency_per_item_ms = 50 }}
autoscaler = {{ min_replicas = 1, max_replicas = 4 }}
demand = {{ base_rps = 20, noise_sd = {noise_sd}, monthly_growth = 0.5 }}
[[deployment]]
name = "cars"
kind = "fleet"
duration = "40d"
source = "ev"
vehicles = 50
vehicles_per_month = 20
active_w = 300
idle_w = 5
""")
    return path


@pytest.mark.title("inference: serving and fleet runs are deterministic, the seed moves the noise")
def test_deployments_determinism(mlcycle):
    with temp_dir("inference-determinism") as tmp:
        scenario = serving_and_fleet(tmp, 0.2)
        a, _ = run_to(mlcycle, tmp, scenario, "a.h5", ["--quiet"])
        b, _ = run_to(mlcycle, tmp, scenario, "b.h5", ["--quiet"])
        c, _ = run_to(mlcycle, tmp, scenario, "c.h5", ["--quiet", "--set", "simulation.seed=4"])
        da, sa = read_table(a, "deployments")
        db, _ = read_table(b, "deployments")
        dc, _ = read_table(c, "deployments")
        h5py, np = import_hdf5_stack()
        with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
            for name in fa["trace"]:
                expect(np.array_equal(fa["trace"][name][()], fb["trace"][name][()],
                                      equal_nan=fa["trace"][name].dtype.kind == "f"),
                       f"/trace/{name} differs between two runs with the same seed")
    for field in da.dtype.names:
        if da.dtype[field].kind == "f":
            expect(np.array_equal(da[field], db[field], equal_nan=True),
                   f"/deployments {field} differs between two runs with the same seed")
    expect(da["served"][0] != dc["served"][0], "another seed should change the served requests")
    # 50 cars + 20 on Feb 1st (local midnight): 26 days x 50 + 14 days x 70 = 2,280
    # vehicle-days, summed over the fleet's steps (so equal to rounding only).
    for deployments in (da, dc):
        expect_close(deployments["vehicle_days"][1], 2280, "the fleet's vehicle-days",
                     rel=1e-12)
    expect(sa["inference_co2_share"] == 1.0, "only inference draws in this scenario")


@pytest.mark.title("inference: bloom-like serves the paper's 230,768 requests at 4.88 Wh each (IT)")
def test_bloom_like(mlcycle):
    with temp_dir("inference-bloom") as tmp:
        out, result = run_to(mlcycle, tmp, BLOOM_LIKE, "bloom.h5")
        deployments, _ = read_table(out, "deployments")
    d = deployments[0]
    # 18 d x (1,560 W + 0.65287 x 1,600 W) = 1,125.2 kWh IT; / 230,768 requests = 4.876 Wh.
    expect_close(d["served"], 230768, "served requests", rel=1e-8)
    expect_close(d["it_energy_j"] / 3.6e6, 1125.1996, "IT energy (kWh)", rel=1e-6)
    expect_close(d["it_energy_j"] / 3600 / d["served"], 4.8759, "IT Wh per request", rel=1e-4)
    expect("bloom-api (serving)" in result.stdout, "the summary prints the deployment", result)


@pytest.mark.title("inference: llm-serving overtakes development within the run")
def test_llm_serving_crossover(mlcycle):
    with temp_dir("inference-llm") as tmp:
        out, result = run_to(mlcycle, tmp, LLM_SERVING, "llm.h5")
        deployments, summary = read_table(out, "deployments")
    start_s = float(deployments["start_s"][0])
    crossover_s = float(summary["crossover_s"])
    expect(start_s < crossover_s < float(summary["makespan_s"]),
           f"crossover {crossover_s} should fall between the serving start {start_s} and the end")
    shares = sum(float(summary[f"{p}_co2_share"]) for p in
                 ("experimentation", "training", "inference"))
    expect_close(shares, 1.0, "CO2e shares sum to 1", rel=1e-12)
    expect(float(summary["inference_co2_share"]) > 0.5, "inference dominates over two years")
    expect("crossover        2024-" in result.stdout, "the summary prints the crossover", result)


@pytest.mark.title("inference: a fleet-only scenario needs no platform and prints no cluster lines")
def test_fleet_only_without_platform(mlcycle):
    scenario = SCENARIOS_DIR.parent / "tests" / "data" / "fleet-only.toml"
    with temp_dir("fleet-only") as tmp:
        check = run_mlcycle(mlcycle, ["check", scenario], cwd=tmp)
        expect_success(check, "check fleet-only.toml")
        expect(check.stdout.endswith(": ok (0 campaign(s), 1 deployment(s), 0 host(s))\n"),
               "check counts no host", check)
        out, result = run_to(mlcycle, tmp, scenario, "fleet.h5")
        for absent in ("GPU utilization", "capacity shares", "nodes  "):
            expect(absent not in result.stdout, f"no platform: no '{absent}' line", result)
        # 100 EVs x 500 W x 2 h x 10 days = 1,000 kWh facility (PUE 1) = 300 kg at 300 g/kWh.
        expect(re.search(r"^  total\s+0\s+1\s+0\.0\s+1000\.0\s+1000\.0\s+300\.0\s",
                         result.stdout, re.M) is not None, "total: 1,000 kWh, 300 kg", result)
        h5py, _ = import_hdf5_stack()
        with h5py.File(out, "r") as f:
            expect(f["hosts"].shape[0] == 0, "/hosts has no row", result)
            expect("cluster_busy_gpus" not in f["trace"], "no cluster series in /trace", result)
        info = run_mlcycle(mlcycle, ["info", out], cwd=tmp)
        expect_success(info, "info fleet.h5")
        expect(result.stdout.splitlines()[1:-1] == info.stdout.splitlines()[2:],
               "info prints run's table", info)


@pytest.mark.title("inference: a serving deployment without a platform is a located error")
def test_serving_needs_platform(mlcycle):
    with temp_dir("serving-no-platform") as tmp:
        scenario = Path(tmp) / "s.toml"
        scenario.write_text("""[simulation]
start = 2020-01-01T00:00:00Z
[grid.r]
intensity_g_per_kwh = 300
[[deployment]]
name = "api"
kind = "serving"
duration = "1h"
replica = { gpus = 1, batch_size = 1, latency_base_ms = 0, latency_per_item_ms = 500 }
demand = { base_rps = 1 }
""")
        result = run_mlcycle(mlcycle, ["run", scenario, "-o", "x.h5"], cwd=tmp)
        expect(result.returncode == 2, "exit status 2", result)
        expect(result.stderr == f"{scenario}:1:2: simulation: missing key 'platform' (path to a "
               "SimGrid platform XML; campaigns and serving deployments run on its clusters) or "
               "[[cluster]] tables\n",
               "one located line", result)
        expect(not any(Path(tmp).glob("x.h5*")), "no output file", result)
