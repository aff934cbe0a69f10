"""End-to-end tests of `mlcycle info`: the summary table of a trace file (identical to the one
`mlcycle run` printed, lifecycle campaign rows, deployment and nodes lines included), the
listing of a sweep directory (--sort, --desc, --columns), and the one-line errors for files that
are not complete mlcycle files of a supported version.

    /usr/bin/python3 -m pytest tests/cli/test_info.py --mlcycle PATH

Needs h5py and numpy (Debian's /usr/bin/python3).
"""
import difflib
import math
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SCENARIOS_DIR, SOURCE_DIR, TestFailure, expect,
                         expect_success, import_hdf5_stack, run_mlcycle,
                         temp_dir)

SINGLE = SCENARIOS_DIR / "single-trial.toml"
TWO_SITES = SCENARIOS_DIR / "two-sites.toml"
WIND = SCENARIOS_DIR / "grids" / "lisa-wind.toml"  # a marginal signal: the marginal CO2e line
LISA_LIFECYCLE = SCENARIOS_DIR / "lisa-lifecycle.toml"  # stages, crashes, campaign rows
ASHA_VS_RANDOM = SCENARIOS_DIR / "asha-vs-random.toml"  # searches: stopped, saved, best score
# tests/data/lifecycle-mix.toml (nodes that power off, a search, a crashing training run, a day
# of serving and a fleet: one deployment line each) with a horizon, and a third deployment that
# would start after it.
MIX_SCENARIO = SOURCE_DIR / "tests" / "data" / "lifecycle-mix.toml"
LATER_DEPLOYMENT = """
[[deployment]]
name = "later"
kind = "serving"
start_at = "30d"
duration = "1d"
cluster = "ps"
demand = { base_rps = 1 }
replica = { gpus = 1, batch_size = 4 }
autoscaler = { min_replicas = 1, max_replicas = 1 }
"""



def project_version():
    text = (SOURCE_DIR / "CMakeLists.txt").read_text()
    m = re.search(r"project\(\s*mlcycle\s+VERSION\s+([0-9][0-9.]*)", text)
    if not m:
        raise TestFailure("cannot find project(mlcycle VERSION x.y.z) in CMakeLists.txt")
    return m.group(1)


def run_to(mlcycle, tmp, scenario, name, extra=()):
    """`mlcycle run SCENARIO -o tmp/name` (table printed); returns the file and the result."""
    out = Path(tmp) / name
    result = run_mlcycle(mlcycle, ["run", scenario, "-o", out, *extra], cwd=tmp)
    expect_success(result, f"run {Path(scenario).name}")
    expect(out.is_file(), f"{out} was not written", result)
    return out, result


def info(mlcycle, target, extra=(), cwd=None):
    result = run_mlcycle(mlcycle, ["info", target, *extra], cwd=cwd)
    expect_success(result, f"info {target}")
    expect(result.stderr == "", "info prints nothing on stderr", result)
    return result


def diff(expected, actual, labels):
    return "\n".join(difflib.unified_diff(expected, actual, *labels, lineterm=""))


def expect_same_table(mlcycle, tmp, scenario, name, extra=(), needles=()):
    """Runs the scenario, then `mlcycle info` on its trace: the same table, line for line, after
    `file:` and `scenario:` header lines."""
    out, run = run_to(mlcycle, tmp, scenario, name, extra)
    shown = info(mlcycle, out, cwd=tmp)
    run_lines, info_lines = run.stdout.splitlines(), shown.stdout.splitlines()
    expect(len(run_lines) > 3 and run_lines[-1] == f"  trace            {out}",
           "the run's last line should name the trace file", run)
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        simgrid = f.attrs["simgrid_version"]
        simgrid = simgrid.decode() if isinstance(simgrid, bytes) else simgrid
        seed, engine = int(f.attrs["seed"]), f.attrs["engine"]
        engine = engine.decode() if isinstance(engine, bytes) else engine
    expect(f" on SimGrid {simgrid}: " in run_lines[0],
           f"the run's heading should name SimGrid {simgrid}", run)
    heading = [f"file: {out} (mlcycle-trace, schema version 1, mlcycle {project_version()}, "
               f"SimGrid {simgrid})",
               f"scenario: {scenario} (seed {seed}, {engine} engine)"]
    expect(info_lines[:2] == heading,
           "info's heading:\n" + diff(heading, info_lines[:2], ("expected", "info")), shown)
    table = run_lines[1:-1]
    expect(info_lines[2:] == table,
           "info should print the table `run` printed:\n" +
           diff(table, info_lines[2:], ("mlcycle run", "mlcycle info")), shown)
    for needle in needles:
        expect(any(line.startswith(needle) for line in table),
               f"the table should have a line starting {needle!r}", run)
    return out


