"""Read one mlcycle run file (trace schema v1, docs/hdf5-schema.md) into pandas."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .schema import TRACE_FORMAT, attributes, enum_names, open_checked, strings, text

SERIES = ["experimentation", "training", "inference", "idle"]
PHASES = SERIES[:3]


@dataclass
class Run:
    """A run file as DataFrames; times are UTC (start_utc + time_s)."""

    path: str
    attrs: dict  # root attributes
    jobs: pd.DataFrame  # one row per job; campaign/phase/status/host/cluster as names
    trace: pd.DataFrame  # per bin: <series>_energy_j, <series>_co2_g, <series>_cum_co2_g, ...
    regions: pd.DataFrame  # per bin; columns (region, quantity)
    grid: dict  # region -> steps DataFrame (intensity, <source>_mw); .attrs kind/source/units
    summary: pd.DataFrame  # /summary/by_series indexed by series
    summary_attrs: dict
    campaigns: pd.DataFrame  # one row per /campaigns entry, aggregates of its jobs
    hosts: pd.DataFrame  # one row per host, cluster as a name
    clusters: list = field(default_factory=list)

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.attrs["start_utc"])

    def utc(self, seconds) -> pd.DatetimeIndex:
        """Simulation seconds as UTC datetimes."""
        return self.start + pd.to_timedelta(np.asarray(seconds, dtype=float), unit="s")


def _jobs(f, campaigns, hosts) -> pd.DataFrame:
    jobs = pd.DataFrame(f["jobs"][()])
    for name in ("phase", "status"):
        jobs[name] = pd.Categorical.from_codes(jobs[name], enum_names(f["jobs"].dtype, name))
    jobs["campaign"] = pd.Categorical.from_codes(jobs["campaign"].astype(np.int64), campaigns)
    index = jobs["host"].to_numpy(dtype=np.int64)
    jobs["host"] = hosts["name"].to_numpy()[index]
    jobs["cluster"] = hosts["cluster"].to_numpy()[index]  # of the gang's first node
    return jobs


def _trace(f, start) -> pd.DataFrame:
    t = f["trace"]
    names = strings(t["series"])
    time_s = t["time_s"][()]
    columns = {"time_s": time_s, "duration_s": t["duration_s"][()]}
    for kind in ("energy_j", "co2_g"):
        values = t[kind][()].reshape(len(time_s), len(names))
        for i, name in enumerate(names):
            columns[f"{name}_{kind}"] = values[:, i]
    columns["power_w"] = t["power_w"][()]
    columns["intensity_g_per_kwh"] = t["intensity_g_per_kwh"][()]
    # Cumulative CO2e at each bin's end (the value a crossover search compares).
    for name in names:
        columns[f"{name}_cum_co2_g"] = np.cumsum(columns[f"{name}_co2_g"])
    columns["total_cum_co2_g"] = sum(columns[f"{n}_cum_co2_g"] for n in names)
    trace = pd.DataFrame(columns)
    trace.index = start + pd.to_timedelta(time_s, unit="s")
    trace.index.name = "time_utc"
    return trace


def _regions(f, index) -> pd.DataFrame:
    t = f["trace"]
    names = strings(t["regions"])
    data = {}
    for kind in ("energy_j", "co2_g", "intensity_g_per_kwh"):
        values = t[f"region_{kind}"][()].reshape(len(index), len(names))
        for i, name in enumerate(names):
            data[(name, kind)] = values[:, i]
    regions = pd.DataFrame(data, index=index)
    regions.columns = pd.MultiIndex.from_tuples(list(data), names=["region", "quantity"])
    return regions


def _grid(f, start) -> dict:
    grid = {}
    for name in f["grid"]:
        group = f["grid"][name]
        steps = pd.DataFrame({"time_s": group["time_s"][()],
                              "intensity_g_per_kwh": group["intensity_g_per_kwh"][()]})
        if "generation_mw" in group:
            sources = strings(group["sources"])
            mw = group["generation_mw"][()].reshape(len(steps), len(sources))
            for i, source in enumerate(sources):
                steps[f"{source}_mw"] = mw[:, i]
        steps.index = start + pd.to_timedelta(steps["time_s"], unit="s")
        steps.attrs = attributes(group)
        grid[name] = steps
    return grid


def _campaigns(names, jobs) -> pd.DataFrame:
    wait = jobs["start_s"] - jobs["submit_s"]
    grouped = jobs.assign(wait_s=wait).groupby("campaign", observed=False)
    table = grouped.agg(jobs=("job_id", "size"), gpu_hours=("gpu_hours", "sum"),
                        it_energy_j=("it_energy_j", "sum"), energy_j=("energy_j", "sum"),
                        co2_g=("co2_g", "sum"), cost=("cost", "sum"),
                        mean_wait_s=("wait_s", "mean"))
    # A campaign's jobs share one phase; campaigns without jobs have none here.
    phase = jobs.groupby("campaign", observed=False)["phase"].first()
    table.insert(0, "phase", phase.astype(object))
    table = table.reindex(names)
    table.index = pd.Index(names, name="campaign")
    return table


def load_run(path) -> Run:
    """Read a run file; SchemaError unless it is an mlcycle-trace version 1."""
    path = os.fspath(path)
    with open_checked(path, TRACE_FORMAT) as f:
        attrs = attributes(f)
        start = pd.Timestamp(attrs["start_utc"])
        campaigns = strings(f["campaigns"])
        clusters = strings(f["clusters"])
        hosts = pd.DataFrame(f["hosts"][()])
        hosts["name"] = [text(n) for n in hosts["name"]]
        hosts["cluster"] = np.asarray(clusters, dtype=object)[hosts["cluster"].to_numpy(np.int64)]
        if "hosts_simgrid_plugin_energy_j" in f:
            hosts["simgrid_plugin_energy_j"] = f["hosts_simgrid_plugin_energy_j"][()]
        jobs = _jobs(f, campaigns, hosts)
        trace = _trace(f, start)
        regions = _regions(f, trace.index)
        grid = _grid(f, start)
        summary = pd.DataFrame(f["summary/by_series"][()])
        summary["series"] = [text(s) for s in summary["series"]]
        summary = summary.set_index("series")
        summary_attrs = attributes(f["summary"])
    return Run(path, attrs, jobs, trace, regions, grid, summary, summary_attrs,
               _campaigns(campaigns, jobs), hosts, clusters)


def conservation_errors(run: Run) -> dict[str, float]:
    """Relative differences between the ways a run file adds up energy and CO2e."""
    trace = run.trace
    trace_energy = sum(trace[f"{n}_energy_j"].sum() for n in SERIES)
    trace_co2 = sum(trace[f"{n}_co2_g"].sum() for n in SERIES)
    jobs_energy = run.jobs["energy_j"].sum() + run.summary.loc["idle", "energy_j"]
    total = run.summary.loc["total"]
    region_energy = run.regions.xs("energy_j", level="quantity", axis=1).to_numpy().sum()
    bin_energy = sum(trace[f"{n}_energy_j"] for n in SERIES)

    def rel(a: float, b: float) -> float:
        scale = max(abs(a), abs(b))
        return 0.0 if scale == 0 else abs(a - b) / scale

    return {
        "jobs+idle vs trace energy": rel(jobs_energy, trace_energy),
        "trace vs hosts energy": rel(trace_energy, run.hosts["energy_j"].sum()),
        "summary vs trace energy": rel(float(total["energy_j"]), trace_energy),
        "summary vs trace co2": rel(float(total["co2_g"]), trace_co2),
        "regions vs series energy": rel(float(region_energy), trace_energy),
        "bin power x duration vs bin energy": float(np.max(np.abs(
            trace["power_w"] * trace["duration_s"] - bin_energy)) / max(trace_energy, 1.0)),
    }
