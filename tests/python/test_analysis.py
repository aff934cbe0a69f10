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
from mlcycle_analysis import SchemaError, derived, load_run, load_sweep, plots  # noqa: E402
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
    assert list(sweep["point_id"]) == [p.decode() for p in raw["point_id"]]
    assert list(sweep["status"].astype(str)) == ["done"] * 12
    assert sweep.attrs["varied"] == ["campaign.one-trial.trials", "accounting.price_per_kwh"]
    for column in ("seed", "campaign.one-trial.trials", "accounting.price_per_kwh",
                   "co2_g_total", "energy_j_idle", "crossover_s", "cost", "mean_utilization"):
        assert equal(sweep[column], raw[column]), column
    for path in sweep["run_path"]:
        assert os.path.isabs(path) and os.path.exists(path)
    aggregates = sweep.attrs["aggregates"]
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
    assert key["crossover"].startswith("none") and "83.5% of 24 GPUs" in key["utilization"]
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
    assert sweep.attrs["aggregates"] is None
    assert list(sweep["status"].astype(str)) == ["done", "done", "failed", "failed"]
    assert sweep["run_path"].isna().tolist() == [False, False, True, True]
    assert "must be a positive integer" in sweep["error"].iloc[2]
    check_image(plots.sweep_headline(sweep, "cost", tmp_path / "h.png"))
    check_image(plots.sweep_heatmap(sweep, None, None, "co2_g_total", tmp_path / "m.png"))
    page = parse(write_sweep_report(out, tmp_path / "s.html"))
    assert page.sections == ["summary", "runs", "plots"]
    failed = [c for c in page.cells if c.get("data-point-id") == sweep["point_id"].iloc[3]]
    assert failed[0]["text"] == "—" and failed[0]["data-value"] == "nan"


def test_report_title_from_the_scenario_path(two_sites, tmp_path):
    """Files that record the scenario file (root attribute scenario_path) are named after it."""
    copy = tmp_path / "renamed.h5"
    shutil.copy(two_sites, copy)
    with h5py.File(copy, "r+") as f:
        f.attrs["scenario_path"] = "scenarios/strubell2019/nas.toml"
    page = parse(write_report(copy, tmp_path / "r.html"))
    assert page.title == "mlcycle report: nas"
