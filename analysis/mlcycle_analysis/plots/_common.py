"""Shared plotting pieces: figures without pyplot (no GUI backend, no global state), drawing
into a caller's Axes, saving."""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")  # harmless when pyplot is never imported; keeps any later import headless
import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..run import Run, load_run  # noqa: E402
from ..sweep import SweepResults, load_sweep  # noqa: E402

COLORS = {"experimentation": "#4C72B0", "training": "#DD8452", "inference": "#55A868",
          "idle": "#A0A0A0"}
FORMATS = {".png", ".svg"}


def figure(width=10.0, height=5.0, **kwargs) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained", **kwargs)
    fig.set_facecolor("white")
    return fig


def canvas(ax, width=10.0, height=5.0):
    """(figure, axes, created): the caller's Axes and its figure, or a new figure with one Axes
    (figure-level decoration, such as the heading, is only added to a figure made here)."""
    if ax is not None:
        return ax.figure, ax, False
    fig = figure(width, height)
    return fig, fig.add_subplot(), True


def axes_list(ax, count: int, what: str) -> np.ndarray:
    """The caller's Axes for a plot of `count` panels: a sequence (or array) of at least `count`."""
    axes = np.atleast_1d(np.asarray(ax, dtype=object)).ravel()
    if len(axes) < count:
        raise ValueError(f"{what} draws {count} panel{'s' if count != 1 else ''}; "
                         f"got {len(axes)} Axes")
    return axes[:count]


def finish(fig, drawn, path):
    """With a path, write `fig` there and return the path; else return what was drawn into."""
    return drawn if path is None else save(fig, path)


def save(fig: Figure, path) -> str:
    """Write the figure as PNG or SVG, chosen by the path's suffix (a subfigure: its whole figure).
    """
    fig = fig.figure  # a Figure is its own .figure; a SubFigure's is the figure holding it
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unsupported image suffix {suffix or '(none)'}; use .png or .svg")
    # No date in SVG metadata: the same run gives the same file.
    metadata = {"Date": None} if suffix == ".svg" else {}
    fig.savefig(path, format=suffix[1:], dpi=120, metadata=metadata)
    return path


def as_run(run_or_path) -> Run:
    return run_or_path if isinstance(run_or_path, Run) else load_run(run_or_path)


def as_sweep(sweep_or_path) -> SweepResults:
    if isinstance(sweep_or_path, SweepResults):
        return sweep_or_path
    return load_sweep(sweep_or_path)


def utc_naive(times) -> np.ndarray:
    """UTC datetimes as naive datetime64 (matplotlib's native date type); axes say 'UTC'."""
    index = pd.DatetimeIndex(times)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index.to_numpy()


def bin_edges(run: Run) -> np.ndarray:
    """The n_bins + 1 bin edges as naive UTC datetimes (the last is the end of the run)."""
    t = run.trace
    seconds = np.append(t["time_s"].to_numpy(), t["time_s"].iloc[-1] + t["duration_s"].iloc[-1])
    return utc_naive(run.utc(seconds))


def time_axis(ax, label=True) -> None:
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if label:
        ax.set_xlabel("time (UTC)")


def steps(values) -> np.ndarray:
    """Per-bin values repeated at the last edge, for step='post' drawing over bin edges."""
    values = np.asarray(values, dtype=float)
    return np.append(values, values[-1]) if len(values) else values


def title(fig: Figure, text: str, run: Run | None = None) -> None:
    if run is not None:
        text = f"{text}\n{os.path.basename(run.path)}"
    fig.suptitle(text, fontsize=12)
