"""GPU occupancy and queue length per bin and cluster, read from the trace or derived from /jobs.

Trace files store both per bin (/trace/cluster_busy_gpus, /trace/cluster_queue_jobs, written by
the simulator's meter: serving reservations are held GPUs too). Files written before those
datasets existed have neither; there both follow exactly from the job table: a job holds `gpus`
GPUs over [start_s, end_s) and waits over [submit_s, start_s). The time integral of such step
functions is piecewise linear, so integrating at the bin edges gives each bin's exact overlap (no
sampling). Derived this way, trials that never started (`/summary` jobs_pending) have no /jobs
row and are missing from the queue, and serving deployments (no /jobs row) hold no GPUs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _integral(edges, on, off, weight):
    """∫_0^t sum(weight · 1[on <= s < off]) ds at each t in `edges`."""
    if len(on) == 0:
        return np.zeros(len(edges))
    times = np.concatenate([on, off])
    order = np.argsort(times, kind="stable")
    times = times[order]
    rate = np.cumsum(np.concatenate([weight, -weight])[order])
    at_events = np.concatenate([[0.0], np.cumsum(rate[:-1] * np.diff(times))])
    # Linear between events, constant (all intervals closed) after the last one.
    return np.interp(edges, times, at_events, left=0.0, right=at_events[-1])


def binned_seconds(bins_start, bins_end, on, off, weight, groups, names) -> pd.DataFrame:
    """Per bin and group: integral of the weighted intervals [on, off) over the bin."""
    bins_start, bins_end = np.asarray(bins_start, float), np.asarray(bins_end, float)
    groups = np.asarray(groups)
    columns = {}
    for name in names:
        mask = groups == name
        args = (np.asarray(on, float)[mask], np.asarray(off, float)[mask],
                np.asarray(weight, float)[mask])
        columns[name] = _integral(bins_end, *args) - _integral(bins_start, *args)
    # One row per bin even with no group (a run without a platform has no cluster).
    return pd.DataFrame(columns, columns=list(names), index=pd.RangeIndex(len(bins_start)))


def _per_bin(run, on, off, weight, groups, names) -> pd.DataFrame:
    t = run.trace
    seconds = binned_seconds(t["time_s"], t["time_s"] + t["duration_s"], on, off, weight,
                             groups, names)
    duration = t["duration_s"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = seconds.to_numpy() / duration[:, None]
    mean[duration == 0] = np.nan  # a zero-length bin has no mean
    return pd.DataFrame(mean, index=t.index, columns=seconds.columns)


def busy_gpus_from_jobs(run) -> pd.DataFrame:
    """Time-mean busy GPUs per bin, one column per cluster, derived from /jobs."""
    j = run.jobs
    return _per_bin(run, j["start_s"], j["end_s"], j["gpus"], j["cluster"], run.clusters)


def queue_length_from_jobs(run) -> pd.DataFrame:
    """Time-mean jobs waiting (submitted, not started) per bin and cluster, from /jobs."""
    j = run.jobs
    return _per_bin(run, j["submit_s"], j["start_s"], np.ones(len(j)), j["cluster"], run.clusters)


def from_trace(run) -> bool:
    """Whether busy_gpus and queue_length come from the trace (else from /jobs)."""
    return run.cluster_busy is not None and run.cluster_queue is not None


def busy_gpus(run) -> pd.DataFrame:
    """Time-mean GPUs held per bin, one column per cluster: /trace/cluster_busy_gpus, or derived
    from /jobs in files without it."""
    return run.cluster_busy if from_trace(run) else busy_gpus_from_jobs(run)


def cluster_gpus(run) -> pd.Series:
    return run.hosts.groupby("cluster")["gpus"].sum().reindex(run.clusters)


def utilization(run) -> pd.DataFrame:
    """Busy GPUs / the cluster's GPUs, per bin and cluster (0..1)."""
    return busy_gpus(run) / cluster_gpus(run).to_numpy()[None, :]


def queue_length(run) -> pd.DataFrame:
    """Time-mean jobs waiting per bin and cluster: /trace/cluster_queue_jobs, or derived from
    /jobs in files without it."""
    return run.cluster_queue if from_trace(run) else queue_length_from_jobs(run)


def busy_gpus_by_host(run, edges) -> pd.DataFrame:
    """Time-mean busy GPUs per host between consecutive `edges` (s).

    /jobs names only a gang's first node, so a multi-node job counts there with its per-node
    share (gpus / nodes); its other nodes look idle.
    """
    j = run.jobs
    edges = np.asarray(edges, float)
    share = j["gpus"] / j["nodes"].clip(lower=1)
    seconds = binned_seconds(edges[:-1], edges[1:], j["start_s"], j["end_s"], share,
                             j["host"], list(run.hosts["name"]))
    return seconds / np.diff(edges)[:, None]
