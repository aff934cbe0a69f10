"""Read one mlcycle run file (trace schema v1, docs/hdf5-schema.md) into pandas."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

from . import schema as S
from .schema import (DEPLOYMENT_COLUMNS, NO_STAGE, PHASES, SERIES, TRACE_FORMAT,  # noqa: F401
                     attributes, enum_names, open_checked, strings, text)


@dataclass
class Run:
    """A run file as DataFrames; times are UTC (start_utc + time_s)."""

    path: str
    attrs: dict  # root attributes
    # One row per job: campaign, phase, status, stop_reason, stage (NaN: none), host and cluster
    # as names, the other /jobs fields as stored.
    jobs: pd.DataFrame
    # Per bin: <series>_energy_j, <series>_co2_g, <series>_cum_co2_g, <series>_cum_energy_j,
    # total_cum_co2_g, total_cum_energy_j, power_w, intensity_g_per_kwh, time_s, duration_s.
    trace: pd.DataFrame
    regions: pd.DataFrame  # per bin; columns (region, quantity)
    grid: dict  # region -> steps DataFrame (intensity, <source>_mw); .attrs kind/source/units
    summary: pd.DataFrame  # /summary/by_series indexed by series
    summary_attrs: dict
    campaigns: pd.DataFrame  # /campaigns indexed by name, + it_energy_j and cost of its jobs
    hosts: pd.DataFrame  # one row per host, cluster as a name
    clusters: list = field(default_factory=list)
    deployments: pd.DataFrame = None  # /deployments indexed by name (no rows when none)
    stages: list = field(default_factory=list)  # /stages: [[stage]] names in file order
    # Per bin and cluster (UTC index, one column per cluster): time-mean GPUs held and jobs
    # waiting, from /trace/cluster_busy_gpus and cluster_queue_jobs; None in files without them
    # (derived.busy_gpus and derived.queue_length then derive them from /jobs).
    cluster_busy: pd.DataFrame | None = None
    cluster_queue: pd.DataFrame | None = None
    # Per bin (UTC index), columns (campaign, energy_j | co2_g) from /trace/campaign_*, and
    # (deployment, energy_j | co2_g | replicas) from /trace/deployment_*; no columns when the run
    # has no campaigns (deployments) or the file predates these datasets.
    campaign_trace: pd.DataFrame | None = None
    deployment_trace: pd.DataFrame | None = None
    # /policy's attributes (the run against its policies-off pass), None without policies.
    policy: dict | None = None

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.attrs[S.START_UTC])

    def utc(self, seconds) -> pd.DatetimeIndex:
        """Simulation seconds as UTC datetimes."""
        return self.start + pd.to_timedelta(np.asarray(seconds, dtype=float), unit="s")


def _jobs(f, campaigns, hosts, stages) -> pd.DataFrame:
    jobs = pd.DataFrame(f[S.JOBS][()])
    for name in S.JOB_ENUMS:
        if name in jobs:
            jobs[name] = pd.Categorical.from_codes(jobs[name], enum_names(f[S.JOBS].dtype, name))
    jobs["campaign"] = pd.Categorical.from_codes(jobs["campaign"].astype(np.int64), campaigns)
    if "stage" in jobs:  # a stage name; NaN for jobs outside any stage
        codes = jobs["stage"].to_numpy(np.int64)
        jobs["stage"] = pd.Categorical.from_codes(np.where(codes == NO_STAGE, -1, codes), stages)
    index = jobs["host"].to_numpy(dtype=np.int64)
    jobs["host"] = hosts["name"].to_numpy()[index]
    jobs["cluster"] = hosts["cluster"].to_numpy()[index]  # of the gang's first node
    return jobs


def _trace(f, start) -> pd.DataFrame:
    names = strings(f[S.TRACE_SERIES])
    time_s = f[S.TRACE_TIME][()]
    columns = {"time_s": time_s, "duration_s": f[S.TRACE_DURATION][()]}
    for kind, dataset in (("energy_j", S.TRACE_ENERGY), ("co2_g", S.TRACE_CO2)):
        values = f[dataset][()].reshape(len(time_s), len(names))
        for i, name in enumerate(names):
            columns[f"{name}_{kind}"] = values[:, i]
    columns["power_w"] = f[S.TRACE_POWER][()]
    columns["intensity_g_per_kwh"] = f[S.TRACE_INTENSITY][()]
    # Cumulative CO2e and energy at each bin's end (what a crossover search compares): the
    # writer's running sums when the file has them, else the same sums taken here.
    for kind, cumulative in (("co2_g", S.TRACE_CO2_CUMULATIVE),
                             ("energy_j", S.TRACE_ENERGY_CUMULATIVE)):
        stored = f[cumulative][()].reshape(len(time_s), len(names)) if cumulative in f else None
        for i, name in enumerate(names):
            columns[f"{name}_cum_{kind}"] = (stored[:, i] if stored is not None
                                             else np.cumsum(columns[f"{name}_{kind}"]))
        columns[f"total_cum_{kind}"] = sum(columns[f"{n}_cum_{kind}"] for n in names)
    trace = pd.DataFrame(columns)
    trace.index = start + pd.to_timedelta(time_s, unit="s")
    trace.index.name = "time_utc"
    return trace


def _regions(f, index) -> pd.DataFrame:
    names = strings(f[S.TRACE_REGIONS])
    data = {}
    for kind, dataset in (("energy_j", S.REGION_ENERGY), ("co2_g", S.REGION_CO2),
                          ("intensity_g_per_kwh", S.REGION_INTENSITY)):
        values = f[dataset][()].reshape(len(index), len(names))
        for i, name in enumerate(names):
            data[(name, kind)] = values[:, i]
    regions = pd.DataFrame(data, index=index)
    regions.columns = pd.MultiIndex.from_tuples(list(data), names=["region", "quantity"])
    return regions


def _grid(f, start) -> dict:
    grid = {}
    for name in f[S.GRID]:
        group = f[S.GRID][name]
        steps = pd.DataFrame({"time_s": group[S.GRID_TIME][()],
                              "intensity_g_per_kwh": group[S.GRID_INTENSITY][()]})
        if S.GRID_GENERATION in group:
            sources = strings(group[S.GRID_SOURCES])
            mw = group[S.GRID_GENERATION][()].reshape(len(steps), len(sources))
            for i, source in enumerate(sources):
                steps[f"{source}_mw"] = mw[:, i]
        steps.index = start + pd.to_timedelta(steps["time_s"], unit="s")
        steps.attrs = attributes(group)
        grid[name] = steps
    return grid


def _table(dataset) -> pd.DataFrame:
    """A compound table with strings decoded and enums as their member names."""
    data = pd.DataFrame(dataset[()])
    for column in data.columns:
        if h5py.check_enum_dtype(dataset.dtype[column]) is not None:
            labels = enum_names(dataset.dtype, column)
            data[column] = pd.Categorical.from_codes(data[column], labels)
        elif data[column].dtype == object:
            data[column] = [text(v) for v in data[column]]
    return data


def _job_sums(jobs, names) -> pd.DataFrame:
    """Per campaign: IT energy and cost of its jobs (the /campaigns table has neither)."""
    grouped = jobs.groupby("campaign", observed=False)
    return grouped[["it_energy_j", "cost"]].sum().reindex(names)


def _campaigns_from_jobs(names, jobs) -> pd.DataFrame:
    """Files older than the /campaigns table: aggregates of each campaign's jobs."""
    wait = jobs["start_s"] - jobs["submit_s"]
    grouped = jobs.assign(wait_s=wait).groupby("campaign", observed=False)
    table = grouped.agg(jobs=("job_id", "size"), gpu_hours=("gpu_hours", "sum"),
                        energy_j=("energy_j", "sum"), co2_g=("co2_g", "sum"),
                        mean_wait_s=("wait_s", "mean"))
    # A campaign's jobs share one phase; campaigns without jobs have none here.
    phase = jobs.groupby("campaign", observed=False)["phase"].first()
    table.insert(0, "phase", phase.astype(object))
    return table.reindex(names)


