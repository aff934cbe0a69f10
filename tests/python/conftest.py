"""Fixtures of the analysis package's tests (test_analysis_*.py): real runs and a real sweep,
simulated once per pytest session by the simulator ($MLCYCLE, else build/release/mlcycle).

Tests that change a file change a copy: the fixtures' files are shared.
"""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analysis_support import (ASHA_VS_RANDOM, CROSSOVER_TOML, LIFECYCLE_SCENARIO,  # noqa: E402
                              MLCYCLE, ROOT, simulate)


@pytest.fixture(scope="session")
def two_sites(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("two") / "two-sites.h5",
                    os.path.join(ROOT, "scenarios", "two-sites.toml"))


@pytest.fixture(scope="session")
def single_trial(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("one") / "single-trial.h5",
                    os.path.join(ROOT, "scenarios", "single-trial.toml"))


@pytest.fixture(scope="session")
def crossover_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("crossover")
    scenario = directory / "crossover.toml"
    scenario.write_text(CROSSOVER_TOML.format(
        platform=os.path.join(ROOT, "platforms", "p100-node.xml")))
    return simulate(directory / "crossover.h5", scenario)


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "s"
    subprocess.run([MLCYCLE, "sweep", os.path.join(ROOT, "scenarios", "single-trial.toml"),
                    "-o", str(out), "--vary", "campaign.one-trial.trials=1,2,3",
                    "--vary", "accounting.price_per_kwh=0.1,0.2", "--replicates", "2",
                    "--jobs", "2"], check=True, capture_output=True)
    return str(out)



@pytest.fixture(scope="session")
def asha_run(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("asha") / "asha-vs-random.h5", ASHA_VS_RANDOM)


@pytest.fixture(scope="session")
def lifecycle_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lifecycle")
    return simulate(directory / "lifecycle.h5", LIFECYCLE_SCENARIO)
