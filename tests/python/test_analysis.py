"""The analysis package (analysis/mlcycle_analysis) on real runs and a real sweep (pytest).

Run files come from the simulator ($MLCYCLE, else build/release/mlcycle); every loaded value is
compared with the HDF5 datasets it came from, plots are written as PNG and SVG, reports are
parsed back, and the command line is run as `python3 -m mlcycle_analysis`.
"""
import base64
import math
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import h5py
import numpy as np
import pandas as pd
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANALYSIS = os.path.join(ROOT, "analysis")
sys.path.insert(0, ANALYSIS)
from mlcycle_analysis import (SchemaError, conservation_errors, derived, load_run,  # noqa: E402
                              load_sweep, plots)
from mlcycle_analysis.report import EQUIVALENTS, write_report, write_sweep_report  # noqa: E402

MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SERIES = ["experimentation", "training", "inference", "idle"]
LB = 453.59237
# Training for 3 h, then inference on twice the GPUs from 3 h: cumulative inference CO2e passes
# training's at 4.5 h (inference accumulates at twice the rate from 3 h).
CROSSOVER_TOML = """[simulation]
start = 2020-01-01T00:00:00Z
seed = 7
platform = "{platform}"
[grid.us-average-2018]
intensity_g_per_kwh = 400
[output]
trace_step = "30min"
[[campaign]]
name = "train"
phase = "training"
trials = 1
gpus_per_trial = 2
length = {{ distribution = "fixed", hours = 3 }}
[[campaign]]
name = "serve"
phase = "inference"
trials = 1
gpus_per_trial = 4
submit_at = "3h"
length = {{ distribution = "fixed", hours = 6 }}
"""


def simulate(out, scenario, *extra):
    subprocess.run([MLCYCLE, "run", str(scenario), "-o", str(out), "--quiet", *extra], check=True)
    return str(out)


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("two") / "two-sites.h5",
                    os.path.join(ROOT, "scenarios", "two-sites.toml"))


@pytest.fixture(scope="module")
def single_trial(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("one") / "single-trial.h5",
                    os.path.join(ROOT, "scenarios", "single-trial.toml"))


@pytest.fixture(scope="module")
def crossover_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("crossover")
    scenario = directory / "crossover.toml"
    scenario.write_text(CROSSOVER_TOML.format(
        platform=os.path.join(ROOT, "platforms", "p100-node.xml")))
    return simulate(directory / "crossover.h5", scenario)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "s"
    subprocess.run([MLCYCLE, "sweep", os.path.join(ROOT, "scenarios", "single-trial.toml"),
                    "-o", str(out), "--vary", "campaign.one-trial.trials=1,2,3",
                    "--vary", "accounting.price_per_kwh=0.1,0.2", "--replicates", "2",
                    "--jobs", "2"], check=True, capture_output=True)
    return str(out)


def equal(a, b):
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)


