"""The analysis package's HTML reports and command line (pytest): report numbers equal the
file's, a sweep with failed runs reports them, the CLI writes every plot and fails in one line."""
import base64
import os
import shutil
import subprocess

import h5py
import pytest
from analysis_support import LB, MLCYCLE, ROOT, as_number, check_image, cli, parse
from mlcycle_analysis import load_run, load_sweep, plots
from mlcycle_analysis.report import EQUIVALENTS, write_report, write_sweep_report


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