@pytest.mark.title("info single-trial")
def test_info_single_trial(mlcycle):
    with temp_dir("info") as tmp:
        out = expect_same_table(mlcycle, tmp, SINGLE, "single.h5",
                                needles=["  simulated span   3.0 h", "  total  "])
        # Also through a relative path, from the file's directory.
        relative = info(mlcycle, out.name, cwd=tmp)
        expect(relative.stdout.splitlines()[0].startswith(f"file: {out.name} (mlcycle-trace"),
               "the file line names the path as given", relative)


@pytest.mark.title("info two-sites")
def test_info_two_sites(mlcycle):
    with temp_dir("info") as tmp:
        expect_same_table(mlcycle, tmp, TWO_SITES, "two.h5", needles=["  GPU utilization"])
        # With an inference campaign the table has a crossover line.
        expect_same_table(mlcycle, tmp, TWO_SITES, "two-inference.h5",
                          ["--set", "campaign.final.phase=inference"],
                          needles=["  crossover        "])


@pytest.mark.title("info lifecycle scenarios")
def test_info_lifecycle(mlcycle):
    """Campaign rows (stages, crashes, wasted work; searches' stopped, saved and best score),
    deployment lines and the nodes line, printed from /campaigns, /deployments and /summary."""
    with temp_dir("info") as tmp:
        expect_same_table(mlcycle, tmp, LISA_LIFECYCLE, "lisa.h5",
                          needles=["  campaign     ", "  grid-searches  ", "  retrain  "])
        expect_same_table(mlcycle, tmp, ASHA_VS_RANDOM, "asha.h5",
                          needles=["  random-search  ", "  asha  "])
        scenario = Path(tmp) / "deployments.toml"
        text = MIX_SCENARIO.read_text().replace(
            'platform = "power-states.xml"',
            f'horizon = "3d"\nplatform = "{SOURCE_DIR / "tests" / "data" / "power-states.xml"}"')
        scenario.write_text(text + LATER_DEPLOYMENT)
        expect_same_table(mlcycle, tmp, scenario, "deployments.h5",
                          needles=["  nodes            ", "  deployment       api (serving): ",
                                   "  deployment       cars (fleet): ",
                                   "  deployment       later: never started within the run",
                                   "  search  ", "  final  "])


@pytest.mark.title("info file before the lifecycle tables")
def test_info_before_lifecycle_tables(mlcycle):
    """Schema v1 files written before /campaigns became a table (a string list of names), with
    no /deployments and no node_* attributes: the table without campaign rows or nodes line."""
    h5py, np = import_hdf5_stack()
    with temp_dir("info") as tmp:
        out, run = run_to(mlcycle, tmp, TWO_SITES, "two.h5")
        with h5py.File(out, "r+") as f:
            names = [n.decode() for n in f["campaigns"]["name"]]
            del f["campaigns"]
            f.create_dataset("campaigns", data=names, dtype=h5py.string_dtype())
            del f["deployments"]
            for name in ("node_boots", "node_off_hours", "node_down_hours"):
                del f["summary"].attrs[name]
        shown = info(mlcycle, out, cwd=tmp).stdout.splitlines()[2:]
        table = run.stdout.splitlines()[1:-1]
        start = next(i for i, line in enumerate(table) if line.startswith("  campaign  "))
        expected = table[:start] + table[start + 4:]  # the header and search-a, search-b, final
        expect(shown == expected, "info of an older file:\n" +
               diff(expected, shown, ("expected", "mlcycle info")))
        # A /campaigns table that lacks a field is an error naming it.
        with h5py.File(out, "r+") as f:
            del f["campaigns"]
            row_type = np.dtype([("name", h5py.string_dtype()), ("co2_g", "f8")])
            f.create_dataset("campaigns", data=np.array([("x", 1.0)], dtype=row_type))
        expect_error(mlcycle, out.name, f"{out.name}: /campaigns has no field 'stage'", cwd=tmp)


