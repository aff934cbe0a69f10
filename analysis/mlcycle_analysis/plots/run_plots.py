"""Plots of one run: emissions, cumulative CO2e, utilization and queue, job timeline.

Each draws into `ax` when given (the plot's heading, a figure title, is then left to the caller)
or into a new figure; see the package docstring for what they return.
"""
from __future__ import annotations

import math

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from .. import derived
from ..schema import CLUSTER_BUSY, CLUSTER_QUEUE, DAYS, INTENSITY, JOBS, KG, MINUTES, PERCENT
from ..schema import PHASES, SERIES
from ._common import (COLORS, as_run, axes_list, bin_edges, canvas, figure, finish, steps,
                      time_axis, title, utc_naive)

MAX_GANTT_JOBS = 3000
# Above the axes, so a legend never hides data.
LEGEND_ABOVE = dict(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=5, fontsize=8, frameon=False)


def emissions_over_time(run, path=None, *, ax=None):
    """Stacked CO2e per bin by series (kg) and the bins' energy-weighted intensity (g/kWh, on a
    twin of `ax`)."""
    run = as_run(run)
    edges, t = bin_edges(run), run.trace
    fig, ax, created = canvas(ax)
    base = np.zeros(len(edges))
    for name in SERIES:
        top = base + steps(KG.of(t[f"{name}_co2_g"]))
        ax.fill_between(edges, base, top, step="post", color=COLORS[name], label=name, lw=0)
        base = top
    step_min = MINUTES.of(run.trace["duration_s"].iloc[0])
    ax.set_ylabel(f"CO2e per {step_min:g}-{MINUTES} bin ({KG})")
    # Headroom above both curves, so neither runs along the frame.
    ax.set_ylim(0, max(float(np.nanmax(base)), 1e-9) * 1.15)
    twin = ax.twinx()
    twin.step(edges, steps(t["intensity_g_per_kwh"]), where="post", color="black", lw=1.2,
              label="grid intensity (energy-weighted)")
    twin.set_ylabel(f"grid intensity ({INTENSITY})")
    peak = t["intensity_g_per_kwh"].max()
    twin.set_ylim(0, (peak if np.isfinite(peak) and peak > 0 else 1.0) * 1.15)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], **LEGEND_ABOVE)
    time_axis(ax)
    ax.set_xlim(edges[0], edges[-1])
    if created:
        title(fig, "CO2e emissions per trace bin by series", run)
    return finish(fig, ax, path)


def cumulative_by_phase(run, path=None, *, ax=None):
    """Cumulative CO2e per series (kg); the inference crossover marked when the run has one."""
    run = as_run(run)
    edges, t = bin_edges(run), run.trace
    fig, ax, created = canvas(ax)
    cum = {n: np.append(0.0, KG.of(t[f"{n}_cum_co2_g"].to_numpy())) for n in SERIES}
    for name in SERIES:
        ax.plot(edges, cum[name], color=COLORS[name], lw=2 if name != "idle" else 1,
                ls="--" if name == "idle" else "-", label=name)
    ax.plot(edges, cum["experimentation"] + cum["training"], color="black", lw=1, ls=":",
            label="experimentation + training")
    crossover = run.summary_attrs.get("crossover_s", math.nan)
    if crossover is not None and math.isfinite(crossover):
        when = run.utc([crossover])[0]
        ax.axvline(utc_naive([when])[0], color="crimson", lw=1.2)
        ax.annotate(f"crossover\n{when:%Y-%m-%d %H:%M} UTC", (utc_naive([when])[0], 0.95),
                    xycoords=("data", "axes fraction"), xytext=(4, 0),
                    textcoords="offset points", va="top", color="crimson", fontsize=9)
    jobs_co2 = run.summary.loc[PHASES, "co2_g"]
    share = jobs_co2["inference"] / jobs_co2.sum() if jobs_co2.sum() > 0 else math.nan
    note = "no job CO2e" if math.isnan(share) else f"inference share of job CO2e: {share:.1%}"
    ax.text(0.99, 0.03, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
            bbox=dict(boxstyle="round", fc="white", ec="0.7"))
    ax.set_ylabel(f"cumulative CO2e ({KG})")
    ax.set_ylim(bottom=0)
    ax.legend(**LEGEND_ABOVE)
    time_axis(ax)
    ax.set_xlim(edges[0], edges[-1])
    if created:
        title(fig, "Cumulative CO2e by series", run)
    return finish(fig, ax, path)