def test_run_values_equal_the_file(two_sites):
    run = load_run(two_sites)
    with h5py.File(two_sites, "r") as f:
        raw = f["jobs"][()]
        for column in ("job_id", "gpus", "nodes", "submit_s", "start_s", "end_s", "energy_j",
                       "co2_g", "cost", "gpu_hours"):
            assert equal(run.jobs[column], raw[column]), column
        campaigns = f["campaigns"]["name"].astype(str)
        assert list(run.jobs["campaign"]) == [campaigns[i] for i in raw["campaign"]]
        codes = h5py.check_enum_dtype(f["jobs"].dtype["phase"])
        names = {v: k for k, v in codes.items()}
        assert list(run.jobs["phase"].astype(str)) == [names[c] for c in raw["phase"]]
        assert set(run.jobs["status"]) == {"completed"}
        host_names = [h.decode() for h in f["hosts"]["name"]]
        assert list(run.jobs["host"]) == [host_names[i] for i in raw["host"]]
        clusters = f["clusters"].asstr()[()]
        assert list(run.hosts["cluster"]) == [clusters[i] for i in f["hosts"]["cluster"]]
        assert equal(run.hosts["energy_j"], f["hosts"]["energy_j"])

        t = f["trace"]
        assert list(t["series"].asstr()[()]) == SERIES
        for k, name in enumerate(SERIES):
            assert equal(run.trace[f"{name}_energy_j"], t["energy_j"][:, k]), name
            assert equal(run.trace[f"{name}_co2_g"], t["co2_g"][:, k]), name
            assert equal(run.trace[f"{name}_cum_co2_g"], t["co2_cumulative_g"][:, k]), name
            assert equal(run.trace[f"{name}_cum_energy_j"], t["energy_cumulative_j"][:, k]), name
            # The writer's running sums are the bins' sums, in the same order.
            assert equal(run.trace[f"{name}_cum_co2_g"], np.cumsum(t["co2_g"][:, k])), name
        assert equal(run.trace["total_cum_energy_j"], t["energy_cumulative_j"][()].sum(axis=1))
        for i, cluster in enumerate(f["clusters"].asstr()[()]):
            assert equal(run.cluster_busy[cluster], t["cluster_busy_gpus"][:, i]), cluster
            assert equal(run.cluster_queue[cluster], t["cluster_queue_jobs"][:, i]), cluster
        assert (run.cluster_busy.index == run.trace.index).all()
        for column in ("time_s", "duration_s", "power_w", "intensity_g_per_kwh"):
            assert equal(run.trace[column], t[column]), column
        start = pd.Timestamp(f.attrs["start_utc"])
        assert (run.trace.index == start + pd.to_timedelta(t["time_s"][()], unit="s")).all()
        assert str(run.trace.index.tz) == "UTC"
        for i, region in enumerate(t["regions"].asstr()[()]):
            assert equal(run.regions[(region, "co2_g")], t["region_co2_g"][:, i])
            assert equal(run.regions[(region, "intensity_g_per_kwh")],
                         t["region_intensity_g_per_kwh"][:, i])
        assert run.grid["high-carbon"].attrs["kind"] == "constant"
        assert equal(run.grid["high-carbon"]["intensity_g_per_kwh"],
                     f["grid/high-carbon/intensity_g_per_kwh"])

        by_series = f["summary/by_series"][()]
        assert list(run.summary.index) == [s.decode() for s in by_series["series"]]
        for column in ("jobs", "gpu_hours", "energy_j", "co2_g", "cost", "co2_marginal_g"):
            assert equal(run.summary[column], by_series[column]), column
        for key, value in f["summary"].attrs.items():
            value = value.decode() if isinstance(value, bytes) else value
            got = run.summary_attrs[key]
            assert got == value or (isinstance(got, float) and math.isnan(got)), key
        assert run.attrs["format"] == "mlcycle-trace" and run.attrs["seed"] == f.attrs["seed"]
        assert run.attrs["scenario_toml"] == f.attrs["scenario_toml"]

    # One row per /campaigns entry: its values, and sums over its jobs that agree with them.
    assert list(run.campaigns.index) == ["search-a", "search-b", "final"]
    assert run.stages == [] and len(run.deployments) == 0
    for name in run.campaigns.index:
        mask = np.array([campaigns[i] == name for i in raw["campaign"]])
        row = run.campaigns.loc[name]
        assert row["jobs"] == mask.sum() == row["trials_started"] == row["completed"]
        for column in ("gpu_hours", "energy_j", "co2_g", "cost", "it_energy_j"):
            assert row[column] == pytest.approx(raw[column][mask].sum(), rel=1e-12)
        wait = (raw["start_s"] - raw["submit_s"])[mask].mean()
        assert row["mean_wait_s"] == pytest.approx(wait, rel=1e-12)
        assert (row["search"], row["stage"], row["crashes"]) == ("independent", "", 0)
    assert run.campaigns.loc["final", "phase"] == "training"


