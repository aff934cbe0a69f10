"""The analysis package's plots (pytest): every plot writes a non-uniform PNG and an SVG, and
draws into a caller's Axes (ax=) what it would draw into a figure of its own: checked on
hand-computed values of single-trial.toml and a sweep of it."""

import matplotlib.image
import numpy as np
import pytest
from analysis_support import check_image
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from mlcycle_analysis import load_run, load_sweep, plots
from mlcycle_analysis.plots import _common, run_plots, sweep_plots


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plots_write_images(two_sites, crossover_run, sweep_dir, tmp_path, suffix):
    run, sweep = load_run(two_sites), load_sweep(sweep_dir)
    written = [
        plots.emissions_over_time(run, tmp_path / f"emissions{suffix}"),
        plots.cumulative_by_phase(run, tmp_path / f"cumulative{suffix}"),
        plots.cumulative_by_phase(crossover_run, tmp_path / f"crossover{suffix}"),
        plots.utilization(run, tmp_path / f"utilization{suffix}"),
        plots.job_timeline(run, tmp_path / f"gantt{suffix}"),
        plots.job_timeline(run, tmp_path / f"density{suffix}", max_jobs=100),
        plots.sweep_headline(sweep, "co2_g_total", tmp_path / f"headline{suffix}"),
        plots.sweep_headline(sweep_dir, "cost", tmp_path / f"cost{suffix}"),
        plots.sweep_heatmap(sweep, "campaign.one-trial.trials", "accounting.price_per_kwh",
                            "cost", tmp_path / f"heatmap{suffix}"),
    ]
    for path in written:
        check_image(path)


def test_plot_rejects_other_suffixes(two_sites, tmp_path):
    with pytest.raises(ValueError, match="use .png or .svg"):
        plots.emissions_over_time(two_sites, tmp_path / "e.jpg")


# --- drawing into a caller's Axes (ax=) -----------------------------------------------------
# single-trial.toml: one 2-GPU trial of 3 h on the 8-GPU P100 node (PUE 1.58, 400 g/kWh) in 1-h
# bins: 2 x (1265.43 + 250) / 8 W = 378.8575 W of IT power, x 1.58 = 598.59485 W at the facility,
# 2,154,941.46 J = 0.59859485 kWh per hour, x 400 g/kWh = 0.23943794 kg CO2e per hour.
KG_PER_HOUR = 378.8575 * 1.58 * 3600 / 3.6e6 * 400 / 1e3
SWEPT_TRIALS = [1, 2, 3]
SWEPT_PRICES = [0.1, 0.2]


