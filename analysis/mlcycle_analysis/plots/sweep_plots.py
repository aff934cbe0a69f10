"""Plots of a sweep: a headline result against each varied key, and a two-key heatmap.

Each draws into `ax` when given (the figure title is then left to the caller) or into a new
figure; see the package docstring for what they return.
"""
from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from ..sweep import currency, label, points
from ._common import as_sweep, axes_list, canvas, figure, finish

MAX_LINES = 6  # beyond this many combinations of the other keys, plot their mean only


def _positions(values, universe):
    """x positions and tick labels: numbers as they are, anything else as categories (in the
    order of `universe`, all the key's values, so every line shares the same ticks)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return np.asarray(values, float), None
    unique = sorted(pd.unique(universe), key=str)
    order = {v: i for i, v in enumerate(unique)}
    return np.array([order[v] for v in values], float), [str(v) for v in unique]


def _varied(sweep) -> list:
    varied = list(sweep.varied)
    if not varied:
        raise ValueError("the sweep has no varied keys to plot against")
    return varied


def _heading(sweep) -> str:
    return os.path.basename(sweep.scenario) or "sweep"


def sweep_headline(sweep, column="co2_g_total", path=None, *, ax=None):
    """`column` against each varied key: replicate means with 95% intervals (one panel per key;
    `ax` is one Axes per varied key, in the sweep's order)."""
    sweep = as_sweep(sweep)
    varied = _varied(sweep)
    table = points(sweep, column)
    factor, ylabel = label(column, currency(sweep))
    created = ax is None
    if created:
        columns = min(3, len(varied))
        rows = math.ceil(len(varied) / columns)
        fig = figure(4.2 * columns + 1, 3.6 * rows + 0.8)
        every = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
        for unused in every[len(varied):]:
            unused.set_visible(False)
        axes = every[:len(varied)]
    else:
        axes = axes_list(ax, len(varied), "sweep_headline")
        fig = axes[0].figure
    for panel, key in zip(axes, varied):
        others = [k for k in varied if k != key]
        groups = [(None, table)]
        if others:
            groups = [(", ".join(f"{k.split('.')[-1]}={v}" for k, v in
                                 zip(others, name if isinstance(name, tuple) else (name,))),
                       group) for name, group in table.groupby(
                           others if len(others) > 1 else others[0], sort=False)]
        if len(groups) > MAX_LINES:
            mean = table.groupby(key, sort=False)["mean"].mean().reset_index()
            mean["low"] = mean["high"] = np.nan
            groups = [("mean over the other keys", mean)]
        for text, group in groups:
            # Points whose runs all failed have no mean: left out (the heatmap shows them).
            group = group[np.isfinite(group["mean"].to_numpy(float))].sort_values(key)
            if group.empty:
                continue
            x, ticks = _positions(group[key], table[key])
            y = group["mean"].to_numpy() * factor
            err = np.vstack([y - group["low"] * factor, group["high"] * factor - y])
            err = np.where(np.isfinite(err), err, 0.0)  # one replicate: no interval
            panel.errorbar(x, y, yerr=err, marker="o", capsize=3, label=text)
            if ticks is not None:
                panel.set_xticks(range(len(ticks)), ticks)
            elif table[key].nunique() <= 12:
                panel.set_xticks(np.unique(table[key].to_numpy(float)))  # the swept values only
        panel.set_xlabel(key)
        panel.set_ylabel(ylabel)
        panel.grid(alpha=0.3)
        if groups[0][0] is not None:
            panel.legend(fontsize=7)
    if created:
        replicates = sweep.replicates
        spread = "mean and 95% interval" if replicates > 1 else "single run"
        fig.suptitle(f"{ylabel} per varied key ({spread} of {replicates} replicate"
                     f"{'s' if replicates != 1 else ''}): {_heading(sweep)}", fontsize=11)
    return finish(fig, axes, path)


def sweep_heatmap(sweep, x=None, y=None, column="co2_g_total", path=None, *, ax=None):
    """Mean of `column` over the grid of two varied keys (averaged over any other keys)."""
    sweep = as_sweep(sweep)
    varied = _varied(sweep)
    if len(varied) < 2:
        raise ValueError(f"the heatmap needs two varied keys; the sweep varies only {varied[0]}")
    x = x or varied[0]
    y = y or next(k for k in varied if k != x)
    for key in (x, y):
        if key not in varied:
            raise ValueError(f"{key!r} is not a varied key of the sweep; varied: "
                             f"{', '.join(varied)}")
    if x == y:
        raise ValueError("the heatmap needs two different varied keys")
    table = points(sweep, column)
    factor, clabel = label(column, currency(sweep))
    grid = table.groupby([y, x])["mean"].mean().unstack(x) * factor
    fig, ax, _ = canvas(ax, 1.2 * grid.shape[1] + 4, 0.6 * grid.shape[0] + 3)
    image = ax.imshow(grid.to_numpy(float), cmap="viridis", aspect="auto", origin="lower")
    fig.colorbar(image, ax=ax, label=clabel)
    ax.set_xticks(range(grid.shape[1]), [str(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [str(v) for v in grid.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    values = grid.to_numpy(float)
    middle = np.nanmean(values) if np.isfinite(values).any() else 0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, "failed" if np.isnan(v) else f"{v:.4g}", ha="center", va="center",
                fontsize=8, color="white" if v <= middle else "black")  # NaN: black
    others = [k for k in varied if k not in (x, y)]
    note = "mean over replicates" + (f" and over {', '.join(others)}" if others else "")
    ax.set_title(f"{clabel}: {_heading(sweep)}\n({note})", fontsize=10)
    return finish(fig, ax, path)