def test_schema_version_is_checked(two_sites, sweep_dir, tmp_path):
    bad = tmp_path / "v2.h5"
    shutil.copy(two_sites, bad)
    with h5py.File(bad, "r+") as f:
        f.attrs["format_version"] = np.int64(2)
    with pytest.raises(SchemaError) as caught:
        load_run(bad)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert str(bad) in message and "format_version 2" in message
    assert "mlcycle-trace version 1" in message
    with pytest.raises(SchemaError, match="found format 'mlcycle-sweep'"):
        load_run(os.path.join(sweep_dir, "sweep.h5"))
    with pytest.raises(SchemaError, match="supports mlcycle-sweep version 1"):
        load_sweep(two_sites)
    result = subprocess.run([PYTHON, "-m", "mlcycle_analysis", "report", str(bad), "-o",
                             str(tmp_path / "r.html")], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": ANALYSIS})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "format_version 2" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_sweep_values_equal_the_file(sweep_dir):
    sweep = load_sweep(sweep_dir)
    with h5py.File(os.path.join(sweep_dir, "sweep.h5"), "r") as f:
        raw = f["runs"][()]
        agg = f["aggregates"][()]
        assert sweep.attrs["points"] == f.attrs["points"] == 6
        assert sweep.attrs["definition"] == f.attrs["definition"]
    assert list(sweep.runs["point_id"]) == [p.decode() for p in raw["point_id"]]
    assert list(sweep.runs["status"].astype(str)) == ["done"] * 12
    assert sweep.varied == ["campaign.one-trial.trials", "accounting.price_per_kwh"]
    for column in ("seed", "campaign.one-trial.trials", "accounting.price_per_kwh",
                   "co2_g_total", "energy_j_idle", "crossover_s", "cost", "mean_utilization"):
        assert equal(sweep.runs[column], raw[column]), column
    for path in sweep.runs["run_path"]:
        assert os.path.isabs(path) and os.path.exists(path)
    aggregates = sweep.aggregates
    assert equal(aggregates["co2_g_total_mean"], agg["co2_g_total_mean"])
    assert equal(aggregates["cost_ci95_high"], agg["cost_ci95_high"])


def test_derived_utilization_single_trial(single_trial):
    """2 of the node's 8 GPUs busy for the whole 3 h: 0.25 in each 1-h bin, nobody waiting."""
    run = load_run(single_trial)
    assert derived.from_trace(run)
    used = derived.utilization(run)
    assert list(used.columns) == ["p100-node"] and len(used) == 3
    assert used["p100-node"].tolist() == pytest.approx([0.25, 0.25, 0.25], abs=1e-15)
    assert derived.queue_length(run)["p100-node"].tolist() == [0.0, 0.0, 0.0]
    assert derived.busy_gpus_from_jobs(run)["p100-node"].tolist() == [2.0, 2.0, 2.0]
    assert derived.queue_length_from_jobs(run)["p100-node"].tolist() == [0.0, 0.0, 0.0]


def test_derived_matches_a_direct_overlap(two_sites):
    """Integrals at bin edges equal the plain per-job overlap sum, and the run mean."""
    run = load_run(two_sites)
    t, j = run.trace, run.jobs
    lo, hi = t["time_s"].to_numpy(), (t["time_s"] + t["duration_s"]).to_numpy()

    def overlap(a, b):
        return np.clip(np.minimum(b[:, None], hi) - np.maximum(a[:, None], lo), 0, None)

    for cluster in run.clusters:
        mine = (j["cluster"] == cluster).to_numpy()
        busy = (overlap(j["start_s"].to_numpy()[mine], j["end_s"].to_numpy()[mine])
                * j["gpus"].to_numpy()[mine, None]).sum(axis=0) / t["duration_s"].to_numpy()
        waiting = overlap(j["submit_s"].to_numpy()[mine],
                          j["start_s"].to_numpy()[mine]).sum(axis=0) / t["duration_s"].to_numpy()
        from_jobs = derived.busy_gpus_from_jobs(run)[cluster].to_numpy()
        queue_from_jobs = derived.queue_length_from_jobs(run)[cluster].to_numpy()
        assert from_jobs == pytest.approx(busy, abs=1e-9)
        assert queue_from_jobs == pytest.approx(waiting, abs=1e-9)
        # The simulator's own bin means (/trace/cluster_*) agree with the job table.
        assert derived.busy_gpus(run)[cluster].to_numpy() == pytest.approx(busy, abs=1e-9)
        assert derived.queue_length(run)[cluster].to_numpy() == pytest.approx(waiting, abs=1e-9)
    for busy_gpus in (derived.busy_gpus(run), derived.busy_gpus_from_jobs(run)):
        busy_s = (busy_gpus.sum(axis=1) * t["duration_s"]).sum()
        mean = busy_s / (run.summary_attrs["total_gpus"] * run.summary_attrs["makespan_s"])
        assert mean == pytest.approx(run.summary_attrs["mean_utilization"], rel=1e-12)
    # At time 0, 300 one-GPU trials are queued and 24 start: 276 wait in the first instant.
    assert derived.queue_length(run).iloc[0].sum() <= 276


def check_image(path):
    assert os.path.getsize(path) > 1000, path
    if str(path).endswith(".png"):
        import matplotlib.image
        pixels = matplotlib.image.imread(str(path))
        assert pixels.ndim == 3 and float(pixels.std()) > 0.01, f"{path}: uniform image"
    else:
        head = open(path, encoding="utf-8").read(400)
        assert "<svg" in head, path


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plots_write_images(two_sites, crossover_run, sweep_dir, tmp_path, suffix):
    run, sweep = load_run(two_sites), load_sweep(sweep_dir)
    written = [
        plots.emissions_over_time(run, tmp_path / f"emissions{suffix}"),
        plots.cumulative_by_phase(run, tmp_path / f"cumulative{suffix}"),
        plots.cumulative_by_phase(crossover_run, tmp_path / f"crossover{suffix}"),
        plots.utilization(run, tmp_path / f"utilization{suffix}"),
        plots.job_timeline(run, tmp_path / f"gantt{suffix}"),
        plots.job_timeline(run, tmp_path / f"density{suffix}", max_jobs=100),
        plots.sweep_headline(sweep, "co2_g_total", tmp_path / f"headline{suffix}"),
        plots.sweep_headline(sweep_dir, "cost", tmp_path / f"cost{suffix}"),
        plots.sweep_heatmap(sweep, "campaign.one-trial.trials", "accounting.price_per_kwh",
                            "cost", tmp_path / f"heatmap{suffix}"),
    ]
    for path in written:
        check_image(path)


def test_plot_rejects_other_suffixes(two_sites, tmp_path):
    with pytest.raises(ValueError, match="use .png or .svg"):
        plots.emissions_over_time(two_sites, tmp_path / "e.jpg")


class Page(HTMLParser):
    """Section ids, <td> cells (attributes and text), <img> sources and external references."""

    def __init__(self, text):
        super().__init__()
        self.sections, self.cells, self.images, self.external = [], [], [], []
        self._cell = None
        self.table = None
        self.title = ""
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs.get("id"))
        elif tag == "table":
            self.table = attrs.get("id")
        elif tag == "td":
            self._cell = {**attrs, "text": "", "section": self.sections[-1], "table": self.table}
        elif tag == "img":
            self.images.append(attrs["src"])
        elif tag == "h1":
            self._in_h1 = True
        if tag in ("link", "script") or any(str(v).startswith(("http:", "https:", "//"))
                                            for k, v in attrs.items() if k in ("src", "href")):
            self.external.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "td":
            self.cells.append(self._cell)
            self._cell = None
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self._in_h1:
            self.title += data