@pytest.mark.title("info exec engine and marginal lines")
def test_info_optional_lines(mlcycle):
    with temp_dir("info") as tmp:
        expect_same_table(mlcycle, tmp, SINGLE, "exec.h5",
                          ["--set", "simulation.engine=exec",
                           "--set", "campaign.one-trial.phase=inference"],
                          needles=["  energy check     ", "  crossover        none: the run has no experimentation"])
        expect_same_table(mlcycle, tmp, WIND, "wind.h5", needles=["  marginal CO2e    "])


# --- sweeps -----------------------------------------------------------------------------------

TRIALS = "campaign.one-trial.trials"
INTENSITY = "grid.us-average-2018.intensity_g_per_kwh"


def make_sweep(mlcycle, tmp):
    """The sweep of docs/hdf5-schema.md: 6 points x 2 replicates, the 4 runs with trials = -1
    fail (exit status 1)."""
    result = run_mlcycle(mlcycle,
                         ["sweep", SINGLE, "-o", "s", "--vary", f"{TRIALS}=1,2,-1",
                          "--vary", f"{INTENSITY}=100,400", "--replicates", "2", "--jobs", "2"],
                         cwd=tmp, timeout=60)
    expect(result.returncode == 1, "the sweep with failing runs should exit with status 1",
           result)
    return Path(tmp) / "s"


def read_runs(sweep_dir):
    h5py, _ = import_hdf5_stack()
    with h5py.File(sweep_dir / "sweep.h5", "r") as f:
        runs = f["runs"][()]
    decode = lambda v: v.decode() if isinstance(v, bytes) else v  # noqa: E731
    return [{name: decode(row[name]) for name in runs.dtype.names} for row in runs]


def listing(result):
    """(header lines before the table, table header fields, table rows as field lists)."""
    lines = result.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.split()[:1] == ["point_id"]), None)
    expect(start is not None, "the listing has no table header starting with point_id", result)
    return lines[:start], lines[start].split(), [line.split() for line in lines[start + 1:]]


def column(header, rows, name):
    expect(name in header, f"the listing has no column {name!r}: {header}")
    k = header.index(name)
    return [row[k] for row in rows]


