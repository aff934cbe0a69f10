"""The trace of scenarios/two-sites.toml read back by other tools (CTest: `cli: hdf5 readers: *`):

  (a) `h5dump -H` reads it and shows the groups and datasets of schema v1;
  (b) h5py: root attributes, the exact /jobs fields (lifecycle fields and enums included), the
      /campaigns and /deployments tables, the /trace datasets and their shapes,
      /summary/by_series and its attributes;
  (c) pandas: the tables load as DataFrames, and energy and CO2e are conserved to 1e-9
      (relative) however they are grouped: per job, per campaign, per trace bin, per series,
      per host; the cumulative series are the running sums of the bins.

Runs with searches, stages, crashes and deployments: test_lifecycle_outputs.py.

Two runs are read: two-sites.toml as it is (301 jobs, 144 bins), and the same with 9000 trials in
search-a and a 15 min trace step (9101 jobs, 7467 bins), so that /jobs and /trace are written in
several of the trace writer's buffers (8192 job rows, 1024 bins each).

    /usr/bin/python3 -m pytest tests/cli/test_hdf5_readers.py --mlcycle PATH

Needs h5py, numpy and pandas (Debian's /usr/bin/python3).
"""
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SCENARIOS_DIR, SOURCE_DIR, expect, expect_close, expect_success,
                         import_hdf5_stack, run_mlcycle)

TWO_SITES = SCENARIOS_DIR / "two-sites.toml"
J_PER_KWH = 3.6e6
REL = 1e-9
ABS_J = 1e-6  # joules: what "zero" means for a series with no jobs (inference)

JOB_FIELDS = ["job_id", "campaign", "phase", "status", "host", "nodes", "gpus", "submit_s",
              "start_s", "end_s", "gpu_hours", "it_energy_j", "energy_j", "co2_g", "cost",
              "stage", "stage_run", "attempt", "rung", "trial", "score", "wait_s", "stop_reason",
              "wasted_gpu_hours", "wasted_co2_g", "flops", "flops_per_gpu_s", "mfu"]
STOP_REASONS = {"completed": 0, "crashed": 1, "node_failure": 2, "failed": 3, "walltime": 4,
                "horizon": 5, "suspended": 6}
NO_STAGE = 2**32 - 1
CAMPAIGN_FIELDS = ["name", "phase", "stage", "search", "runs", "trials_started", "jobs",
                   "completed", "stopped_early", "failed", "crashes", "unfinished", "gpu_hours",
                   "wasted_gpu_hours", "energy_j", "co2_g", "wasted_co2_g",
                   "full_budget_gpu_hours", "saved_gpu_hours", "best_score", "mean_wait_s",
                   "first_submit_s", "last_end_s", "flops", "mfu"]
DEPLOYMENT_FIELDS = ["name", "kind", "start_s", "end_s", "gpu_hours", "it_energy_j", "energy_j", "co2_g",
                     "requests", "served", "dropped", "late", "replica_hours", "max_replicas",
                     "wh_per_request", "co2_g_per_request", "vehicles_end", "vehicle_days",
                     "driving_hours", "onboard_energy_j", "fuel_l", "updates", "reserved_gpus",
                     "busy_gpu_hours", "reserved_utilization", "activity_utilization",
                     "static_energy_j", "input_tokens", "output_tokens", "j_per_output_token",
                     "ttft_mean_s", "ttft_p50_s", "ttft_p90_s", "ttft_p99_s", "tpot_mean_s",
                     "tpot_p50_s", "tpot_p90_s", "tpot_p99_s"]
# two-sites has campaigns and no deployment: no /trace/deployment_* series.
TRACE_DATASETS = {"time_s", "duration_s", "series", "energy_j", "co2_g", "power_w",
                  "intensity_g_per_kwh", "regions", "region_energy_j", "region_co2_g",
                  "region_intensity_g_per_kwh", "cluster_busy_gpus", "cluster_queue_jobs",
                  "co2_cumulative_g", "energy_cumulative_j", "campaign_energy_j",
                  "campaign_co2_g"}