def _campaign_names(f) -> list[str]:
    dataset = f[S.CAMPAIGNS]
    if dataset.dtype.names is None:  # schema v1 before the lifecycle tables: a list of names
        return strings(dataset)
    return [text(n) for n in dataset["name"]]


def _campaigns(f, names, jobs) -> pd.DataFrame:
    """/campaigns indexed by name, with the IT energy and cost of each campaign's jobs."""
    dataset = f[S.CAMPAIGNS]
    if dataset.dtype.names is None:
        table = _campaigns_from_jobs(names, jobs)
    else:
        table = _table(dataset).set_index("name")
        table["phase"] = table["phase"].astype(object)
    table = table.join(_job_sums(jobs, names))
    table.index = pd.Index(names, name="campaign")
    return table


def _deployments(f) -> pd.DataFrame:
    if S.DEPLOYMENTS not in f:
        table = pd.DataFrame(columns=["name", *DEPLOYMENT_COLUMNS])
    else:
        table = _table(f[S.DEPLOYMENTS])
    table = table.set_index("name")
    table.index.name = "deployment"
    return table


def _per_cluster(f, dataset, clusters, index):
    if dataset not in f:
        return None
    values = f[dataset][()].reshape(len(index), len(clusters))
    return pd.DataFrame(values, index=index, columns=list(clusters))


def _per_source(f, names, datasets, index) -> pd.DataFrame:
    """Per-bin series of each campaign or deployment: columns (name, quantity), in file order."""
    present = [(q, f[d][()].reshape(len(index), len(names)))
               for q, d in datasets if d in f and names]
    data = {(name, q): values[:, i] for i, name in enumerate(names) for q, values in present}
    frame = pd.DataFrame(data, index=index)
    frame.columns = pd.MultiIndex.from_tuples(list(data), names=["name", "quantity"])
    return frame


