"""Helpers of the analysis package's tests: value comparison, image checks, the report's HTML
parsed back, the command line (`python3 -m mlcycle_analysis`)."""
import math
import os
import subprocess
import sys
from html.parser import HTMLParser

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANALYSIS = os.path.join(ROOT, "analysis")
sys.path.insert(0, ANALYSIS)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SERIES = ["experimentation", "training", "inference", "idle"]
LB = 453.59237
MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))
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

ASHA_VS_RANDOM = os.path.join(ROOT, "scenarios", "asha-vs-random.toml")
# tests/data/lifecycle-mix.toml: a search, a crashing training run, serving and a fleet on two
# nodes that power off when idle.
LIFECYCLE_SCENARIO = os.path.join(ROOT, "tests", "data", "lifecycle-mix.toml")


def simulate(out, scenario, *extra):
    subprocess.run([MLCYCLE, "run", str(scenario), "-o", str(out), "--quiet", *extra], check=True)
    return str(out)


def equal(a, b):
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)



def check_image(path):
    assert os.path.getsize(path) > 1000, path
    if str(path).endswith(".png"):
        import matplotlib.image
        pixels = matplotlib.image.imread(str(path))
        assert pixels.ndim == 3 and float(pixels.std()) > 0.01, f"{path}: uniform image"
    else:
        head = open(path, encoding="utf-8").read(400)
        assert "<svg" in head, path



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



def cli(*args):
    return subprocess.run([PYTHON, "-m", "mlcycle_analysis", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ANALYSIS})



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