@pytest.mark.title("info sweep listing")
def test_info_sweep(mlcycle):
    with temp_dir("info-sweep") as tmp:
        sweep = make_sweep(mlcycle, tmp)
        runs = read_runs(sweep)
        expect(len(runs) == 12, f"sweep.h5 has {len(runs)} runs, expected 12")

        result = info(mlcycle, "s", cwd=tmp)
        head, header, rows = listing(result)
        expected_head = ["file: s/sweep.h5 (mlcycle-sweep, schema version 1, mlcycle "
                         f"{project_version()})",
                         f"scenario: {SINGLE}", "points: 6", "runs: 12 (2 per point, base seed 7)",
                         "failed: 4", "definition:", f"  input = {SINGLE}",
                         f"  vary = {TRIALS}=1,2,-1", f"  vary = {INTENSITY}=100,400",
                         "  replicates = 2"]
        expect(head == expected_head,
               "sweep header:\n" + diff(expected_head, head, ("expected", "info")), result)
        expect(header == ["point_id", "status", TRIALS, INTENSITY, "co2_kg_total",
                          "energy_kwh_total", "cost", "makespan_d", "inference_share"],
               f"default columns: {header}", result)
        expect(column(header, rows, "point_id") == [r["point_id"] for r in runs],
               "without --sort the runs are in file (point-id) order", result)
        expect(column(header, rows, "status") == ["done"] * 8 + ["failed"] * 4,
               "status column", result)
        expect(column(header, rows, TRIALS) == [str(r[TRIALS]) for r in runs],
               "varied key column", result)
        # Values in display units: CO2e in kg, energy in kWh, makespan in days; NaN as "-".
        for name, field, scale in (("co2_kg_total", "co2_g_total", 1e-3),
                                   ("energy_kwh_total", "energy_j_total", 1 / 3.6e6),
                                   ("cost", "cost", 1.0), ("makespan_d", "makespan_s", 1 / 86400)):
            for shown, r in zip(column(header, rows, name), runs):
                value = r[field]
                if math.isnan(value):
                    expect(shown == "-", f"{name} of failed run {r['point_id']}: {shown!r}")
                    continue
                decimals = len(shown.split(".")[1]) if "." in shown else 0
                expect(abs(float(shown) - value * scale) <= 0.5 * 10 ** -decimals + 1e-12,
                       f"{name} of {r['point_id']}: printed {shown}, file {value * scale}",
                       result)

        # --sort a numeric column, largest first; NaN (failed runs) last.
        result = info(mlcycle, "s", ["--sort", "co2_g_total", "--desc"], cwd=tmp)
        _, header, rows = listing(result)
        done = [r for r in runs if not math.isnan(r["co2_g_total"])]
        expected = [r["point_id"] for r in sorted(done, key=lambda r: -r["co2_g_total"])]
        expected += [r["point_id"] for r in runs if math.isnan(r["co2_g_total"])]
        expect(column(header, rows, "point_id") == expected,
               f"--sort co2_g_total --desc: expected {expected}", result)
        # The shown name (co2_kg_total) sorts the same; ascending keeps NaN last too.
        result = info(mlcycle, "s", ["--sort", "co2_kg_total"], cwd=tmp)
        _, header, rows = listing(result)
        ascending = [r["point_id"] for r in sorted(done, key=lambda r: r["co2_g_total"])]
        expect(column(header, rows, "point_id")[:8] == ascending,
               "--sort co2_kg_total: ascending", result)
        expect(column(header, rows, "status")[8:] == ["failed"] * 4,
               "--sort: NaN rows last", result)
        # --sort a string column.
        result = info(mlcycle, "s", ["--sort", "point_id", "--desc"], cwd=tmp)
        _, header, rows = listing(result)
        expect(column(header, rows, "point_id") == sorted((r["point_id"] for r in runs),
                                                          reverse=True),
               "--sort point_id --desc", result)

        # --columns: point_id, status and the varied keys, then exactly the chosen columns.
        result = info(mlcycle, "s", ["--columns", "seed,wall_time_s,co2_g_inference,run_file",
                                  "--sort", "seed"], cwd=tmp)
        _, header, rows = listing(result)
        expect(header == ["point_id", "status", TRIALS, INTENSITY, "seed", "wall_time_s",
                          "co2_kg_inference", "run_file"], f"--columns: header {header}", result)
        expect(column(header, rows, "seed") == ["7"] * 6 + ["8"] * 6,
               "--sort seed: stable, replicates grouped by seed", result)
        expect(column(header, rows, "run_file") ==
               [r["run_file"] or "-" for r in sorted(runs, key=lambda r: r["seed"])],
               "run_file column (text; empty for a failed run, shown as -)", result)

        # DIR/sweep.h5 names the same sweep.
        same = info(mlcycle, sweep / "sweep.h5", cwd=tmp)
        direct = info(mlcycle, sweep, cwd=tmp)
        expect(same.stdout == direct.stdout, "info DIR/sweep.h5 and info DIR differ", same)


# --- errors -----------------------------------------------------------------------------------