def utilization(run, path=None, *, ax=None):
    """GPU utilization per cluster and queue length per bin: from the trace when the file has
    them, else derived from /jobs. Two panels: `ax` is two Axes (utilization, queue)."""
    run = as_run(run)
    edges = bin_edges(run)
    used, queue = derived.utilization(run), derived.queue_length(run)
    gpus = derived.cluster_gpus(run)
    if ax is None:
        fig = figure(10, 6)
        axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    else:
        axes = axes_list(ax, 2, "utilization")
        fig = axes[0].figure
    top, bottom = axes
    for cluster in run.clusters:
        line = top.step(edges, steps(PERCENT.of(used[cluster])), where="post",
                        label=f"{cluster} ({gpus[cluster]} GPUs)")[0]
        bottom.step(edges, steps(queue[cluster]), where="post", color=line.get_color(),
                    label=cluster)
    top.set_ylabel(f"GPU utilization ({PERCENT})")
    top.set_ylim(0, 105)
    top.legend(**LEGEND_ABOVE)
    mean = run.summary_attrs.get("mean_utilization", math.nan)
    top.text(0.99, 0.03, f"run mean {mean:.1%} (summary)", transform=top.transAxes,
             ha="right", va="bottom", fontsize=9, bbox=dict(boxstyle="round", fc="white", ec="0.7"))
    bottom.set_ylabel("jobs waiting (mean)")
    bottom.set_ylim(bottom=0)
    if derived.from_trace(run):
        note = f"from {CLUSTER_BUSY} and {CLUSTER_QUEUE} (bin means)"
    else:
        note = (f"derived from {JOBS}: exact overlap of [start, end) and [submit, start) with "
                "each bin")
        pending = run.summary_attrs.get("jobs_pending", 0)
        if pending:
            note += f"; {pending} never-started trials not counted"
    bottom.set_title(note, fontsize=8, loc="left")
    time_axis(bottom)
    top.xaxis.label.set_visible(False)
    bottom.set_xlim(edges[0], edges[-1])
    if not top.get_shared_x_axes().joined(top, bottom):  # a caller's unshared pair
        time_axis(top, label=False)
        top.set_xlim(edges[0], edges[-1])
    if ax is None:
        title(fig, "GPU utilization per cluster and queue length", run)
    return finish(fig, axes, path)


def _lanes(hosts, starts, ends) -> tuple[np.ndarray, dict]:
    """Greedy interval packing per host so concurrent jobs on one host do not overlap."""
    lane = np.zeros(len(starts), dtype=int)
    free: dict = {}
    for i in np.lexsort((starts, hosts)):
        host_free = free.setdefault(hosts[i], [])
        for k, end in enumerate(host_free):
            if end <= starts[i]:
                break
        else:
            k = len(host_free)
            host_free.append(0.0)
        host_free[k] = ends[i]
        lane[i] = k
    return lane, {h: len(v) for h, v in free.items()}


def _host_ticks(ax, names) -> None:
    every = max(1, math.ceil(len(names) / 40))  # at most ~40 labels stay legible
    ticks = np.arange(0, len(names), every)
    ax.set_yticks(ticks)
    ax.set_yticklabels([names[i] for i in ticks], fontsize=7 if len(names) > 20 else 9)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_ylabel("host (first node of the job)")


def _gantt(run, ax) -> None:
    jobs = run.jobs
    names = list(run.hosts["name"])
    row = pd.Index(names).get_indexer(jobs["host"])
    start, end = jobs["start_s"].to_numpy(), jobs["end_s"].to_numpy()
    lane, lanes = _lanes(row, start, end)
    height = 0.8 / np.array([lanes.get(r, 1) for r in row])
    y = row - 0.4 + lane * height + height / 2
    left = mdates.date2num(utc_naive(run.utc(start)))
    campaigns = list(jobs["campaign"].cat.categories)
    palette = [f"C{i % 10}" for i in range(len(campaigns))]
    colors = [palette[c] for c in jobs["campaign"].cat.codes]
    unfinished = (jobs["status"] == "unfinished").to_numpy()
    # Thin white edges separate back-to-back jobs of one lane.
    ax.barh(y, DAYS.of(end - start), left=left, height=height * 0.9, color=colors, ec="white",
            lw=0.3)
    if unfinished.any():
        ax.barh(y[unfinished], DAYS.of(end - start)[unfinished], left=left[unfinished],
                height=height[unfinished] * 0.9, fill=False, hatch="///", ec="black", lw=0.5)
    handles = [Patch(color=palette[i], label=c) for i, c in enumerate(campaigns)][:15]
    if unfinished.any():
        handles.append(Patch(fill=False, hatch="///", label="unfinished at horizon"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
              title="campaign", title_fontsize=8)
    _host_ticks(ax, names)


def _density(run, ax) -> None:
    end_s = float(run.attrs["end_s"])
    edges = np.linspace(0.0, end_s, min(400, max(2, len(run.trace))) + 1)
    busy = derived.busy_gpus_by_host(run, edges)
    fraction = busy / run.hosts["gpus"].to_numpy()[None, :]
    x = mdates.date2num(utc_naive(run.utc(edges)))
    mesh = ax.pcolormesh(x, np.arange(len(run.hosts) + 1) - 0.5, fraction.to_numpy().T,
                         cmap="viridis", vmin=0, vmax=1)
    ax.figure.colorbar(mesh, ax=ax, label="busy GPUs / host GPUs (bin mean)")
    _host_ticks(ax, list(run.hosts["name"]))


def job_timeline(run, path=None, max_jobs: int = MAX_GANTT_JOBS, *, ax=None):
    """Jobs as bars per host coloured by campaign; a time x host density beyond max_jobs."""
    run = as_run(run)
    n_hosts = len(run.hosts)
    fig, ax, created = canvas(ax, 11, min(12.0, 3.5 + 0.3 * n_hosts))
    ax.xaxis_date()  # bars and meshes are drawn in matplotlib date numbers
    if len(run.jobs) <= max_jobs:
        _gantt(run, ax)
        heading = f"Job timeline ({len(run.jobs)} jobs)"
    else:
        _density(run, ax)
        heading = (f"Job density ({len(run.jobs)} jobs > {max_jobs}): busy GPUs per host and bin;"
                   " multi-node jobs on their first node only")
    edges = bin_edges(run)
    ax.set_xlim(edges[0], edges[-1])
    time_axis(ax)
    if created:
        title(fig, heading, run)
    return finish(fig, ax, path)
