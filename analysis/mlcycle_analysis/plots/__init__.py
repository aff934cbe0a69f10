"""Plots of a run file or a sweep; each writes PNG or SVG chosen by the path's suffix.

    plots.emissions_over_time(run, "e.png")     plots.cumulative_by_phase(run, "c.svg")
    plots.utilization(run, "u.png")             plots.job_timeline(run, "t.png")
    plots.sweep_headline(sweep, "co2_g_total", "h.png")
    plots.sweep_heatmap(sweep, x, y, "co2_g_total", "m.png")

`run` is a Run (load_run) or a path; `sweep` a load_sweep DataFrame or a sweep directory.
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