SERIES = ["experimentation", "training", "inference", "idle"]
SUMMARY_ATTRS = {"energy_j", "it_energy_j", "co2_g", "cost", "currency", "gpu_hours",
                 "peak_power_w", "makespan_s", "mean_utilization", "total_gpus", "jobs_pending",
                 "jobs_unfinished", "simgrid_plugin_max_rel_diff", "co2_marginal_g",
                 "marginal_available", "node_boots", "node_off_hours", "node_down_hours",
                 "experimentation_energy_share", "training_energy_share",
                 "inference_energy_share", "experimentation_co2_share", "training_co2_share",
                 "inference_co2_share", "crossover", "experimentation_gpu_hours_share",
                 "training_gpu_hours_share", "inference_gpu_hours_share", "idle_gpu_hours",
                 "mean_activity_utilization", "requests_served", "requests_dropped",
                 "requests_late", "wh_per_request", "co2_g_per_request", "vehicle_days"}
# scenarios/two-sites.toml and platforms/mixed-two-sites.xml
SITE_OF_HOST = {"a-0": "site-a", "a-1": "site-a", "b-0": "site-b"}
PUE = {"site-a": 1.2, "site-b": 1.6}
INTENSITY = {"site-a": 55.0, "site-b": 420.0}
PRICE = 0.15


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def check_h5dump(path):
    h5dump = shutil.which("h5dump")
    expect(h5dump is not None, "h5dump is not installed (Debian package hdf5-tools)")
    proc = subprocess.run([h5dump, "-H", str(path)], capture_output=True, text=True, timeout=10)
    expect(proc.returncode == 0,
           f"h5dump -H {path} exited {proc.returncode}:\n{proc.stderr[:2000]}")
    header = proc.stdout
    for needle in ('GROUP "/"', 'GROUP "trace"', 'GROUP "summary"', 'DATASET "jobs"',
                   'DATASET "hosts"', 'DATASET "by_series"', 'DATASET "energy_j"',
                   'DATASET "power_w"', 'ATTRIBUTE "format"', 'ATTRIBUTE "scenario_toml"',
                   'DATASET "campaigns"', 'DATASET "deployments"', 'DATASET "stages"',
                   'DATASET "cluster_busy_gpus"', 'DATASET "co2_cumulative_g"',
                   'ATTRIBUTE "node_boots"', 'H5T_COMPOUND', 'H5T_ENUM'):
        expect(needle in header, f"h5dump -H output lacks {needle}")
    bins = re.search(r'DATASET "energy_j" \{.*?DATASPACE\s+SIMPLE \{ \( (\d+), 4 \)', header, re.S)
    expect(bins is not None, "h5dump shows no [bins x 4] /trace/energy_j")


# name -> (--set overrides, jobs, experimentation jobs, trace step)
VARIANTS = {
    "two-sites": ([], 301, 300, 1800.0),
    "two-sites, 9101 jobs in 15 min bins": (
        ["--set", "campaign.search-a.trials=9000", "--set", "output.trace_step=15min"],
        9101, 9100, 900.0),
}


