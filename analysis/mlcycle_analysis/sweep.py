"""Read a sweep directory (sweep.h5, format mlcycle-sweep v1) into pandas."""
from __future__ import annotations

import os

import h5py
import numpy as np
import pandas as pd

from .schema import SWEEP_FORMAT, attributes, enum_names, open_checked, text

FIXED = ["point_id", "point", "replicate", "seed"]  # /runs fields before the varied keys


def sweep_file(path) -> str:
    """DIR/sweep.h5 for a sweep directory; a path to the file itself is accepted too."""
    path = os.fspath(path)
    return os.path.join(path, "sweep.h5") if os.path.isdir(path) else path


def is_sweep(path) -> bool:
    """A directory (holding sweep.h5), or a file whose format attribute is mlcycle-sweep."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return True
    try:
        with h5py.File(path, "r") as f:
            return text(f.attrs.get("format")) == SWEEP_FORMAT[0]
    except OSError:
        return False


def _decode(table: np.ndarray, status_names=None) -> pd.DataFrame:
    frame = pd.DataFrame(table)
    for name in frame.columns:
        if frame[name].dtype == object:  # variable-length strings arrive as bytes
            frame[name] = [text(v) for v in frame[name]]
    if status_names is not None:
        frame["status"] = pd.Categorical.from_codes(frame["status"], status_names)
    return frame


def load_sweep(path) -> pd.DataFrame:
    """The /runs table, one row per run, with `run_path` (absolute, None for failed runs).

    `.attrs` holds the root attributes, `dir`, `varied` (the varied keys in axis order) and
    `aggregates` (the /aggregates table, or None when the sweep had one replicate).
    """
    filename = sweep_file(path)
    with open_checked(filename, SWEEP_FORMAT) as f:
        attrs = attributes(f)
        runs_dtype = f["runs"].dtype
        runs = _decode(f["runs"][()], enum_names(runs_dtype, "status"))
        aggregates = _decode(f["aggregates"][()]) if "aggregates" in f else None
    names = list(runs_dtype.names)
    varied = names[len(FIXED):names.index("status")]
    directory = os.path.dirname(os.path.abspath(filename))
    runs["run_path"] = [os.path.join(directory, p) if p else None for p in runs["run_file"]]
    runs.attrs.update(attrs)
    runs.attrs.update(dir=directory, varied=varied, aggregates=aggregates)
    return runs


def currency(runs: pd.DataFrame) -> str:
    """The currency of the runs' cost (read from the first done run's /summary)."""
    for p in runs.get("run_path", []):
        if p and os.path.exists(p):
            with h5py.File(p, "r") as f:
                return text(f["summary"].attrs.get("currency", "")) or "currency"
    return "currency"


def points(runs: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per point: varied keys, `mean`, `low`, `high` (95% interval, else NaN).

    Uses /aggregates when present (its intervals come from Student's t in the simulator);
    otherwise (one replicate, or a column /aggregates lacks) the mean of the point's done runs.
    """
    varied = runs.attrs["varied"]
    aggregates = runs.attrs.get("aggregates")
    if aggregates is not None and f"{column}_mean" in aggregates:
        table = aggregates[["point", *varied]].copy()
        table["mean"] = aggregates[f"{column}_mean"]
        table["low"] = aggregates[f"{column}_ci95_low"]
        table["high"] = aggregates[f"{column}_ci95_high"]
        return table
    if column not in runs:
        raise KeyError(f"no sweep column {column!r}; columns: {', '.join(runs.columns)}")
    done = runs[runs["status"] == "done"]
    table = done.groupby("point", as_index=False).agg(
        **{k: (k, "first") for k in varied}, mean=(column, "mean"))
    table["low"] = table["high"] = np.nan
    return table


def label(column: str, currency_name: str = "currency") -> tuple[float, str]:
    """(factor, axis label) to show a sweep column in readable units."""
    base = column[:-5] if column.endswith("_mean") else column
    if base.startswith("co2_g"):
        return 1e-3, f"{base.replace('co2_g', 'CO2e')} (kg)".replace("_", " ")
    if base.startswith("energy_j"):
        return 1 / 3.6e6, f"{base.replace('energy_j', 'energy')} (kWh)".replace("_", " ")
    units = {"crossover_s": (1 / 3600, "crossover (h)"), "makespan_s": (1 / 3600, "makespan (h)"),
             "peak_power_w": (1e-3, "peak power (kW)"), "cost": (1, f"cost ({currency_name})"),
             "gpu_hours": (1, "GPU-hours"), "mean_utilization": (100, "mean utilization (%)"),
             "inference_share": (100, "inference share of job CO2e (%)"),
             "wall_time_s": (1, "wall time (s)")}
    return units.get(base, (1, base))
