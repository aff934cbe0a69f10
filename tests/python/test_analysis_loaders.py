"""The analysis package's loaders on real runs and a real sweep (pytest): every loaded value
equals the HDF5 dataset it came from, schema versions are checked, files from before the
lifecycle tables still load, and the per-bin utilization and queue derive exactly from /jobs."""
import dataclasses
import math
import os
import shutil
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest
from analysis_support import ANALYSIS, PYTHON, ROOT, SERIES, check_image, equal, parse, simulate
from mlcycle_analysis import (SchemaError, conservation_errors, derived, load_run, load_sweep,
                              plots)
from mlcycle_analysis.report import write_report
from mlcycle_analysis.sweep import SweepResults, points


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


def test_sweep_results(sweep_dir):
    """load_sweep's SweepResults: the /runs table and the sweep's metadata as fields, nothing
    in DataFrame.attrs. The sweep: trials 1, 2, 3 x price 0.1, 0.2 = 6 points, 2 replicates."""
    sweep = load_sweep(sweep_dir)
    assert isinstance(sweep, SweepResults)
    assert [f.name for f in dataclasses.fields(sweep)] == ["runs", "varied", "aggregates",
                                                           "directory", "attrs"]
    assert isinstance(sweep.runs, pd.DataFrame) and sweep.runs.attrs == {}
    assert len(sweep.runs) == 6 * 2 and len(sweep.aggregates) == 6
    assert sweep.varied == ["campaign.one-trial.trials", "accounting.price_per_kwh"]
    assert sweep.directory == os.path.abspath(sweep_dir)
    assert (sweep.attrs["points"], sweep.attrs["runs"], sweep.attrs["failed"]) == (6, 12, 0)
    assert sweep.replicates == 2 == sweep.attrs["replicates"]
    assert sweep.scenario.endswith("single-trial.toml") and "format" in sweep.attrs
    assert sorted(sweep.runs["replicate"].value_counts().to_dict().items()) == [(0, 6), (1, 6)]
    # The file itself loads the same; the directory is the one holding it.
    again = load_sweep(os.path.join(sweep_dir, "sweep.h5"))
    assert again.directory == sweep.directory and again.varied == sweep.varied
    assert again.runs.equals(sweep.runs)
    # Per point: fixed 3-h trials, so both replicates agree and the mean is either run's cost.
    table = points(sweep, "cost")
    assert len(table) == 6 and list(table.columns[-3:]) == ["mean", "low", "high"]
    first = sweep.runs[sweep.runs["point"] == table["point"].iloc[0]]["cost"]
    assert table["mean"].iloc[0] == pytest.approx(first.iloc[0], rel=1e-12)


def test_policy_group_loads(tmp_path):
    # A shifting campaign gives /policy: the single trial with a threshold it never meets on
    # its constant 400 g/kWh grid waits its 6 h slack, then runs 3 h at 400 g/kWh as in the
    # baseline pass: same job CO2e (0 % saving), every trial done 6 h later.
    out = simulate(tmp_path / "policy.h5", os.path.join(ROOT, "scenarios", "single-trial.toml"),
                   "--set", "campaign.one-trial.shift.policy=threshold",
                   "--set", "campaign.one-trial.shift.slack=6h",
                   "--set", "campaign.one-trial.shift.threshold=300")
    run = load_run(out)
    with h5py.File(out, "r") as f:
        assert run.policy == {k: v.item() for k, v in f["policy"].attrs.items()}
    assert run.policy["deferrable_jobs"] == 1
    assert run.policy["saving_pct"] == pytest.approx(0, abs=1e-12)
    assert run.policy["delay_max_h"] == pytest.approx(6)
    assert run.policy["baseline_jobs_co2_g"] == pytest.approx(run.jobs["co2_g"].sum())
    assert load_run(simulate(tmp_path / "plain.h5",
                             os.path.join(ROOT, "scenarios", "single-trial.toml"))).policy is None
