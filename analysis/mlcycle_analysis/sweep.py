"""Read a sweep directory (sweep.h5, format mlcycle-sweep v1) into pandas."""
from __future__ import annotations

import os
from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

from . import schema as S
from .schema import SWEEP_FORMAT, attributes, enum_names, file_format, open_checked, text

FIXED = S.RUNS_FIXED  # /runs fields before the varied keys


@dataclass
class SweepResults:
    """A sweep directory: the /runs table and what describes it.

    runs        /runs, one row per run, status as a categorical, plus `run_path` (the run file,
                absolute; None for a failed run)
    varied      the varied keys in axis order (the /runs columns between `seed` and `status`)
    aggregates  /aggregates, one row per point (None when the sweep had one replicate)
    directory   the sweep directory, absolute
    attrs       the root attributes of sweep.h5: scenario, definition, points, replicates,
                runs, failed, base_seed, mlcycle_version, format, format_version
    """

    runs: pd.DataFrame
    varied: list[str]
    aggregates: pd.DataFrame | None
    directory: str
    attrs: dict

    @property
    def replicates(self) -> int:
        return int(self.attrs.get("replicates", 1))

    @property
    def scenario(self) -> str:
        """The scenario path as the sweep recorded it ("" when it did not)."""
        return str(self.attrs.get("scenario", "") or "")


def sweep_file(path) -> str:
    """DIR/sweep.h5 for a sweep directory; a path to the file itself is accepted too."""
    path = os.fspath(path)
    return os.path.join(path, S.SWEEP_FILE) if os.path.isdir(path) else path


def is_sweep(path) -> bool:
    """A directory (holding sweep.h5), or a file whose format attribute is mlcycle-sweep."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return True
    try:
        with h5py.File(path, "r") as f:
            return file_format(f) == SWEEP_FORMAT[0]
    except OSError:
        return False


def _decode(table: np.ndarray, status_names=None) -> pd.DataFrame:
    frame = pd.DataFrame(table)
    for name in frame.columns:
        if frame[name].dtype == object:  # variable-length strings arrive as bytes
            frame[name] = [text(v) for v in frame[name]]
    if status_names is not None:
        frame[S.RUNS_STATUS] = pd.Categorical.from_codes(frame[S.RUNS_STATUS], status_names)
    return frame


def load_sweep(path) -> SweepResults:
    """A sweep directory (or its sweep.h5) as SweepResults; SchemaError unless the file is an
    mlcycle-sweep version 1."""
    filename = sweep_file(path)
    with open_checked(filename, SWEEP_FORMAT) as f:
        attrs = attributes(f)
        runs_dtype = f[S.RUNS].dtype
        runs = _decode(f[S.RUNS][()], enum_names(runs_dtype, S.RUNS_STATUS))
        aggregates = _decode(f[S.AGGREGATES][()]) if S.AGGREGATES in f else None
    names = list(runs_dtype.names)
    varied = names[len(FIXED):names.index(S.RUNS_STATUS)]
    directory = os.path.dirname(os.path.abspath(filename))
    runs["run_path"] = [os.path.join(directory, p) if p else None for p in runs[S.RUN_FILE]]
    return SweepResults(runs, varied, aggregates, directory, attrs)


def currency(sweep: SweepResults) -> str:
    """The currency of the runs' cost (read from the first done run's /summary)."""
    for p in sweep.runs["run_path"]:
        if p and os.path.exists(p):
            with h5py.File(p, "r") as f:
                return text(f[S.SUMMARY].attrs.get(S.CURRENCY, "")) or "currency"
    return "currency"


def points(sweep: SweepResults, column: str) -> pd.DataFrame:
    """Per point: varied keys, `mean`, `low`, `high` (95% interval, else NaN).

    Uses /aggregates when present (its intervals come from Student's t in the simulator);
    otherwise (one replicate, or a column /aggregates lacks) the mean of the point's done runs.
    """
    runs, varied, aggregates = sweep.runs, sweep.varied, sweep.aggregates
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
        return S.KG.factor, f"{base.replace('co2_g', 'CO2e')} ({S.KG})".replace("_", " ")
    if base.startswith("energy_j"):
        return S.KWH.factor, f"{base.replace('energy_j', 'energy')} ({S.KWH})".replace("_", " ")
    units = {"crossover_s": (S.HOURS.factor, f"crossover ({S.HOURS})"),
             "makespan_s": (S.HOURS.factor, f"makespan ({S.HOURS})"),
             "peak_power_w": (S.KW.factor, f"peak power ({S.KW})"),
             "cost": (1, f"cost ({currency_name})"), "gpu_hours": (1, "GPU-hours"),
             "mean_utilization": (S.PERCENT.factor, f"mean utilization ({S.PERCENT})"),
             "inference_share": (S.PERCENT.factor, f"inference share of job CO2e ({S.PERCENT})"),
             "wall_time_s": (1, "wall time (s)")}
    return units.get(base, (1, base))