def check_layout(f, h5py, np, n_jobs, step_s):
    a = f.attrs
    expect(set(a) >= {"format", "format_version", "seed", "start_utc", "end_s", "scenario_toml",
                      "mlcycle_version", "simgrid_version", "engine"},
           f"root attributes are {sorted(a)}")
    expect(text(a["format"]) == "mlcycle-trace", f"format attribute {a['format']!r}")
    expect(int(a["format_version"]) == 1, f"format_version attribute {a['format_version']!r}")
    expect(int(a["seed"]) == 3, f"seed attribute {a['seed']!r}, expected 3 (two-sites.toml)")
    expect(text(a["start_utc"]) == "2020-06-01T00:00:00Z", f"start_utc {a['start_utc']!r}")
    expect(text(a["engine"]) == "analytic", f"engine attribute {a['engine']!r}")
    version = re.search(r"project\(\s*mlcycle\s+VERSION\s+([0-9.]+)",
                        (SOURCE_DIR / "CMakeLists.txt").read_text()).group(1)
    expect(text(a["mlcycle_version"]) == version, f"mlcycle_version {a['mlcycle_version']!r}")
    scenario = tomllib.loads(text(a["scenario_toml"]))
    expect([c["name"] for c in scenario["campaign"]] == ["search-a", "search-b", "final"],
           "scenario_toml campaigns")
    expect(scenario["simulation"]["seed"] == 3, "scenario_toml simulation.seed")
    campaigns = f["campaigns"]
    expect(list(campaigns.dtype.names or []) == CAMPAIGN_FIELDS,
           f"/campaigns fields are {campaigns.dtype.names}, expected {CAMPAIGN_FIELDS}")
    expect([text(s) for s in campaigns["name"]] == ["search-a", "search-b", "final"],
           "/campaigns names")
    expect(h5py.check_enum_dtype(campaigns.dtype["phase"]) ==
           {"experimentation": 0, "training": 1, "inference": 2}, "/campaigns phase enum")
    expect(list(campaigns["phase"]) == [0, 0, 1], "/campaigns phases")
    expect([text(s) for s in campaigns["search"]] == ["independent"] * 3, "/campaigns search")
    expect([text(s) for s in campaigns["stage"]] == [""] * 3, "/campaigns stage (none)")
    expect(list(campaigns["trials_started"]) == [n_jobs - 101, 100, 1],
           "/campaigns trials_started (search-b 100 trials, final 1, search-a the rest)")
    expect(list(f["deployments"].dtype.names or []) == DEPLOYMENT_FIELDS,
           f"/deployments fields are {f['deployments'].dtype.names}")
    expect(f["deployments"].shape == (0,) and f["stages"].shape == (0,),
           "two-sites has no deployment and no stage")
    expect([text(s) for s in f["clusters"][()]] == ["site-a", "site-b"], "/clusters")

    jobs = f["jobs"]
    expect(list(jobs.dtype.names) == JOB_FIELDS,
           f"/jobs fields are {list(jobs.dtype.names)}, expected exactly {JOB_FIELDS}")
    expect(jobs.ndim == 1 and len(jobs) == n_jobs,
           f"/jobs shape {jobs.shape}, expected ({n_jobs},)")
    expect(h5py.check_enum_dtype(jobs.dtype["phase"]) ==
           {"experimentation": 0, "training": 1, "inference": 2}, "/jobs phase enum")
    expect(h5py.check_enum_dtype(jobs.dtype["status"]) == {"completed": 0, "unfinished": 1},
           "/jobs status enum")
    expect(h5py.check_enum_dtype(jobs.dtype["stop_reason"]) == STOP_REASONS,
           "/jobs stop_reason enum")
    for field, dtype in (("stage", np.uint32), ("stage_run", np.uint32), ("attempt", np.uint32),
                         ("rung", np.int32), ("trial", np.uint64), ("score", np.float64),
                         ("wait_s", np.float64), ("wasted_gpu_hours", np.float64),
                         ("wasted_co2_g", np.float64), ("flops", np.float64),
                         ("flops_per_gpu_s", np.float64), ("mfu", np.float64)):
        expect(jobs.dtype[field] == dtype, f"/jobs {field} dtype {jobs.dtype[field]}")

    trace = f["trace"]
    expect(set(trace) == TRACE_DATASETS, f"/trace holds {sorted(trace)}")
    bins = trace["time_s"].shape[0]
    expect(bins > 1, "/trace should have several bins")
    for name in ("time_s", "duration_s", "power_w", "intensity_g_per_kwh"):
        expect(trace[name].shape == (bins,), f"/trace/{name} shape {trace[name].shape}")
        expect(trace[name].dtype == np.float64, f"/trace/{name} dtype {trace[name].dtype}")
    for name in ("energy_j", "co2_g", "energy_cumulative_j", "co2_cumulative_g"):
        expect(trace[name].shape == (bins, 4), f"/trace/{name} shape {trace[name].shape}, "
                                              f"expected ({bins}, 4)")
    for name, width in (("cluster_busy_gpus", 2), ("cluster_queue_jobs", 2),
                        ("campaign_energy_j", 3), ("campaign_co2_g", 3)):
        expect(trace[name].shape == (bins, width), f"/trace/{name} shape {trace[name].shape}, "
                                                   f"expected ({bins}, {width})")
    expect([text(s) for s in trace["series"][()]] == SERIES, "/trace/series")
    expect_close(trace.attrs["step_s"], step_s, "/trace step_s attribute")

    summary = f["summary"]
    expect("by_series" in summary, "/summary/by_series missing")
    by = summary["by_series"]
    expect(list(by.dtype.names) == ["series", "jobs", "gpu_hours", "it_energy_j", "energy_j",
                                    "co2_g", "cost", "co2_marginal_g", "deployments"],
           f"/summary/by_series fields {by.dtype.names}")
    # two-sites gives no marginal signal: the marginal column is NaN and flagged unavailable.
    expect(int(summary.attrs["marginal_available"]) == 0, "two-sites has no marginal signal")
    expect(all(v != v for v in by["co2_marginal_g"]), "marginal CO2e must be NaN (unavailable)")

    # /grid: each region's signal as used; constant regions hold one step at t = 0.
    grid = f["grid"]
    expect(sorted(grid) == ["high-carbon", "low-carbon"], f"/grid regions {sorted(grid)}")
    for name, value in (("low-carbon", 55.0), ("high-carbon", 420.0)):
        region = grid[name]
        expect(text(region.attrs["kind"]) == "constant", f"/grid/{name} kind")
        expect(list(region["time_s"][()]) == [0.0], f"/grid/{name}/time_s")
        expect(list(region["intensity_g_per_kwh"][()]) == [value], f"/grid/{name} intensity")
    # Regions in the order of the scenario's [grid] table (TOML tables are sorted by key).
    expect([text(r) for r in trace["regions"][()]] == ["high-carbon", "low-carbon"],
           "/trace/regions in scenario order")
    expect([text(s) for s in by["series"]] == SERIES + ["total"], "/summary/by_series rows")
    expect(set(summary.attrs) >= SUMMARY_ATTRS,
           f"/summary attributes lack {sorted(SUMMARY_ATTRS - set(summary.attrs))}")
    expect(text(summary.attrs["currency"]) == "USD", "/summary currency")
    expect(int(summary.attrs["total_gpus"]) == 24, "/summary total_gpus (16 + 8)")
    expect(int(summary.attrs["jobs_pending"]) == 0 and int(summary.attrs["jobs_unfinished"]) == 0,
           "every job of two-sites completes")
    expect_close(summary.attrs["makespan_s"], a["end_s"], "/summary makespan_s vs end_s")


