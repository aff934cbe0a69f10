"""The HTML report's summary figures against hand oracles (pytest): serving GPUs reserved vs
active, GPU-hour capacity shares, deployments counted apart from jobs, the crossover as
`mlcycle run` words it (files without the `crossover` attribute included), and the deployment
columns of a sweep's runs table."""
import os
import subprocess
import sys

import h5py
import pytest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "analysis"))
sys.path.insert(0, HERE)
from mlcycle_analysis.report import write_report, write_sweep_report  # noqa: E402
from analysis_support import parse  # noqa: E402

MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))
# Two fixed 1-GPU replicas on two-hosts.xml (mu = 2 requests/s each, 12.5 W idle, 52.5 W busy).
with open(os.path.join(ROOT, "tests", "data", "fixed-service.toml.in")) as template:
    SERVICE = template.read()
TRAIN = """[[campaign]]
name = "train"
phase = "training"
trials = 1
length = { distribution = "fixed", hours = 2 }
"""
EXPLORE = """[[campaign]]
name = "explore"
trials = 1
length = { distribution = "fixed", hours = 1 }
"""


def simulate(directory, name, rps=1, start_at="0h", extra=""):
    scenario = directory / f"{name}.toml"
    scenario.write_text(SERVICE.format(platform=os.path.join(ROOT, "tests", "data",
                                                             "two-hosts.xml"),
                                       start_at=start_at, rps=rps) + extra)
    out = directory / f"{name}.h5"
    subprocess.run([MLCYCLE, "run", str(scenario), "-o", str(out), "--quiet"], check=True)
    return str(out)


def key_numbers(path, html):
    page = parse(write_report(path, html))
    return page, {c["data-key"]: c["text"] for c in page.cells
                  if c["section"] == "key-numbers" and "data-key" in c}


def test_serving_figures(tmp_path):
    # u = 1 / (2 x 2) = 0.25: 20 reserved GPU-h, all held, 5 at work. With explore (1 GPU-h) and
    # train (2 GPU-h): 23 of 40 GPU-h held (57.5 %), (1 + 2 + 5) / 40 = 20.0 % active; capacity
    # shares 1/23, 2/23, 20/23; 17 idle GPU-h. Development leads until 157.5 Wh / 45 W = 3.5 h.
    page, key = key_numbers(simulate(tmp_path, "svc", extra=EXPLORE + TRAIN), tmp_path / "r.html")
    assert key["utilization"] == ("57.5% of 4 GPUs reserved; 20.0% active (serving GPUs at "
                                  "their replicas' load)")
    assert key["capacity-shares"] == ("experimentation 4.3%, training 8.7%, inference 87.0%; "
                                      "17.0 idle GPU-hours excluded")
    assert key["crossover"].startswith("2020-01-01 03:30:00 UTC (3.50 h")
    deployments = {c["data-series"]: c["text"] for c in page.cells
                   if c.get("data-field") == "deployments"}
    assert deployments == {"experimentation": "0", "training": "0", "inference": "1",
                           "idle": "0", "total": "1"}
    serving = {c["data-field"]: c for c in page.cells if c["table"] == "serving-table"
               and "data-field" in c}
    assert float(serving["reserved_utilization"]["data-value"]) == pytest.approx(1, rel=1e-12)
    assert float(serving["activity_utilization"]["data-value"]) == pytest.approx(0.25, rel=1e-12)
    assert serving["activity_utilization"]["text"] == "25.0"


def test_crossover_words(tmp_path):
    alone = simulate(tmp_path, "alone", start_at="12h")
    assert key_numbers(alone, tmp_path / "a.html")[1]["crossover"] == (
        "none: the run has no experimentation or training")
    # 4 requests/s: 105 W from t = 0 against training's 52.5 W: never behind.
    led = simulate(tmp_path, "led", rps=4, extra=TRAIN)
    words = "none: inference led from its first instant (it overtook nothing)"
    assert key_numbers(led, tmp_path / "l.html")[1]["crossover"] == words
    with h5py.File(led, "r+") as f:  # a file from before the attribute: the same rule
        del f["summary"].attrs["crossover"]
    assert key_numbers(led, tmp_path / "l2.html")[1]["crossover"] == words


def test_sweep_runs_table(tmp_path):
    scenario = tmp_path / "sweep.toml"
    scenario.write_text(SERVICE.format(platform=os.path.join(ROOT, "tests", "data",
                                                             "two-hosts.xml"),
                                       start_at="0h", rps=1))
    out = tmp_path / "s"
    subprocess.run([MLCYCLE, "sweep", str(scenario), "-o", str(out), "--vary",
                    "deployment.api.demand.base_rps=1,5"], check=True, capture_output=True)
    page = parse(write_sweep_report(str(out), tmp_path / "s.html"))
    dropped = [c["text"] for c in page.cells if c.get("data-field") == "requests_dropped"]
    # base_rps 5 on a capacity of 4 requests/s: 1 request/s dropped for 10 h.
    assert dropped == ["0", "36,000"]
