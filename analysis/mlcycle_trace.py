"""Read an mlcycle HDF5 trace (schema version 1) into pandas.

Uses only h5py, numpy and pandas (Debian: python3-h5py, python3-pandas).

    from mlcycle_trace import open_trace
    trace = open_trace("results/lisa-campaign.h5")
    trace.jobs        # one row per job attempt, phase/status/campaign/host as names
    trace.series      # per trace bin: energy_j and co2_g for each series, power_w, intensity
    trace.summary     # per series and total: jobs, gpu_hours, energies, co2_g, cost
    trace.attributes  # root attributes (seed, start_utc, scenario_toml, ...)
    trace.regions     # per trace bin and grid region: energy_j, co2_g, intensity_g_per_kwh
    trace.grid        # per region: the intensity steps used (and generation by source)
"""
from __future__ import annotations

from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

SUPPORTED_FORMAT_VERSION = 1


@dataclass
class Trace:
    attributes: dict
    jobs: pd.DataFrame
    series: pd.DataFrame
    summary: pd.DataFrame
    summary_attributes: dict
    hosts: pd.DataFrame
    regions: pd.DataFrame
    grid: dict


def _strings(dataset) -> list[str]:
    return [s.decode() if isinstance(s, bytes) else str(s) for s in dataset[()]]


def _enum_names(dataset, field: str) -> dict[int, str]:
    mapping = h5py.check_enum_dtype(dataset.dtype[field])
    return {value: name for name, value in mapping.items()}


def open_trace(path: str) -> Trace:
    with h5py.File(path, "r") as f:
        attributes = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        if attributes.get("format") != "mlcycle-trace":
            raise ValueError(f"{path}: not an mlcycle trace")
        if int(attributes.get("format_version", -1)) != SUPPORTED_FORMAT_VERSION:
            raise ValueError(f"{path}: trace format version {attributes.get('format_version')}, "
                             f"this reader knows {SUPPORTED_FORMAT_VERSION}")
        campaigns = _strings(f["campaigns"])
        hosts = pd.DataFrame(f["hosts"][()])
        hosts["name"] = [n.decode() if isinstance(n, bytes) else n for n in hosts["name"]]
        jobs = pd.DataFrame(f["jobs"][()])
        for field in ("phase", "status"):
            jobs[field] = pd.Categorical(jobs[field].map(_enum_names(f["jobs"], field)))
        jobs["campaign"] = pd.Categorical([campaigns[i] for i in jobs["campaign"]])
        jobs["host"] = [hosts["name"].iloc[i] for i in jobs["host"]]

        names = _strings(f["trace/series"])
        time_s = f["trace/time_s"][()]
        columns = {"time_s": time_s, "duration_s": f["trace/duration_s"][()]}
        for kind in ("energy_j", "co2_g"):
            values = f[f"trace/{kind}"][()].reshape(len(time_s), len(names))
            for i, name in enumerate(names):
                columns[f"{name}_{kind}"] = values[:, i]
        columns["power_w"] = f["trace/power_w"][()]
        columns["intensity_g_per_kwh"] = f["trace/intensity_g_per_kwh"][()]
        series = pd.DataFrame(columns)
        start = pd.Timestamp(attributes["start_utc"])
        series.index = start + pd.to_timedelta(time_s, unit="s")

        region_names = _strings(f["trace/regions"])
        region_columns = {}
        for kind in ("energy_j", "co2_g", "intensity_g_per_kwh"):
            values = f[f"trace/region_{kind}"][()].reshape(len(time_s), len(region_names))
            for i, name in enumerate(region_names):
                region_columns[(name, kind)] = values[:, i]
        regions = pd.DataFrame(region_columns, index=series.index)
        regions.columns = pd.MultiIndex.from_tuples(regions.columns, names=["region", "quantity"])

        grid = {}
        for name in f["grid"]:
            group = f["grid"][name]
            steps = pd.DataFrame({"time_s": group["time_s"][()],
                                  "intensity_g_per_kwh": group["intensity_g_per_kwh"][()]})
            if "generation_mw" in group:
                sources = _strings(group["sources"])
                mw = group["generation_mw"][()].reshape(len(steps), len(sources))
                for i, source in enumerate(sources):
                    steps[f"{source}_mw"] = mw[:, i]
            steps.index = start + pd.to_timedelta(steps["time_s"], unit="s")
            steps.attrs = {k: (v.decode() if isinstance(v, bytes) else v)
                           for k, v in group.attrs.items()}
            grid[name] = steps

        summary = pd.DataFrame(f["summary/by_series"][()])
        summary["series"] = [s.decode() if isinstance(s, bytes) else s for s in summary["series"]]
        summary = summary.set_index("series")
        summary_attributes = {k: (v.decode() if isinstance(v, bytes) else v)
                              for k, v in f["summary"].attrs.items()}
    return Trace(attributes, jobs, series, summary, summary_attributes, hosts, regions, grid)


def conservation_errors(trace: Trace) -> dict[str, float]:
    """Relative differences between the three ways a trace adds up energy and CO2e."""
    names = ["experimentation", "training", "inference", "idle"]
    trace_energy = sum(trace.series[f"{n}_energy_j"].sum() for n in names)
    trace_co2 = sum(trace.series[f"{n}_co2_g"].sum() for n in names)
    jobs_energy = trace.jobs["energy_j"].sum() + trace.summary.loc["idle", "energy_j"]
    hosts_energy = trace.hosts["energy_j"].sum()
    total = trace.summary.loc["total"]

    def rel(a: float, b: float) -> float:
        scale = max(abs(a), abs(b))
        return 0.0 if scale == 0 else abs(a - b) / scale

    return {
        "jobs+idle vs trace energy": rel(jobs_energy, trace_energy),
        "trace vs hosts energy": rel(trace_energy, hosts_energy),
        "summary vs trace energy": rel(float(total["energy_j"]), trace_energy),
        "summary vs trace co2": rel(float(total["co2_g"]), trace_co2),
        "regions vs series energy": rel(float(trace.regions.xs("energy_j", level="quantity",
                                                               axis=1).to_numpy().sum()),
                                        trace_energy),
        "bin power x duration vs bin energy": float(np.max(np.abs(
            trace.series["power_w"] * trace.series["duration_s"]
            - sum(trace.series[f"{n}_energy_j"] for n in names)) / max(trace_energy, 1.0))),
    }
