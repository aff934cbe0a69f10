"""Plots of a run file or a sweep, drawn into a caller's matplotlib Axes or a new figure.

    plots.emissions_over_time(run, "e.png")     plots.cumulative_by_phase(run, "c.svg")
    plots.utilization(run, "u.png")             plots.job_timeline(run, "t.png")
    plots.sweep_headline(sweep, "co2_g_total", "h.png")
    plots.sweep_heatmap(sweep, x, y, "co2_g_total", "m.png")

    fig = matplotlib.figure.Figure(layout="constrained")
    left, right = fig.subplots(1, 2)
    plots.emissions_over_time(run, ax=left)      # -> left
    plots.cumulative_by_phase(run, ax=right)     # -> right
    fig.savefig("both.png")

`run` is a Run (load_run) or a path; `sweep` a SweepResults (load_sweep) or a sweep directory.

Every plot takes `ax=None` (keyword only). Given, the plot draws into it and creates no figure
(a twin axis or a colorbar is added to the caller's figure where the plot has one; figure titles
are left to the caller). Not given, the plot makes a new pyplot-free Figure (`ax.figure`).
Two plots have several panels and take a sequence of Axes: `utilization` two (utilization,
queue length), `sweep_headline` one per varied key (`sweep.varied`, in that order).

What a plot returns does not depend on whether `ax` was given:
  - without `path`: what it drew into: the Axes for emissions_over_time, cumulative_by_phase,
    job_timeline and sweep_heatmap; a numpy array of Axes for utilization and sweep_headline;
  - with `path`: it writes the figure holding those Axes as PNG or SVG (by the suffix) and returns
    the path (as the command line does).
"""
from .run_plots import cumulative_by_phase, emissions_over_time, job_timeline, utilization
from .sweep_plots import sweep_headline, sweep_heatmap

# The same functions under plot_<name>, and the CLI's kinds.
plot_emissions_over_time = emissions_over_time
plot_cumulative_by_phase = cumulative_by_phase
plot_utilization = utilization
plot_job_timeline = job_timeline
RUN_PLOTS = {"emissions": emissions_over_time, "cumulative": cumulative_by_phase,
             "utilization": utilization, "timeline": job_timeline}
SWEEP_PLOTS = {"sweep": sweep_headline, "heatmap": sweep_heatmap}

__all__ = ["emissions_over_time", "cumulative_by_phase", "utilization", "job_timeline",
           "sweep_headline", "sweep_heatmap", "RUN_PLOTS", "SWEEP_PLOTS"]
