#!/usr/bin/python3
"""End-to-end runs of the lifecycle scenarios: `check` accepts scenarios/lisa-lifecycle.toml and
scenarios/asha-vs-random.toml; asha-vs-random is deterministic under its seed (/jobs, /trace and
/campaigns compared array by array) and a different simulation.seed changes them; the printed
campaign table shows that ASHA saves GPU-hours against training every configuration fully and
that random search saves none.

    test_lifecycle_cli.py --mlcycle PATH --test NAME   one test (CTest: `cli: NAME`)
    test_lifecycle_cli.py --mlcycle PATH --all         every test
    test_lifecycle_cli.py --list                       the test names (used by CMake)

Needs h5py and numpy (Debian's /usr/bin/python3); --list needs only the standard library.
"""
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SCENARIOS_DIR, TestFailure, TestRegistry, expect, expect_close,
                         expect_success, import_hdf5_stack, run_mlcycle, run_named_tests,
                         temp_dir)

LISA_LIFECYCLE = SCENARIOS_DIR / "lisa-lifecycle.toml"
ASHA_VS_RANDOM = SCENARIOS_DIR / "asha-vs-random.toml"

# scenarios/asha-vs-random.toml: both campaigns search 729 configurations with max_budget 27
# epochs at hours_per_epoch 0.5 on 1 GPU each. Training every configuration fully costs
# 729 x 27 x 0.5 = 9841.5 GPU-hours; random search does exactly that (saves 0), ASHA stops
# most configurations at its lower rungs (1, 3, 9 epochs) and saves the difference.
FULL_BUDGET_GPU_HOURS = 729 * 27 * 0.5  # = 9841.5

tests = TestRegistry()


def run_to(args, tmp, scenario, name, extra=()):
    """`mlcycle run SCENARIO -o tmp/name [extra]`: checks of every successful run."""
    out = Path(tmp) / name
    result = run_mlcycle(args.mlcycle_path, ["run", scenario, "-o", out, *extra], cwd=tmp)
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


@tests("lifecycle: check accepts the example scenarios")
def test_check_examples(args):
    # (scenario, campaigns, hosts, the cluster listing) as the platforms define them:
    # lisa-titanx-64.xml has 16 nodes x 4 GPUs, v100-cluster-64.xml 8 nodes x 8 GPUs.
    expected = ((LISA_LIFECYCLE, 3, 16, "lisa: 64 GPUs"), (ASHA_VS_RANDOM, 2, 8, "v100: 64 GPUs"))
    for scenario, campaigns, hosts, clusters in expected:
        with temp_dir("lifecycle-check") as tmp:
            result = run_mlcycle(args.mlcycle_path, ["check", scenario], cwd=tmp)
            expect_success(result, f"check {scenario.name}")
            expect(result.stderr == "", "check prints nothing on stderr", result)
            pattern = (re.escape(str(scenario)) + rf": ok \({campaigns} campaign\(s\), .*"
                       rf"{hosts} host\(s\); " + re.escape(clusters) + r"\)\n")
            expect(re.fullmatch(pattern, result.stdout) is not None,
                   f"check {scenario.name} should print one line matching {pattern!r}", result)
            expect(not any(Path(tmp).iterdir()), "check must not write anything", result)


@tests("lifecycle: same seed gives identical jobs, trace and campaigns")
def test_same_seed(args):
    with temp_dir("lifecycle-determinism") as tmp:
        a, _ = run_to(args, tmp, ASHA_VS_RANDOM, "a.h5", ["--quiet"])
        b, _ = run_to(args, tmp, ASHA_VS_RANDOM, "b.h5", ["--quiet"])
        ta, tb = read_datasets(a), read_datasets(b)
    expect(ta["seed"] == 11, f"asha-vs-random's seed attribute is {ta['seed']}, expected 11")
    # random search runs all 729 configurations; ASHA starts 729 and promotes some of them
    # (one /jobs row per rung), so there are more than 729 + 729 rows.
    expect(len(ta["jobs"]) > 2 * 729, f"expected more than 1458 jobs, got {len(ta['jobs'])}")
    expect(len(ta["campaigns"]) == 2, f"expected 2 campaigns, got {len(ta['campaigns'])}")
    expect(len(ta["trace"]["time_s"]) > 1, "expected several trace bins")
    diff = differences(ta, tb)
    expect(not diff, "two runs with the same seed differ in: " + ", ".join(diff))


@tests("lifecycle: a different seed changes jobs, trace and campaigns")
def test_different_seed(args):
    with temp_dir("lifecycle-seed") as tmp:
        a, _ = run_to(args, tmp, ASHA_VS_RANDOM, "a.h5", ["--quiet"])
        b, _ = run_to(args, tmp, ASHA_VS_RANDOM, "b.h5", ["--quiet", "--set", "simulation.seed=12"])
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


@tests("lifecycle: ASHA saves GPU-hours, random search saves none")
def test_asha_saves(args):
    with temp_dir("lifecycle-saved") as tmp:
        out, result = run_to(args, tmp, ASHA_VS_RANDOM, "saved.h5")
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


if __name__ == "__main__":
    sys.exit(run_named_tests(tests, sys.argv[1:], __doc__.split("\n\n")[0]))
