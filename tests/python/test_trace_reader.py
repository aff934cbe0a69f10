"""The analysis reader on real runs: names decoded, conservation holds to 1e-9 (pytest)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "analysis"))
from mlcycle_trace import conservation_errors, open_trace  # noqa: E402

MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))


def run(tmp_path, scenario, *extra):
    out = tmp_path / "trace.h5"
    subprocess.run([MLCYCLE, "run", os.path.join(ROOT, scenario), "-o", str(out), "--quiet", *extra],
                   check=True)
    return open_trace(str(out))


@pytest.mark.parametrize("engine", ["analytic", "exec"])
def test_two_sites_conservation(tmp_path, engine):
    trace = run(tmp_path, "scenarios/two-sites.toml", "--set", f"simulation.engine={engine}")
    for name, error in conservation_errors(trace).items():
        assert error < 1e-9, f"{name}: {error}"
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
    assert exec_.attributes["engine"] == "exec"
    for column in ("energy_j", "co2_g", "cost", "gpu_hours", "it_energy_j"):
        a = analytic.summary[column].to_numpy()
        b = exec_.summary[column].to_numpy()
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), column
    assert exec_.summary_attributes["simgrid_plugin_max_rel_diff"] < 1e-9
    assert analytic.summary_attributes["simgrid_plugin_max_rel_diff"] == -1


def test_series_index_is_utc_time(tmp_path):
    trace = run(tmp_path, "scenarios/single-trial.toml")
    assert str(trace.series.index[0]) == "2020-01-01 00:00:00+00:00"
    assert len(trace.series) == 3  # 3 h in 1 h bins
    assert trace.jobs["status"].iloc[0] == "completed"