def load_run(path) -> Run:
    """Read a run file; SchemaError unless it is an mlcycle-trace version 1."""
    path = os.fspath(path)
    with open_checked(path, TRACE_FORMAT) as f:
        attrs = attributes(f)
        start = pd.Timestamp(attrs[S.START_UTC])
        stages = strings(f[S.STAGES]) if S.STAGES in f else []
        clusters = strings(f[S.CLUSTERS])
        hosts = pd.DataFrame(f[S.HOSTS][()])
        hosts["name"] = [text(n) for n in hosts["name"]]
        hosts["cluster"] = np.asarray(clusters, dtype=object)[hosts["cluster"].to_numpy(np.int64)]
        if S.HOSTS_PLUGIN_ENERGY in f:
            hosts["simgrid_plugin_energy_j"] = f[S.HOSTS_PLUGIN_ENERGY][()]
        names = _campaign_names(f)
        jobs = _jobs(f, names, hosts, stages)
        campaigns = _campaigns(f, names, jobs)
        deployments = _deployments(f)
        trace = _trace(f, start)
        busy = _per_cluster(f, S.CLUSTER_BUSY, clusters, trace.index)
        queue = _per_cluster(f, S.CLUSTER_QUEUE, clusters, trace.index)
        campaign_trace = _per_source(f, names, [("energy_j", S.CAMPAIGN_ENERGY),
                                                ("co2_g", S.CAMPAIGN_CO2)], trace.index)
        deployment_trace = _per_source(f, list(deployments.index),
                                       [("energy_j", S.DEPLOYMENT_ENERGY),
                                        ("co2_g", S.DEPLOYMENT_CO2),
                                        ("replicas", S.DEPLOYMENT_REPLICAS),
                                        *S.DEPLOYMENT_BINNED.items()], trace.index)
        regions = _regions(f, trace.index)
        grid = _grid(f, start)
        summary = pd.DataFrame(f[S.BY_SERIES][()])
        summary["series"] = [text(s) for s in summary["series"]]
        summary = summary.set_index("series")
        summary_attrs = attributes(f[S.SUMMARY])
        policy = attributes(f[S.POLICY]) if S.POLICY in f else None
    return Run(path, attrs, jobs, trace, regions, grid, summary, summary_attrs, campaigns, hosts,
               clusters, deployments, stages, busy, queue, campaign_trace, deployment_trace,
               policy)


def conservation_errors(run: Run) -> dict[str, float]:
    """Relative differences between the ways a run file adds up energy and CO2e.

    /jobs holds the campaigns' jobs; serving and fleet deployments are in /deployments (their
    energy is in the inference series); idle is the platform's energy no job or deployment drew.
    /hosts covers the platform, fleets draw at sites of their own.
    """
    trace = run.trace
    trace_energy = sum(trace[f"{n}_energy_j"].sum() for n in SERIES)
    trace_co2 = sum(trace[f"{n}_co2_g"].sum() for n in SERIES)
    deployments = run.deployments
    fleets = deployments[deployments["kind"] == "fleet"]
    parts_energy = (run.jobs["energy_j"].sum() + deployments["energy_j"].sum() +
                    run.summary.loc["idle", "energy_j"])
    total = run.summary.loc[S.TOTAL]
    region_energy = run.regions.xs("energy_j", level="quantity", axis=1).to_numpy().sum()
    bin_energy = sum(trace[f"{n}_energy_j"] for n in SERIES)
    last = trace.iloc[-1] if len(trace) else None

    def rel(a: float, b: float) -> float:
        scale = max(abs(a), abs(b))
        return 0.0 if scale == 0 else abs(a - b) / scale

    errors = {
        "jobs+deployments+idle vs trace energy": rel(float(parts_energy), trace_energy),
        "trace vs hosts+fleets energy": rel(trace_energy, run.hosts["energy_j"].sum() +
                                            fleets["energy_j"].sum()),
        "summary vs trace energy": rel(float(total["energy_j"]), trace_energy),
        "summary vs trace co2": rel(float(total["co2_g"]), trace_co2),
        "regions vs series energy": rel(float(region_energy), trace_energy),
        "bin power x duration vs bin energy": float(np.max(np.abs(
            trace["power_w"] * trace["duration_s"] - bin_energy)) / max(trace_energy, 1.0)),
    }
    for label, series, table in (("campaign", run.campaign_trace, run.campaigns),
                                 ("deployment", run.deployment_trace, run.deployments)):
        if len(series.columns):
            sums = series.xs("energy_j", level="quantity", axis=1).sum()
            errors[f"{label} series vs table energy"] = max(
                rel(float(sums[name]), float(table.loc[name, "energy_j"])) for name in sums.index)
    if last is not None:
        errors["cumulative vs summed energy"] = rel(float(last["total_cum_energy_j"]),
                                                    trace_energy)
        errors["cumulative vs summed co2"] = rel(float(last["total_cum_co2_g"]), trace_co2)
    return errors
