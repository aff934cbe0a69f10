"""Command line: python3 -m mlcycle_analysis report|plot (PYTHONPATH=analysis)."""
from __future__ import annotations

import argparse
import sys

from . import plots
from .report import write_report, write_sweep_report
from .sweep import is_sweep

USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m mlcycle_analysis",
                                     description="Reports and plots of mlcycle runs and sweeps.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="self-contained HTML report")
    report.add_argument("input", help="a run file (RUN.h5) or a sweep directory")
    report.add_argument("-o", "--output", required=True, help="HTML file to write")
    plot = commands.add_parser("plot", help="one plot as PNG or SVG (by the output's suffix)")
    plot.add_argument("kind", choices=[*plots.RUN_PLOTS, *plots.SWEEP_PLOTS])
    plot.add_argument("input", help="a run file for run plots, a sweep directory for sweep plots")
    plot.add_argument("-o", "--output", required=True, help="image file (.png or .svg)")
    plot.add_argument("--column", default="co2_g_total", help="sweep column (sweep, heatmap)")
    plot.add_argument("--x", help="heatmap: varied key on the x axis (default: the first)")
    plot.add_argument("--y", help="heatmap: varied key on the y axis (default: the second)")
    plot.add_argument("--max-jobs", type=int, default=plots.run_plots.MAX_GANTT_JOBS,
                      help="timeline: draw bars up to this many jobs, a density beyond")
    return parser


def _plot(args) -> None:
    if args.kind in plots.SWEEP_PLOTS:
        if not is_sweep(args.input):
            raise ValueError(f"{args.input}: plot {args.kind} needs a sweep directory")
        if args.kind == "sweep":
            plots.sweep_headline(args.input, args.column, args.output)
        else:
            plots.sweep_heatmap(args.input, args.x, args.y, args.column, args.output)
    elif args.kind == "timeline":
        plots.job_timeline(args.input, args.output, max_jobs=args.max_jobs)
    else:
        plots.RUN_PLOTS[args.kind](args.input, args.output)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            report = write_sweep_report if is_sweep(args.input) else write_report
            report(args.input, args.output)
        else:
            _plot(args)
    except (OSError, ValueError, KeyError) as error:
        # One line, like the simulator's own usage errors (exit status 2).
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"mlcycle_analysis: {message}".splitlines()[0], file=sys.stderr)
        return USAGE_ERROR
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