@pytest.fixture
def no_new_figures(monkeypatch):
    """Any figure a plot made for itself fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a plot given ax= created a figure")
    for module in (_common, run_plots, sweep_plots):
        monkeypatch.setattr(module, "figure", refuse)


def test_run_plots_draw_into_the_given_axes(single_trial, no_new_figures):
    run = load_run(single_trial)
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.cumulative_by_phase(run, ax=ax) is ax
    lines = {line.get_label(): line.get_ydata() for line in ax.get_lines()}
    # Cumulative CO2e at the bin edges 0, 1, 2, 3 h; nothing in the other phases.
    hours = np.arange(4)
    assert lines["experimentation"] == pytest.approx(KG_PER_HOUR * hours, rel=1e-12)
    assert lines["experimentation + training"] == pytest.approx(KG_PER_HOUR * hours, rel=1e-12)
    assert list(lines["training"]) == list(lines["inference"]) == [0.0] * 4
    assert fig.axes == [ax] and fig._suptitle is None  # the heading is left to the caller

    fig = Figure()
    ax = fig.add_subplot()
    assert plots.emissions_over_time(run, ax=ax) is ax
    assert len(fig.axes) == 2  # the intensity's twin axis
    intensity = fig.axes[1].get_lines()[0].get_ydata()
    assert intensity == pytest.approx([400.0] * 4, rel=1e-12)  # the constant grid, per edge
    assert ax.get_ylabel() == "CO2e per 60-min bin (kg)"

    fig = Figure()
    ax = fig.add_subplot()
    assert plots.job_timeline(run, ax=ax) is ax
    [bar] = ax.patches
    assert bar.get_width() == pytest.approx(3 / 24, rel=1e-12)  # 3 h, in days
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.job_timeline(run, max_jobs=0, ax=ax) is ax  # the density and its colorbar
    assert len(fig.axes) == 2
    busy = np.ravel(ax.collections[0].get_array()).tolist()
    assert busy == pytest.approx([0.25] * 3, rel=1e-12)  # 2 of 8 GPUs in each of 3 bins


def test_utilization_draws_into_two_given_axes(single_trial, no_new_figures):
    fig = Figure()
    top, bottom = fig.subplots(2, 1)  # not sharing x: each gets the time axis
    drawn = plots.utilization(single_trial, ax=[top, bottom])
    assert list(drawn) == [top, bottom]
    [used] = top.get_lines()
    [queue] = bottom.get_lines()
    assert used.get_label() == "p100-node (8 GPUs)"
    assert list(used.get_ydata()) == pytest.approx([25.0] * 4, rel=1e-12)  # 2 of 8 GPUs, in %
    assert list(queue.get_ydata()) == [0.0] * 4
    assert top.get_xlim() == bottom.get_xlim()
    with pytest.raises(ValueError, match="utilization draws 2 panels; got 1 Axes"):
        plots.utilization(single_trial, ax=top)


def test_sweep_plots_draw_into_the_given_axes(sweep_dir, no_new_figures):
    sweep = load_sweep(sweep_dir)
    fig = Figure()
    by_trials, by_price = fig.subplots(1, 2)
    drawn = plots.sweep_headline(sweep, "cost", ax=(by_trials, by_price))
    assert list(drawn) == [by_trials, by_price]
    # One line per value of the other key, each over the swept values of the panel's own key.
    bars = by_trials.containers  # one errorbar per line: .lines[0] holds its points
    assert [bar.get_label() for bar in bars] == ["price_per_kwh=0.1", "price_per_kwh=0.2"]
    assert all(list(bar.lines[0].get_xdata()) == SWEPT_TRIALS for bar in bars)
    low, high = (bar.lines[0].get_ydata() for bar in bars)
    assert high == pytest.approx(2 * low, rel=1e-12)  # the same energy at twice the price
    # Concurrent 2-GPU trials on 8 GPUs: each trial adds the same job energy and cost.
    assert low[2] - low[1] == pytest.approx(low[1] - low[0], rel=1e-9)
    bars = by_price.containers
    assert [bar.get_label() for bar in bars] == [f"trials={n}" for n in SWEPT_TRIALS]
    assert all(list(bar.lines[0].get_xdata()) == SWEPT_PRICES for bar in bars)
    assert fig._suptitle is None

    fig = Figure()
    ax = fig.add_subplot()
    assert plots.sweep_heatmap(sweep, ax=ax) is ax
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 3)  # price (y) x trials (x)
    assert list(grid[0]) == list(grid[1])  # CO2e does not depend on the price
    assert len(ax.texts) == 6 and len(fig.axes) == 2  # a value per cell, and the colorbar
    with pytest.raises(ValueError, match="sweep_headline draws 2 panels; got 1 Axes"):
        plots.sweep_headline(sweep, ax=ax)


def test_what_the_plots_return(single_trial, sweep_dir, tmp_path):
    """Without a path: the Axes drawn into (an array for the multi-panel plots), in a figure
    of their own when not given; with a path: the path, the figure written there."""
    run, sweep = load_run(single_trial), load_sweep(sweep_dir)
    for plot in (plots.emissions_over_time, plots.cumulative_by_phase, plots.job_timeline):
        ax = plot(run)
        assert isinstance(ax, Axes) and ax.figure._suptitle is not None
    assert isinstance(plots.sweep_heatmap(sweep), Axes)
    for drawn, panels in ((plots.utilization(run), 2), (plots.sweep_headline(sweep), 2)):
        assert isinstance(drawn, np.ndarray) and len(drawn) == panels
        assert all(isinstance(ax, Axes) for ax in drawn)
        assert len({id(ax.figure) for ax in drawn}) == 1
    fig = Figure(figsize=(8, 4))
    left, right = fig.subfigures(1, 2)
    ax = right.add_subplot()
    path = tmp_path / "right.png"
    assert plots.cumulative_by_phase(run, path, ax=ax) == str(path)
    check_image(path)
    assert matplotlib.image.imread(str(path)).shape[:2] == (4 * 120, 8 * 120)  # the whole figure
