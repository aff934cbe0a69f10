"""Analysis of mlcycle run files and sweeps (Debian's python3: h5py, pandas, matplotlib).

    from mlcycle_analysis import load_run, load_sweep, plots, report, schema
    run = load_run("results/two-sites.h5")      # .jobs .trace .regions .grid .summary ...
    plots.emissions_over_time(run, "emissions.png")   # or plots.emissions_over_time(run, ax=ax)
    report.write_report("results/two-sites.h5", "report.html")
    sweep = load_sweep("sweeps/lisa")            # SweepResults: .runs .varied .aggregates .attrs
    schema.BY_SERIES, schema.KWH.of(joules)      # dataset paths, fields and units

Command line: python3 -m mlcycle_analysis report|plot ... (see --help), or `mlcycle-analysis`
when installed from analysis/pyproject.toml.
"""
from .run import Run, conservation_errors, load_run
from .schema import SchemaError
from .sweep import SweepResults, load_sweep

__version__ = "0.1.0"  # the simulator's version (project() in CMakeLists.txt)

__all__ = ["Run", "SchemaError", "SweepResults", "conservation_errors", "load_run", "load_sweep"]