def parse(path):
    return Page(open(path, encoding="utf-8").read())


def as_number(text):
    return float(text.replace(",", ""))


def test_run_report(two_sites, crossover_run, tmp_path):
    page = parse(write_report(two_sites, tmp_path / "r.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "campaigns"]
    assert page.title == "mlcycle report: two-sites" and not page.external
    assert len(page.images) == 4
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    with h5py.File(two_sites, "r") as f:
        by_series = {row["series"].decode(): row for row in f["summary/by_series"][()]}
        total_co2 = f["summary"].attrs["co2_g"]
    shown = {"jobs": (1, 0), "gpu_hours": (1, 1), "energy_j": (1 / 3.6e6, 2),
             "co2_g": (1e-3, 2), "cost": (1, 2)}
    summary = [c for c in page.cells if c["section"] == "summary" and "data-field" in c]
    assert len(summary) == 5 * 6
    for cell in summary:
        value = by_series[cell["data-series"]][cell["data-field"]]
        assert float(cell["data-value"]) == value  # the /summary value itself, exactly
        factor, digits = shown[cell["data-field"]]
        if cell.get("data-unit") == "lbs":
            factor, digits = 1 / LB, 1
        assert as_number(cell["text"]) == round(value * factor, digits), cell
    equivalents = {c["data-key"]: c for c in page.cells
                   if c["section"] == "equivalents" and "data-key" in c}
    for name, lbs in EQUIVALENTS:
        assert float(equivalents[name]["data-value"]) == pytest.approx(total_co2 / LB / lbs,
                                                                       rel=1e-15)
    campaigns = [c["data-campaign"] for c in page.cells
                 if c.get("data-field") == "co2_g" and c["table"] == "campaigns-table"]
    co2 = load_run(two_sites).jobs.groupby("campaign")["co2_g"].sum()
    assert campaigns == list(co2.sort_values(ascending=False).index)  # largest first
    assert campaigns[0] == "search-b"  # the high-carbon site's search
    # No search, crash or deployment in two-sites: no such tables.
    assert {c["table"] for c in page.cells if c["section"] == "campaigns"} == {"campaigns-table"}
    key = {c["data-key"]: c["text"] for c in page.cells
           if c["section"] == "key-numbers" and "data-key" in c}
    # No inference in two-sites: no crossover row, as `mlcycle run` prints no crossover line.
    assert "crossover" not in key and key["utilization"] == "83.5% of 24 GPUs"
    assert key["peak-power"] == "9.20 kW"

    crossing = parse(write_report(crossover_run, tmp_path / "c.html"))
    key = {c["data-key"]: c["text"] for c in crossing.cells
           if c["section"] == "key-numbers" and "data-key" in c}
    assert key["crossover"].startswith("2020-01-01 04:30:00 UTC (4.50 h")


def test_sweep_report(sweep_dir, tmp_path):
    page = parse(write_sweep_report(sweep_dir, tmp_path / "s.html"))
    assert page.sections == ["summary", "aggregates", "runs", "plots"] and not page.external
    assert page.title == "mlcycle sweep report: single-trial"
    assert len(page.images) == 4  # three headline plots and a heatmap
    with h5py.File(os.path.join(sweep_dir, "sweep.h5"), "r") as f:
        co2 = {row["point_id"].decode(): row["co2_g_total"] for row in f["runs"][()]}
    cells = {c["data-point-id"]: c for c in page.cells if "data-point-id" in c}
    assert cells.keys() == co2.keys()
    for point_id, cell in cells.items():
        assert float(cell["data-value"]) == co2[point_id]
        assert as_number(cell["text"]) == round(co2[point_id] / 1e3, 3)


def cli(*args):
    return subprocess.run([PYTHON, "-m", "mlcycle_analysis", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ANALYSIS})


def test_cli(two_sites, sweep_dir, tmp_path):
    for source, name in ((two_sites, "run.html"), (sweep_dir, "sweep.html")):
        result = cli("report", source, "-o", tmp_path / name)
        assert result.returncode == 0, result.stderr
        assert 'id="plots"' in (tmp_path / name).read_text()
    jobs = [("emissions", two_sites, "e.png"), ("cumulative", two_sites, "c.svg"),
            ("utilization", two_sites, "u.png"), ("timeline", two_sites, "t.png"),
            ("sweep", sweep_dir, "h.png"), ("heatmap", sweep_dir, "m.svg")]
    for kind, source, name in jobs:
        result = cli("plot", kind, source, "-o", tmp_path / name)
        assert result.returncode == 0, f"{kind}: {result.stderr}"
        check_image(tmp_path / name)
    result = cli("plot", "sweep", sweep_dir, "-o", tmp_path / "cost.png", "--column", "cost")
    assert result.returncode == 0, result.stderr
    result = cli("plot", "heatmap", sweep_dir, "-o", tmp_path / "m2.png", "--column", "cost",
                 "--x", "accounting.price_per_kwh", "--y", "campaign.one-trial.trials")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args, message", [
    (["report", "missing.h5", "-o", "x.html"], "missing.h5: no such file"),
    (["plot", "heatmap", "{run}", "-o", "x.png"], "needs a sweep directory"),
    (["plot", "sweep", "{sweep}", "-o", "x.png", "--column", "bogus"], "no sweep column"),
    (["plot", "emissions", "{run}", "-o", "x.jpg"], "unsupported image suffix"),
])
def test_cli_errors(two_sites, sweep_dir, tmp_path, args, message):
    args = [a.format(run=two_sites, sweep=sweep_dir) for a in args]
    args = [str(tmp_path / a) if a.startswith(("x.", "missing")) else a for a in args]
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_sweep_with_a_failed_point_and_one_replicate(tmp_path):
    """No /aggregates (one replicate): plots use the runs; failed runs have no file or values."""
    out = tmp_path / "s"
    result = subprocess.run([MLCYCLE, "sweep", os.path.join(ROOT, "scenarios", "single-trial.toml"),
                             "-o", str(out), "--vary", "campaign.one-trial.trials=1,-1",
                             "--vary", "accounting.price_per_kwh=0.1,0.2"],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr  # some runs failed
    sweep = load_sweep(out)
    assert sweep.aggregates is None
    assert list(sweep.runs["status"].astype(str)) == ["done", "done", "failed", "failed"]
    assert sweep.runs["run_path"].isna().tolist() == [False, False, True, True]
    assert "must be a positive integer" in sweep.runs["error"].iloc[2]
    check_image(plots.sweep_headline(sweep, "cost", tmp_path / "h.png"))
    check_image(plots.sweep_heatmap(sweep, None, None, "co2_g_total", tmp_path / "m.png"))
    page = parse(write_sweep_report(out, tmp_path / "s.html"))
    assert page.sections == ["summary", "runs", "plots"]
    failed = [c for c in page.cells if c.get("data-point-id") == sweep.runs["point_id"].iloc[3]]
    assert failed[0]["text"] == "—" and failed[0]["data-value"] == "nan"


def test_report_title_from_the_scenario_path(two_sites, tmp_path):
    """Files that record the scenario file (root attribute scenario_path) are named after it."""
    copy = tmp_path / "renamed.h5"
    shutil.copy(two_sites, copy)
    with h5py.File(copy, "r+") as f:
        f.attrs["scenario_path"] = "scenarios/strubell2019/nas.toml"
    page = parse(write_report(copy, tmp_path / "r.html"))
    assert page.title == "mlcycle report: nas"


# --- lifecycle runs: searches, stages, crashes, deployments ---------------------------------

ASHA_VS_RANDOM = os.path.join(ROOT, "scenarios", "asha-vs-random.toml")
# tests/data/lifecycle-mix.toml: a search, a crashing training run, serving and a fleet on two
# nodes that power off when idle.
LIFECYCLE_SCENARIO = os.path.join(ROOT, "tests", "data", "lifecycle-mix.toml")


@pytest.fixture(scope="module")
def asha_run(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("asha") / "asha-vs-random.h5", ASHA_VS_RANDOM)


@pytest.fixture(scope="module")
def lifecycle_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lifecycle")
    return simulate(directory / "lifecycle.h5", LIFECYCLE_SCENARIO)


def enum_labels(dataset, field):
    codes = h5py.check_enum_dtype(dataset.dtype[field])
    names = {v: k for k, v in codes.items()}
    return [names[c] for c in dataset[field]]


def check_table(frame, dataset):
    """Every field of a /campaigns or /deployments row equals the DataFrame's cell."""
    assert list(frame.index) == [n.decode() for n in dataset["name"]]
    for field in dataset.dtype.names[1:]:
        if h5py.check_enum_dtype(dataset.dtype[field]) is not None:
            assert list(frame[field].astype(str)) == enum_labels(dataset, field), field
        elif h5py.check_string_dtype(dataset.dtype[field]) is not None:
            assert list(frame[field]) == [v.decode() for v in dataset[field]], field
        else:
            assert equal(frame[field], dataset[field]), field


def test_lifecycle_values_equal_the_file(asha_run):
    run = load_run(asha_run)
    with h5py.File(asha_run, "r") as f:
        raw = f["jobs"][()]
        for column in ("stage_run", "attempt", "rung", "trial", "score", "wait_s",
                       "wasted_gpu_hours", "wasted_co2_g"):
            assert equal(run.jobs[column], raw[column]), column
        assert list(run.jobs["stop_reason"].astype(str)) == enum_labels(f["jobs"], "stop_reason")
        assert (raw["stage"] == 2**32 - 1).all() and run.jobs["stage"].isna().all()  # no stages
        assert equal(run.jobs["wait_s"], raw["start_s"] - raw["submit_s"])
        check_table(run.campaigns, f["campaigns"])
        assert run.stages == [] and len(f["stages"]) == 0
        assert len(run.deployments) == len(f["deployments"]) == 0
        assert "deployment_energy_j" not in f["trace"] and run.deployment_trace.empty
        for i, name in enumerate(run.campaigns.index):
            for quantity in ("energy_j", "co2_g"):
                assert equal(run.campaign_trace[(name, quantity)],
                             f["trace"][f"campaign_{quantity}"][:, i]), (name, quantity)
        for phase in ("experimentation", "training", "inference"):
            for kind in ("energy", "co2"):
                key = f"{phase}_{kind}_share"
                assert run.summary_attrs[key] == f["summary"].attrs[key]
    assert run.summary_attrs["experimentation_co2_share"] == 1.0  # two searches, nothing else
    for name in ("node_boots", "node_off_hours", "node_down_hours"):
        assert run.summary_attrs[name] == 0

    # Hand-computed: 729 configurations x 27 epochs x 0.5 h = 9841.5 GPU-hours, what random search
    # spends and both searches' full budget. ASHA's rungs train 1, 3 - 1, 9 - 3 and 27 - 9 epochs.
    c, jobs = run.campaigns, run.jobs
    assert c["search"].tolist() == ["random", "asha"] and c["phase"].tolist() == [
        "experimentation"] * 2
    assert c["full_budget_gpu_hours"].tolist() == [9841.5, 9841.5]
    assert c.loc["random-search", "gpu_hours"] == pytest.approx(9841.5, rel=1e-12)
    assert c.loc["random-search", "saved_gpu_hours"] == 0 == c.loc["random-search", "stopped_early"]
    asha = jobs[jobs["campaign"] == "asha"]
    epochs = {0: 1, 1: 2, 2: 6, 3: 18}
    assert (asha["gpu_hours"] == asha["rung"].map(epochs) * 0.5).all()
    assert c.loc["asha", "trials_started"] == 729 == asha["trial"].nunique()
    assert c.loc["asha", "completed"] + c.loc["asha", "stopped_early"] == 729
    assert c.loc["asha", "completed"] == (asha["rung"] == 3).sum()
    assert c.loc["asha", "saved_gpu_hours"] == pytest.approx(
        9841.5 - c.loc["asha", "gpu_hours"], rel=1e-12)
    for name, row in c.iterrows():
        mine = jobs[jobs["campaign"] == name]
        assert row["jobs"] == len(mine)
        for column in ("gpu_hours", "energy_j", "co2_g"):
            assert row[column] == pytest.approx(mine[column].sum(), rel=1e-12), (name, column)
            if column != "gpu_hours":
                assert row[column] == pytest.approx(
                    run.campaign_trace[(name, column)].sum(), rel=1e-9), (name, column)
        top = mine[mine["rung"] == mine["rung"].max()]
        assert row["best_score"] == top["score"].max()  # the best at the largest budget reached
        assert row["first_submit_s"] == mine["submit_s"].min()
        assert row["last_end_s"] == mine["end_s"].max()
    for error in conservation_errors(run).values():
        assert error < 1e-9


def cells_of(page, table_id):
    """{(row key, field): cell} of one report table."""
    return {(c.get("data-campaign") or c.get("data-deployment"), c["data-field"]): c
            for c in page.cells if c["table"] == table_id and "data-field" in c}


def check_cells(cells, frame, shown):
    """data-value is the table's value exactly; the text is it scaled and rounded."""
    assert cells
    for (name, field), cell in cells.items():
        value = frame.loc[name, field]
        if isinstance(value, float) and math.isnan(value):
            assert cell["data-value"] == "nan" and cell["text"] == "—", (name, field)
            continue
        assert float(cell["data-value"]) == value, (name, field)
        factor, digits = shown.get(field, (1, None))
        if digits is not None:
            assert as_number(cell["text"]) == round(value * factor, digits), (name, field)


CAMPAIGN_SHOWN = {"trials_started": (1, 0), "jobs": (1, 0), "completed": (1, 0),
                  "stopped_early": (1, 0), "crashes": (1, 0), "failed": (1, 0),
                  "unfinished": (1, 0), "gpu_hours": (1, 1), "full_budget_gpu_hours": (1, 1),
                  "saved_gpu_hours": (1, 1), "wasted_gpu_hours": (1, 1), "best_score": (1, 4),
                  "energy_j": (1 / 3.6e6, 2), "co2_g": (1e-3, 2), "wasted_co2_g": (1e-3, 2),
                  "cost": (1, 2), "mean_wait_s": (1 / 3600, 2)}


def test_lifecycle_report(asha_run, tmp_path):
    run = load_run(asha_run)
    page = parse(write_report(asha_run, tmp_path / "asha.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "campaigns"]
    tables = {c["table"] for c in page.cells if c["section"] == "campaigns"}
    assert tables == {"campaigns-table", "searches-table"}  # no crash: no failures table
    main, searches = cells_of(page, "campaigns-table"), cells_of(page, "searches-table")
    check_cells(main, run.campaigns, CAMPAIGN_SHOWN)
    check_cells(searches, run.campaigns, CAMPAIGN_SHOWN)
    for field in ("stopped_early", "saved_gpu_hours", "best_score", "full_budget_gpu_hours"):
        assert ("asha", field) in searches and ("random-search", field) in searches
    saved = run.campaigns.loc["asha", "saved_gpu_hours"]
    assert searches[("asha", "saved_gpu_hours")]["text"] == f"{saved:,.1f}"
    key = {c["data-key"]: c["text"] for c in page.cells
           if c["section"] == "key-numbers" and "data-key" in c}
    assert key["co2-shares"] == "experimentation 100.0%, training 0.0%, inference 0.0%"
    assert "nodes" not in key


def test_deployments_and_stages_equal_the_file(lifecycle_run):
    run = load_run(lifecycle_run)
    with h5py.File(lifecycle_run, "r") as f:
        check_table(run.deployments, f["deployments"])
        check_table(run.campaigns, f["campaigns"])
        assert run.stages == list(f["stages"].asstr()[()]) == ["explore", "train"]
        raw = f["jobs"][()]
        assert list(run.jobs["stage"].astype(str)) == [run.stages[i] for i in raw["stage"]]
        t = f["trace"]
        for i, name in enumerate(run.deployments.index):
            for quantity, dataset in (("energy_j", "deployment_energy_j"),
                                      ("co2_g", "deployment_co2_g"),
                                      ("replicas", "deployment_replicas")):
                assert equal(run.deployment_trace[(name, quantity)], t[dataset][:, i])
        assert equal(run.cluster_busy["ps"], t["cluster_busy_gpus"][:, 0])
        assert run.summary_attrs["node_off_hours"] == f["summary"].attrs["node_off_hours"] > 0
    d = run.deployments
    assert d["kind"].tolist() == ["serving", "fleet"]
    api, cars = d.loc["api"], d.loc["cars"]
    # The service starts when training ends and runs one day at 2 requests/s: 172,800 requests.
    assert api["start_s"] == run.campaigns.loc["final", "last_end_s"]
    assert api["end_s"] - api["start_s"] == pytest.approx(86400, rel=1e-12)
    assert api["served"] == pytest.approx(2 * 86400, rel=1e-12)
    assert api["wh_per_request"] == pytest.approx(api["energy_j"] / 3600 / api["served"],
                                                  rel=1e-12)
    assert cars["vehicles_end"] == 20 and cars["vehicle_days"] == pytest.approx(40, rel=1e-12)
    for name in d.index:
        for quantity in ("energy_j", "co2_g"):
            assert run.deployment_trace[(name, quantity)].sum() == pytest.approx(
                d.loc[name, quantity], rel=1e-9), (name, quantity)
    replicas = run.deployment_trace[("api", "replicas")]
    assert replicas.between(0, 1).all() and replicas.max() == 1.0
    # The training crashed and resumed: a crashed attempt, then the one that completed.
    final = run.jobs[run.jobs["campaign"] == "final"]
    assert run.campaigns.loc["final", "crashes"] == (final["stop_reason"] == "crashed").sum() >= 1
    assert run.campaigns.loc["final", "wasted_gpu_hours"] == pytest.approx(
        final["wasted_gpu_hours"].sum(), rel=1e-12)
    assert final["attempt"].tolist() == list(range(len(final)))
    for error in conservation_errors(run).values():
        assert error < 1e-9


def test_deployments_report(lifecycle_run, tmp_path):
    run = load_run(lifecycle_run)
    page = parse(write_report(lifecycle_run, tmp_path / "lifecycle.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "campaigns",
                             "deployments"]
    check_cells(cells_of(page, "failures-table"), run.campaigns, CAMPAIGN_SHOWN)
    assert ("final", "crashes") in cells_of(page, "failures-table")
    assert ("search", "stopped_early") in cells_of(page, "searches-table")
    shown = {"energy_j": (1 / 3.6e6, 2), "co2_g": (1e-3, 2), "requests": (1, 0),
             "served": (1, 0), "dropped": (1, 0), "late": (1, 0), "replica_hours": (1, 1),
             "max_replicas": (1, 0), "wh_per_request": (1, 4), "co2_g_per_request": (1, 4),
             "vehicles_end": (1, 0), "vehicle_days": (1, 1), "driving_hours": (1, 1),
             "onboard_energy_j": (1 / 3.6e6, 2), "fuel_l": (1, 1), "updates": (1, 0)}
    serving, fleet = cells_of(page, "serving-table"), cells_of(page, "fleet-table")
    check_cells(serving, run.deployments, shown)
    check_cells(fleet, run.deployments, shown)
    assert {name for name, _ in serving} == {"api"} and {name for name, _ in fleet} == {"cars"}
    key = {c["data-key"]: c["text"] for c in page.cells
           if c["section"] == "key-numbers" and "data-key" in c}
    assert key["nodes"].endswith("node-hours down") and "node-hours off" in key["nodes"]


def test_files_before_the_lifecycle_tables(two_sites, tmp_path):
    """Schema v1 files written before /campaigns became a table (a list of names), without
    /deployments, /stages, the per-cluster, per-source and cumulative trace series and the new
    /jobs fields: loaded from /jobs as before, with the same values."""
    from numpy.lib import recfunctions
    old = tmp_path / "old.h5"
    shutil.copy(two_sites, old)
    with h5py.File(old, "r+") as f:
        names = [n.decode() for n in f["campaigns"]["name"]]
        del f["campaigns"]
        f.create_dataset("campaigns", data=names, dtype=h5py.string_dtype())
        for name in ("deployments", "stages", "trace/cluster_busy_gpus", "trace/cluster_queue_jobs",
                     "trace/co2_cumulative_g", "trace/energy_cumulative_j",
                     "trace/campaign_energy_j", "trace/campaign_co2_g"):
            del f[name]
        jobs = f["jobs"][()]
        fields = ["job_id", "campaign", "phase", "status", "host", "nodes", "gpus", "submit_s",
                  "start_s", "end_s", "gpu_hours", "it_energy_j", "energy_j", "co2_g", "cost"]
        del f["jobs"]
        f.create_dataset("jobs", data=recfunctions.repack_fields(jobs[fields]))
    before, now = load_run(old), load_run(two_sites)
    assert not derived.from_trace(before) and derived.from_trace(now)
    assert before.stages == [] and before.deployments.empty and before.campaign_trace.empty
    assert list(before.jobs.columns) == fields + ["cluster"]
    assert list(before.campaigns.index) == list(now.campaigns.index)
    for column in ("jobs", "gpu_hours", "energy_j", "co2_g", "mean_wait_s", "it_energy_j",
                   "cost"):
        assert before.campaigns[column].to_numpy() == pytest.approx(
            now.campaigns[column].to_numpy(), rel=1e-12), column
    assert list(before.campaigns["phase"]) == list(now.campaigns["phase"])
    assert derived.busy_gpus(before).to_numpy() == pytest.approx(
        derived.busy_gpus(now).to_numpy(), abs=1e-9)
    assert derived.queue_length(before).to_numpy() == pytest.approx(
        derived.queue_length(now).to_numpy(), abs=1e-9)
    for series in SERIES:
        assert equal(before.trace[f"{series}_cum_co2_g"], now.trace[f"{series}_cum_co2_g"])
    for error in conservation_errors(before).values():
        assert error < 1e-9
    page = parse(write_report(old, tmp_path / "old.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "campaigns"]
    check_image(plots.utilization(before, tmp_path / "u.png"))


def test_deployments_only(tmp_path):
    """A scenario of one serving deployment and no campaign: no /jobs rows, an empty /campaigns
    table and no campaign series; the report has no campaigns section."""
    scenario = tmp_path / "serve.toml"
    scenario.write_text(f"""[simulation]
start = 2020-01-01T00:00:00Z
seed = 7
platform = "{os.path.join(ROOT, 'platforms', 'p100-node.xml')}"
[grid.us-average-2018]
intensity_g_per_kwh = 400
[[deployment]]
name = "api"
kind = "serving"
duration = "1d"
demand = {{ base_rps = 10 }}
replica = {{ gpus = 1, batch_size = 4 }}
autoscaler = {{ max_replicas = 4 }}
""")
    run = load_run(simulate(tmp_path / "serve.h5", scenario))
    assert len(run.jobs) == 0 and len(run.campaigns) == 0 and run.campaign_trace.empty
    assert list(run.deployments.index) == ["api"]
    # All the inference energy is the deployment's; 4 reserved GPUs of 8 for the whole day.
    assert run.deployments.loc["api", "energy_j"] == pytest.approx(
        run.summary.loc["inference", "energy_j"], rel=1e-12)
    assert derived.busy_gpus(run)["p100-node"].tolist() == pytest.approx([4.0] * 24, rel=1e-12)
    for error in conservation_errors(run).values():
        assert error < 1e-9
    page = parse(write_report(run.path, tmp_path / "serve.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "deployments"]
