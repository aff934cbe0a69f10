"""End-to-end tests of what the summary counts for deployments, with hand-computed oracles:
serving GPUs reserved vs active, GPU-hour capacity shares, deployments counted apart from jobs,
the crossover rule (NaN when nothing was overtaken), a table that stays aligned with a billion
vehicles, files written before these fields, and the sweep table's deployment columns.

    /usr/bin/python3 -m pytest tests/cli/test_summary_outputs.py --mlcycle PATH

Needs h5py and numpy (Debian's /usr/bin/python3).
"""
import csv
import math
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SOURCE_DIR, expect, expect_close, expect_success,
                         import_hdf5_stack, run_mlcycle, temp_dir)
from test_info import diff, expect_same_table, info

TWO_HOSTS = SOURCE_DIR / "tests" / "data" / "two-hosts.xml"
# two-hosts.xml: 2 hosts x 2 GPUs, PUE 1.5; a replica of 1 GPU idles at 12.5 W and serves at
# 52.5 W (IT). Two fixed replicas at 0.5 s per request: mu = 2 requests/s each.
SERVICE = (SOURCE_DIR / "tests" / "data" / "fixed-service.toml.in").read_text()
EXPLORE_AND_TRAIN = """[[campaign]]
name = "explore"
trials = 1
length = { distribution = "fixed", hours = 1 }
[[campaign]]
name = "train"
phase = "training"
trials = 1
length = { distribution = "fixed", hours = 2 }
"""
FLEET = """[[deployment]]
name = "cars"
kind = "fleet"
duration = "{days}d"
vehicles = {vehicles}
active_w = 300
idle_w = 5
source = "ev"
"""



def scenario(tmp, name, rps=1, start_at="0h", extra=""):
    path = Path(tmp) / name
    path.write_text(SERVICE.format(platform=TWO_HOSTS, start_at=start_at, rps=rps) + extra)
    return path


def line(table, prefix):
    found = [text for text in table if text.startswith(prefix)]
    expect(len(found) == 1, f"one line starting {prefix!r}, got {found}")
    return found[0]


@pytest.mark.title(
    "summary: serving reserved vs active, capacity shares, deployments apart from jobs")
def test_serving_figures(mlcycle):
    # 1 request/s on 2 replicas of mu = 2/s: u = 0.25. The reservation, 2 GPUs x 10 h = 20 GPU-h,
    # is held whole (100 %); at work 36,000 / 2 per s = 5 GPU-h (25 %). With explore (1 GPU x
    # 1 h) and train (1 GPU x 2 h): 23 of 4 x 10 = 40 GPU-h held, 57.5 % reserved, (1 + 2 + 5) /
    # 40 = 20.0 % active; shares 1/23 = 4.3 %, 2/23 = 8.7 %, 20/23 = 87.0 %; 17 idle GPU-h.
    # Development (105 W then 52.5 W) leads the service (45 W) until 157.5 Wh / 45 W = 3.5 h.
    h5py, _ = import_hdf5_stack()
    with temp_dir("summary") as tmp:
        out = expect_same_table(mlcycle, tmp, scenario(tmp, "svc.toml", extra=EXPLORE_AND_TRAIN),
                                "svc.h5")
        table = info(mlcycle, out, cwd=tmp).stdout.splitlines()
        expect(line(table, "  phase ").split() == ["phase", "jobs", "deployments", "GPU-hours",
                                                   "IT", "kWh", "facility", "kWh", "CO2e", "kg",
                                                   "CO2e", "lbs", "USD"], "phase header")
        expect(line(table, "  inference ").split()[1:4] == ["0", "1", "20.0"],
               "inference: 0 jobs, 1 deployment, 20 GPU-hours")
        expect(line(table, "  total ").split()[1:4] == ["2", "1", "23.0"], "total row")
        expect(line(table, "  GPU utilization  ") ==
               "  GPU utilization  57.5 % of 4 GPUs over the span (reserved), 20.0 % active "
               "(serving GPUs at their replicas' load)", "utilization line")
        expect(line(table, "  capacity shares  ") ==
               "  capacity shares  experimentation 4.3 %, training 8.7 %, inference 87.0 % "
               "(GPU-hours held, reservations whole; 17.0 idle GPU-hours excluded)",
               "capacity shares line")
        expect(line(table, "  deployment       api").endswith(
            "up to 2 replicas; GPUs 100.0 % reserved, 25.0 % active; 0.0 t CO2e"),
            "deployment line with both utilizations")
        expect(line(table, "  crossover  ").startswith("  crossover        2020-01-01T03:30:00Z"),
               "crossover at 3.5 h")
        with h5py.File(out, "r") as f:
            s, d = f["summary"], f["deployments"][0]
            expect_close(d["busy_gpu_hours"], 5.0, "busy_gpu_hours", rel=1e-12)
            expect_close(d["reserved_utilization"], 1.0, "reserved_utilization", rel=1e-12)
            expect_close(d["activity_utilization"], 0.25, "activity_utilization", rel=1e-12)
            expect(int(d["reserved_gpus"]) == 2, "reserved_gpus")
            expect_close(s.attrs["mean_activity_utilization"], 0.2, "activity", rel=1e-12)
            expect_close(s.attrs["inference_gpu_hours_share"], 20 / 23, "share", rel=1e-12)
            expect_close(s.attrs["idle_gpu_hours"], 17.0, "idle GPU-hours", rel=1e-12)
            by = {r["series"].decode(): r for r in s["by_series"][()]}
            expect(int(by["inference"]["deployments"]) == 1 and int(by["inference"]["jobs"]) == 0,
                   "by_series counts the deployment apart from the jobs")