def check_conservation(f, np, pd, n_experimentation):
    jobs = pd.DataFrame(f["jobs"][()])
    expect(list(jobs.columns) == JOB_FIELDS, f"DataFrame columns {list(jobs.columns)}")
    expect(np.array_equal(np.sort(jobs["job_id"].to_numpy()), np.arange(len(jobs))),
           "/jobs must hold every job_id 0..n-1 exactly once")
    hosts = pd.DataFrame(f["hosts"][()])
    hosts["name"] = hosts["name"].map(text)
    by = pd.DataFrame(f["summary/by_series"][()])
    by["series"] = by["series"].map(text)
    by = by.set_index("series")
    energy = f["trace/energy_j"][()]
    co2 = f["trace/co2_g"][()]
    time_s = f["trace/time_s"][()]
    duration_s = f["trace/duration_s"][()]
    power_w = f["trace/power_w"][()]
    intensity = f["trace/intensity_g_per_kwh"][()]
    end_s = float(f.attrs["end_s"])
    summary = f["summary"].attrs

    # The bins tile [0, end_s].
    expect_close(time_s[0], 0.0, "first bin start", abs_tol=1e-12)
    expect(np.allclose(time_s[1:], time_s[:-1] + duration_s[:-1], rtol=REL, atol=0),
           "/trace/time_s[i+1] != time_s[i] + duration_s[i]")
    expect_close(duration_s.sum(), end_s, "sum of /trace/duration_s vs end_s")
    expect_close(jobs["end_s"].max(), end_s, "last job end vs end_s")

    # Per phase: jobs == /summary/by_series (energy and CO2e: conservation.check_file below).
    for p, name in enumerate(SERIES[:3]):
        mine = jobs[jobs["phase"] == p]
        expect(len(mine) == by.loc[name, "jobs"], f"{name}: {len(mine)} jobs in /jobs, "
                                                  f"{by.loc[name, 'jobs']} in by_series")
        for column in ("it_energy_j", "gpu_hours", "cost"):
            expect_close(mine[column].sum(), by.loc[name, column],
                         f"{name} {column}: jobs vs by_series", REL, ABS_J)
    expect(by.loc["experimentation", "jobs"] == n_experimentation and
           by.loc["training", "jobs"] == 1,
           f"expected {n_experimentation} experimentation jobs and 1 training job")
    expect(by.loc["experimentation", "energy_j"] > 0 and by.loc["training", "energy_j"] > 0,
           "experimentation and training must have drawn energy")

    # The fields a lifecycle adds: two-sites has no stage, search, crash or retry.
    expect((jobs["stage"] == NO_STAGE).all() and (jobs["attempt"] == 0).all() and
           (jobs["rung"] == -1).all() and jobs["score"].isna().all(),
           "two-sites jobs: no stage (2^32 - 1), attempt 0, rung -1, score NaN")
    expect((jobs["stop_reason"] == 0).all() and (jobs["wasted_gpu_hours"] == 0).all() and
           (jobs["wasted_co2_g"] == 0).all(), "two-sites jobs complete and waste nothing")
    expect(np.array_equal(jobs["wait_s"], jobs["start_s"] - jobs["submit_s"]),
           "/jobs wait_s == start_s - submit_s")
    campaigns = pd.DataFrame(f["campaigns"][()])
    campaigns["name"] = campaigns["name"].map(text)
    for c, row in campaigns.iterrows():
        mine = jobs[jobs["campaign"] == c]
        expect(row["jobs"] == len(mine) == row["completed"], f"/campaigns {row['name']} jobs")
        for column in ("gpu_hours", "energy_j", "co2_g"):
            expect_close(row[column], mine[column].sum(), f"/campaigns {row['name']} {column}")
        expect_close(row["mean_wait_s"], mine["wait_s"].mean(), f"{row['name']} mean_wait_s")
        for column, trace_name in (("energy_j", "campaign_energy_j"), ("co2_g", "campaign_co2_g")):
            expect_close(f["trace"][trace_name][:, c].sum(), row[column],
                         f"/trace/{trace_name} column {c} vs /campaigns {column}")

    # Cumulative series: running sums of the bins; the last row is the column sums.
    for name, per_bin in (("energy_cumulative_j", energy), ("co2_cumulative_g", co2)):
        cumulative = f["trace"][name][()]
        expect(np.allclose(cumulative, np.cumsum(per_bin, axis=0), rtol=REL, atol=0),
               f"/trace/{name} is not the running sum of the bins")
        for k in range(4):
            expect_close(cumulative[-1, k], per_bin[:, k].sum(), f"/trace/{name} last row")

    # Busy GPUs per cluster: the run's mean utilization.
    busy = f["trace/cluster_busy_gpus"][()]
    expect_close((busy.sum(axis=1) * duration_s).sum() / (24 * end_s),
                 summary["mean_utilization"], "cluster_busy_gpus vs mean_utilization")

    expect(by.loc["idle", "energy_j"] > 0, "two-sites has idle GPUs: idle energy must be > 0")

    # Energy and CO2e: jobs + idle == trace (per series and in total) == /summary/by_series ==
    # the /summary attributes == sum over hosts (conservation.py).
    total_e = conservation.check_file(f)["energy_j"]
    total_it = jobs["it_energy_j"].sum() + by.loc["idle", "it_energy_j"]
    expect_close(hosts["it_energy_j"].sum(), total_it, "total IT energy: jobs + idle vs /hosts")
    expect_close(summary["it_energy_j"], total_it, "total IT energy vs /summary")
    expect_close(summary["cost"], total_e / J_PER_KWH * PRICE, "/summary cost")

    # Per host: facility = IT x the site's PUE.
    for _, host in hosts.iterrows():
        site = SITE_OF_HOST.get(host["name"])
        expect(site is not None, f"unexpected host {host['name']!r} in /hosts")
        expect_close(host["energy_j"], host["it_energy_j"] * PUE[site], f"host {host['name']}")

    # Per bin: mean power x duration == energy; intensity is the energy-weighted mean.
    bin_energy = energy.sum(axis=1)
    for i in range(len(time_s)):
        expect_close(power_w[i] * duration_s[i], bin_energy[i], f"bin {i}: power_w x duration_s "
                                                                f"vs sum of energy_j")
        expect_close(intensity[i], co2[i].sum() / bin_energy[i] * J_PER_KWH,
                     f"bin {i}: intensity_g_per_kwh")
        expect(55.0 - 1e-9 <= intensity[i] <= 420.0 + 1e-9,
               f"bin {i}: intensity {intensity[i]} outside the two grids' [55, 420]")
    # Per region: the region series split the same energy and CO2e; the mean intensities are
    # the two constant grids'.
    region_energy = f["trace/region_energy_j"][()]
    region_co2 = f["trace/region_co2_g"][()]
    region_intensity = f["trace/region_intensity_g_per_kwh"][()]
    expect(region_energy.shape == (len(time_s), 2), f"region_energy_j shape {region_energy.shape}")
    for i in range(len(time_s)):
        expect_close(region_energy[i].sum(), bin_energy[i], f"bin {i}: regions vs series energy")
        expect_close(region_co2[i].sum(), co2[i].sum(), f"bin {i}: regions vs series CO2e")
        expect_close(region_co2[i][0], region_energy[i][0] / J_PER_KWH * 420.0, f"bin {i}: high")
        expect_close(region_co2[i][1], region_energy[i][1] / J_PER_KWH * 55.0, f"bin {i}: low")
        expect(list(region_intensity[i]) == [420.0, 55.0], f"bin {i}: region intensities")

    # A bin's mean power cannot exceed the highest power held (/summary peak_power_w).
    expect(power_w.max() <= summary["peak_power_w"] * (1 + REL),
           f"a bin's mean power {power_w.max()} W exceeds peak_power_w {summary['peak_power_w']}")

    # Per job: GPU-hours, PUE, intensity and price of the job's site.
    host_names = list(hosts["name"])
    for row in jobs.itertuples():
        site = SITE_OF_HOST[host_names[row.host]]
        where = f"job {row.job_id}"
        expect(row.status == 0, f"{where}: status {row.status}, expected completed")
        expect(row.submit_s <= row.start_s < row.end_s, f"{where}: submit/start/end out of order")
        expect_close(row.gpu_hours, row.gpus * (row.end_s - row.start_s) / 3600, f"{where} GPU-h")
        expect_close(row.energy_j, row.it_energy_j * PUE[site], f"{where}: facility = IT x PUE")
        expect_close(row.co2_g, row.energy_j / J_PER_KWH * INTENSITY[site], f"{where}: CO2e")
        expect_close(row.cost, row.energy_j / J_PER_KWH * PRICE, f"{where}: cost")
    final = jobs[jobs["campaign"] == 2]
    expect(len(final) == 1 and final["gpus"].iloc[0] == 16 and final["nodes"].iloc[0] == 2,
           "campaign 'final' is one 16-GPU job on 2 nodes")
    expect(final["start_s"].iloc[0] >= 2 * 86400,
           "the 'final' job starts at submit_at = 2d or later")
    expect_close(final["end_s"].iloc[0] - final["start_s"].iloc[0], 24 * 3600, "'final' length")


@pytest.mark.title("hdf5 readers: {}")
@pytest.mark.parametrize("variant", VARIANTS)
def test_hdf5_readers(mlcycle, tmp, variant):
    overrides, n_jobs, n_experimentation, step_s = VARIANTS[variant]
    h5py, np = import_hdf5_stack()
    import pandas as pd  # a missing pandas fails the test: Debian's /usr/bin/python3 has it
    out = tmp / "two-sites.h5"
    result = run_mlcycle(mlcycle, ["run", TWO_SITES, "-o", out, "--quiet", *overrides], cwd=tmp)
    expect_success(result, "run two-sites.toml")
    expect(out.is_file(), f"{out} was not written", result)
    check_h5dump(out)
    with h5py.File(out, "r") as f:
        check_layout(f, h5py, np, n_jobs, step_s)
        check_conservation(f, np, pd, n_experimentation)