def expect_error(mlcycle, target, expected, extra=(), cwd=None):
    result = run_mlcycle(mlcycle, ["info", target, *extra], cwd=cwd)
    expect(result.returncode == 2, f"info {target}: expected exit status 2", result)
    expect(result.stdout == "", f"info {target}: nothing on stdout on an error", result)
    expect(result.stderr == expected + "\n",
           f"info {target}: expected the one line {expected!r} on stderr", result)


def trace_copy(mlcycle, tmp, name, change):
    """A complete single-trial trace, copied to `name` and changed with h5py."""
    base = Path(tmp) / "base.h5"
    if not base.exists():
        run_to(mlcycle, tmp, SINGLE, "base.h5", ["--quiet"])
    h5py, _ = import_hdf5_stack()
    path = Path(tmp) / name
    shutil.copy(base, path)
    with h5py.File(path, "r+") as f:
        change(f)
    return path


@pytest.mark.title("info error: missing file")
def test_error_missing(mlcycle):
    with temp_dir("info-error") as tmp:
        expect_error(mlcycle, "nothing.h5", "nothing.h5: no such file or directory", cwd=tmp)


@pytest.mark.title("info error: not HDF5")
def test_error_not_hdf5(mlcycle):
    with temp_dir("info-error") as tmp:
        (Path(tmp) / "text.h5").write_text("not HDF5\n")
        expect_error(mlcycle, "text.h5", "text.h5: not an HDF5 file", cwd=tmp)


@pytest.mark.title("info error: wrong format")
def test_error_format(mlcycle):
    with temp_dir("info-error") as tmp:
        trace_copy(mlcycle, tmp, "x.h5", lambda f: f.attrs.__setitem__("format", "foo"))
        expect_error(mlcycle, "x.h5", 'x.h5: not an mlcycle trace (format "foo")', cwd=tmp)
        trace_copy(mlcycle, tmp, "y.h5", lambda f: f.attrs.__delitem__("format"))
        expect_error(mlcycle, "y.h5", "y.h5: not an mlcycle trace (no format attribute)", cwd=tmp)


@pytest.mark.title("info error: unsupported schema version")
def test_error_version(mlcycle):
    with temp_dir("info-error") as tmp:
        trace_copy(mlcycle, tmp, "x.h5", lambda f: f.attrs.__setitem__("format_version", 2))
        expect_error(mlcycle, "x.h5",
                     "x.h5: schema version 2 is not supported (this mlcycle reads version 1)",
                     cwd=tmp)


@pytest.mark.title("info error: incomplete run")
def test_error_incomplete(mlcycle):
    with temp_dir("info-error") as tmp:
        trace_copy(mlcycle, tmp, "x.h5", lambda f: f.attrs.__delitem__("complete"))
        expect_error(mlcycle, "x.h5", "x.h5: the trace is incomplete (the run did not finish)",
                     cwd=tmp)


@pytest.mark.title("info error: sweep")
def test_error_sweep(mlcycle):
    with temp_dir("info-error") as tmp:
        (Path(tmp) / "empty").mkdir()
        expect_error(mlcycle, "empty", "empty: a directory without sweep.h5 (not a sweep directory)",
                     cwd=tmp)
        sweep = make_sweep(mlcycle, tmp)
        expect_error(mlcycle, "s", "command line: --sort: no column 'nope' in s/sweep.h5 "
                     "(columns: " + ", ".join(read_runs(sweep)[0].keys()) + ")",
                     ["--sort", "nope"], cwd=tmp)
        h5py, _ = import_hdf5_stack()
        with h5py.File(sweep / "sweep.h5", "r+") as f:
            f.attrs["format_version"] = 3
        expect_error(mlcycle, "s",
                     "s/sweep.h5: schema version 3 is not supported (this mlcycle reads version 1)",
                     cwd=tmp)
        base, _ = run_to(mlcycle, tmp, SINGLE, "base.h5", ["--quiet"])
        expect_error(mlcycle, base.name,
                     "command line: --sort: applies to a sweep directory, not to a trace file",
                     ["--sort", "cost"], cwd=tmp)