@pytest.mark.title("summary: no crossover when nothing was overtaken")
def test_crossover_rule(mlcycle):
    h5py, _ = import_hdf5_stack()
    with temp_dir("summary") as tmp:
        # A service from 12 h with no development: it used to store 43,200 s.
        out = expect_same_table(mlcycle, tmp, scenario(tmp, "alone.toml", start_at="12h"), "alone.h5")
        with h5py.File(out, "r") as f:
            expect(math.isnan(f["summary"].attrs["crossover_s"]), "crossover_s NaN")
            expect(f["summary"].attrs["crossover"] == "no_development", "crossover state")
        # 4 requests/s: u = 1, 105 W from t = 0 against a training job's 52.5 W from t = 0:
        # inference is never behind; it used to print the start, 2020-01-01T00:00:00Z.
        train = EXPLORE_AND_TRAIN.split("[[campaign]]")[2]
        out = expect_same_table(mlcycle, tmp, scenario(tmp, "led.toml", rps=4,
                                                    extra="[[campaign]]" + train), "led.h5")
        table = info(mlcycle, out, cwd=tmp).stdout.splitlines()
        expect(line(table, "  crossover  ") == "  crossover        none: inference led from its "
               "first instant (it overtook nothing)", "inference-led crossover line")
        with h5py.File(out, "r") as f:
            expect(math.isnan(f["summary"].attrs["crossover_s"]), "crossover_s NaN")
            expect(f["summary"].attrs["crossover"] == "inference_led", "crossover state")


@pytest.mark.title("summary: the table stays aligned with a billion vehicles")
def test_alignment(mlcycle):
    with temp_dir("summary") as tmp:
        path = scenario(tmp, "big.toml", extra=FLEET.format(vehicles=1_000_000_000, days=200))
        out = expect_same_table(mlcycle, tmp, path, "big.h5")
        table = info(mlcycle, out, cwd=tmp).stdout.splitlines()
        start = next(i for i, text in enumerate(table) if text.startswith("  phase "))
        rows = table[start:start + 6]
        expect(len({len(text) for text in rows}) == 1,
               "header and rows have one length:\n" + "\n".join(rows))
        # Right-aligned: past the phase names, every row's cells end at the same columns.
        ends = [[i for i in range(19, len(text) + 1) if text[i - 1] != " " and
                 (i == len(text) or text[i] == " ")] for text in rows[1:]]
        expect(all(e == ends[0] for e in ends), "columns aligned:\n" + "\n".join(rows))
        # 1e9 vehicles x ~330 Wh a day x 200 days x 300 g/kWh: ~2e10 kg, 13 characters
        # where the column had 12 (it used to push the rest of the row right).
        expect(len(rows[3].split()[6]) > 12, "the inference CO2e kg exceeds its 12 columns")


