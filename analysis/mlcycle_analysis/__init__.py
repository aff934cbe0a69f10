"""Analysis of mlcycle run files and sweeps (Debian's python3: h5py, pandas, matplotlib).

    from mlcycle_analysis import load_run, load_sweep, plots, report
    run = load_run("results/two-sites.h5")      # .jobs .trace .regions .grid .summary ...
    plots.emissions_over_time(run, "emissions.png")
    report.write_report("results/two-sites.h5", "report.html")
    sweep = load_sweep("sweeps/lisa")            # the /runs table; .attrs["aggregates"]

Command line: python3 -m mlcycle_analysis report|plot ... (see --help).
"""
from .run import Run, conservation_errors, load_run
from .schema import SchemaError
from .sweep import load_sweep

__all__ = ["Run", "SchemaError", "conservation_errors", "load_run", "load_sweep"]
