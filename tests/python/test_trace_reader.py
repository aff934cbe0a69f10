"""The analysis reader (mlcycle_analysis.load_run) on real runs: names decoded, conservation
holds to 1e-9 (tests/cli/conservation.py, the analysis package's sums and the file's own)."""
import os
import subprocess
import sys

import h5py
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "analysis"))
sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
import conservation  # noqa: E402
from mlcycle_analysis import load_run  # noqa: E402

MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))


def run(tmp_path, scenario, *extra):
    out = tmp_path / "trace.h5"
    subprocess.run([MLCYCLE, "run", os.path.join(ROOT, scenario), "-o", str(out), "--quiet", *extra],
                   check=True)
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
    return load_run(str(out))


@pytest.mark.parametrize("engine", ["analytic", "exec"])
def test_two_sites_conservation(tmp_path, engine):
    trace = run(tmp_path, "scenarios/two-sites.toml", "--set", f"simulation.engine={engine}")
    conservation.check_run(trace)
    assert set(trace.jobs["campaign"].cat.categories) == {"search-a", "search-b", "final"}
    assert set(trace.jobs["phase"].cat.categories) <= {"experimentation", "training", "inference"}
    final = trace.jobs[trace.jobs["campaign"] == "final"]
    assert len(final) == 1 and final["nodes"].iloc[0] == 2 and final["gpus"].iloc[0] == 16
    # The low-carbon site (55 g/kWh) emits less per kWh than the high-carbon one (420 g/kWh).
    site_a = trace.jobs[trace.jobs["host"].str.startswith("a-")]
    site_b = trace.jobs[trace.jobs["host"].str.startswith("b-")]
    assert (site_a["co2_g"] / site_a["energy_j"] * 3.6e6).round(6).unique().tolist() == [55.0]
    assert (site_b["co2_g"] / site_b["energy_j"] * 3.6e6).round(6).unique().tolist() == [420.0]


def test_engines_agree(tmp_path):
    analytic = run(tmp_path, "scenarios/two-sites.toml")
    exec_ = run(tmp_path, "scenarios/two-sites.toml", "--set", "simulation.engine=exec")
    assert exec_.attrs["engine"] == "exec"
    for column in ("energy_j", "co2_g", "cost", "gpu_hours", "it_energy_j"):
        a = analytic.summary[column].to_numpy()
        b = exec_.summary[column].to_numpy()
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), column
    assert exec_.summary_attrs["simgrid_plugin_max_rel_diff"] < 1e-9
    assert analytic.summary_attrs["simgrid_plugin_max_rel_diff"] == -1


def test_series_index_is_utc_time(tmp_path):
    trace = run(tmp_path, "scenarios/single-trial.toml")
    assert str(trace.trace.index[0]) == "2020-01-01 00:00:00+00:00"
    assert len(trace.trace) == 3  # 3 h in 1 h bins
    assert trace.jobs["status"].iloc[0] == "completed"


# ../shared/data (CMake passes its cache variable MLCYCLE_SHARED_DATA); CTest runs the test that
# needs it as an entry of its own, which says "Skipped" without it (tests/run_pytest.py).
SHARED = os.path.join(os.environ.get("MLCYCLE_SHARED_DATA") or
                      os.path.join(os.path.dirname(ROOT), "shared", "data"), "grid")


@pytest.mark.skipif(not os.path.isdir(SHARED), reason="../shared/data is absent")
def test_shared_data_gb_mix_grid_group(tmp_path):
    """/grid/<region> holds the steps used and the generation behind each; the intensity of a
    step is sum(MW x factor) / sum(MW) over its generation row (AR5 factors, imports priced as
    the scenario says, pumped storage left out)."""
    trace = run(tmp_path, "scenarios/shared-data/lisa-gb-2020-mix.toml")
    conservation.check_run(trace)
    gb = trace.grid["us-average-2018"]
    assert gb.attrs["kind"] == "mix"
    assert gb["time_s"].iloc[0] == 0 and (gb["time_s"].diff().dropna() == 1800).all()
    ar5 = {"biomass": 230, "gas": 490, "hard_coal": 820, "oil": 840, "hydro_run_of_river": 24,
           "nuclear": 12, "other": 770, "solar": 48, "wind_offshore": 12, "wind_onshore": 11,
           "import_from_nl": 400, "import_from_ie": 300, "import_from_be": 170}
    fr = trace.grid["fr"]
    for i in (0, 100, 5000):
        row = gb.iloc[i]
        weighted = total = 0.0
        for column, value in row.items():
            if not column.endswith("_mw") or not value > 0:
                continue
            source = column[:-3]
            if source == "hydro_pumped_storage":
                continue
            if source == "import_from_fr":
                # France's hourly intensity over the same half-hour: the step holding at t.
                factor = fr[fr["time_s"] <= row["time_s"]]["intensity_g_per_kwh"].iloc[-1]
            else:
                factor = ar5[source]
            weighted += value * factor
            total += value
        assert row["intensity_g_per_kwh"] == pytest.approx(weighted / total, rel=1e-12)
    # Per region, the bins' mean intensity is the time-mean of the steps.
    first_hour = gb[gb["time_s"] < 3600]["intensity_g_per_kwh"].mean()
    assert trace.regions[("us-average-2018", "intensity_g_per_kwh")].iloc[0] == pytest.approx(
        first_hour, rel=1e-12)
    # The summary reports marginal (gas) CO2e next to the average-based figure.
    assert trace.summary_attrs["marginal_available"] == 1
    exp = trace.summary.loc["experimentation"]
    assert exp["co2_marginal_g"] == pytest.approx(exp["energy_j"] / 3.6e6 * 490, rel=1e-12)