@pytest.mark.title("summary: info reads files written before these fields")
def test_older_file(mlcycle):
    h5py, np = import_hdf5_stack()
    with temp_dir("summary") as tmp:
        out = expect_same_table(mlcycle, tmp, scenario(tmp, "svc.toml", extra=EXPLORE_AND_TRAIN),
                                "svc.h5")
        expected = info(mlcycle, out, cwd=tmp).stdout.splitlines()
        with h5py.File(out, "r+") as f:
            for name in ("crossover", "mean_activity_utilization", "idle_gpu_hours"):
                del f["summary"].attrs[name]
            for group, added in (("summary/by_series", ["deployments"]),
                                 ("deployments", ["reserved_gpus", "busy_gpu_hours",
                                                  "reserved_utilization",
                                                  "activity_utilization"])):
                rows = f[group][()]
                kept = [n for n in rows.dtype.names if n not in added]
                older = np.empty(len(rows), dtype=[(n, rows.dtype[n]) for n in kept])
                for n in kept:
                    older[n] = rows[n]
                del f[group]
                f.create_dataset(group, data=older)
        shown = info(mlcycle, out, cwd=tmp).stdout.splitlines()
        # The same table, without what the file lacks: the active share and the utilizations
        # of the deployment. Deployments are counted from /deployments.
        want = [text.replace(", 20.0 % active (serving GPUs at their replicas' load)", "")
                    .replace(" (reserved)", "").replace("; GPUs 100.0 % reserved, 25.0 % active", "")
                for text in expected]
        expect(shown == want, "info of an older file:\n" + diff(want, shown, ("want", "info")))


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.title("summary: sweep.csv carries the deployments' results")
def test_sweep_columns(mlcycle):
    # base_rps 1: 36,000 served, none dropped. base_rps 5 on a capacity of 2 x 2 = 4 requests/s:
    # 144,000 served, 36,000 dropped; at u = 1, 2 x 52.5 W x 1.5 (PUE) x 10 h = 1,575 Wh,
    # 1,575 / 144,000 = 0.0109375 Wh per request. The fleet: 20 vehicles x 2 days = 40.
    h5py, _ = import_hdf5_stack()
    with temp_dir("summary") as tmp:
        path = scenario(tmp, "sweep.toml", extra=FLEET.format(vehicles=20, days=2))
        result = run_mlcycle(mlcycle, ["sweep", path, "-o", "s", "--vary",
                                                 "deployment.api.demand.base_rps=1,5"],
                             cwd=tmp, timeout=60)
        expect_success(result, "sweep")
        rows = read_csv(Path(tmp) / "s" / "sweep.csv")
        expect(len(rows) == 2, f"two runs, got {len(rows)}")
        hand = [{"requests_served": 36000, "requests_dropped": 0, "vehicle_days": 40},
                {"requests_served": 144000, "requests_dropped": 36000, "vehicle_days": 40,
                 "wh_per_request": 1575 / 144000}]
        for row, oracle in zip(rows, hand):
            for key, value in oracle.items():
                expect_close(float(row[key]), value, f"{row['point_id']} {key}", rel=1e-12)
            with h5py.File(Path(tmp) / "s" / row["run_file"], "r") as f:
                d = {r["name"].decode(): r for r in f["deployments"][()]}
            api = d["api"]
            for key, field in (("requests_served", "served"), ("requests_dropped", "dropped"),
                               ("requests_late", "late"), ("wh_per_request", "wh_per_request"),
                               ("co2_g_per_request", "co2_g_per_request")):
                expect(float(row[key]) == float(api[field]), f"{key} = the run file's {field}")
            expect(float(row["vehicle_days"]) == float(d["cars"]["vehicle_days"]),
                   "vehicle_days = the run file's")
            expect(row["crossover_s"] == "", "no development: no crossover (empty cell)")