def run_with(tmp_path, scenario, *extra):
    out = tmp_path / "t.h5"
    subprocess.run([MLCYCLE, "run", os.path.join(ROOT, scenario), "-o", str(out), "--quiet",
                    *extra], check=True)
    return load_run(str(out))


def test_exec_horizon_on_a_job_end(tmp_path):
    """A horizon within rounding of a job's end: SimGrid's clock may land a step past it; the
    exec engine must end the run at the horizon like the analytic one (it used to fail)."""
    common = ["--set", "simulation.horizon=3960.0000000000005", "--set", "campaign.0.trials=3",
              "--set", "campaign.0.gpus_per_trial=8", "--set", "campaign.0.length.hours=1.1"]
    analytic = run_with(tmp_path, "scenarios/single-trial.toml", *common)
    exec_ = run_with(tmp_path, "scenarios/single-trial.toml", *common,
                     "--set", "simulation.engine=exec")
    assert exec_.attrs["end_s"] == pytest.approx(analytic.attrs["end_s"], rel=1e-15)
    assert exec_.summary["energy_j"].to_numpy() == pytest.approx(
        analytic.summary["energy_j"].to_numpy(), rel=1e-9)


def test_gpus_freed_at_the_horizon_start_nothing(tmp_path):
    """Three 8-GPU trials of 3 h on one 8-GPU node, horizon 3 h: the first completes at the
    horizon and the other two never start (no zero-length 'unfinished' job)."""
    run = run_with(tmp_path, "scenarios/single-trial.toml", "--set", "simulation.horizon=10800",
                   "--set", "campaign.0.trials=3", "--set", "campaign.0.gpus_per_trial=8")
    assert len(run.jobs) == 1 and run.jobs["status"].iloc[0] == "completed"
    assert run.summary_attrs["jobs_pending"] == 2
    assert run.summary_attrs["jobs_unfinished"] == 0


def test_phase_energy_is_exactly_zero_when_no_job_of_it_runs(tmp_path):
    """Shares of 3, 1 and 2 GPUs come and go on the same site: once the last job of a phase has
    ended, that phase draws exactly 0 W (no rounding crumbs from += and -= of unequal powers)."""
    scenario = tmp_path / "mixed.toml"
    scenario.write_text(f"""[simulation]
start = 2020-01-01T00:00:00Z
seed = 3
platform = "{os.path.join(ROOT, 'platforms', 'lisa-titanx-64.xml')}"
[grid.us-average-2018]
intensity_g_per_kwh = 300
[[campaign]]
name = "threes"
phase = "experimentation"
trials = 40
gpus_per_trial = 3
length = {{ distribution = "lognormal", median_h = 2.3, sigma = 0.9 }}
[[campaign]]
name = "ones"
phase = "training"
trials = 200
length = {{ distribution = "uniform", min_h = 0.3, max_h = 7.7 }}
[[campaign]]
name = "twos"
phase = "inference"
trials = 90
gpus_per_trial = 2
length = {{ distribution = "lognormal", median_h = 1.7, sigma = 1.1 }}
""")
    out = tmp_path / "mixed.h5"
    subprocess.run([MLCYCLE, "run", str(scenario), "-o", str(out), "--quiet"], check=True)
    run = load_run(str(out))
    checked = 0
    for phase in ("experimentation", "training", "inference"):
        last_end = run.jobs[run.jobs["phase"] == phase]["end_s"].max()
        after = run.trace[run.trace["time_s"] >= last_end]
        checked += len(after) > 0
        assert (after[f"{phase}_energy_j"] == 0.0).all(), phase
        assert (after[f"{phase}_co2_g"] == 0.0).all(), phase
    assert checked >= 2  # at least two phases end well before the run does
    conservation.check_run(run)
