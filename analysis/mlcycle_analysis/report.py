"""Self-contained HTML reports of a run file or a sweep directory."""
from __future__ import annotations

import math
import os

from . import derived, plots
from .llm_report import llm_serving_table
from ._html import Cell, esc, num, number, page, png_figure, section, table, write
from .run import load_run
from .schema import (BY_SERIES, CAMPAIGNS, DAYS, DEPLOYMENTS, G_PER_LB, HOURS, JOBS,  # noqa: F401
                     KG, KW, KWH, LBS, PERCENT, SERIES, TOTAL, WH)
from .sweep import load_sweep

# Strubell, Ganesh & McCallum 2019, Table 1 (lbs CO2e): what the total is compared with.
EQUIVALENTS = [
    ("car lifetimes (incl. fuel)", 126_000),
    ("air travel NY↔SF, one passenger", 1_984),
    ("American life, years", 36_156),
    ("average human life, years", 11_023),
]
SUMMARY_ROWS = SERIES + [TOTAL]


def scenario_name(run) -> str:
    """The scenario's name: the stem of the `scenario_path` root attribute when the file has one,
    else a leading comment of scenario_toml, else the run file's stem.

    scenario_toml is re-serialised (comments dropped, tables sorted), so its first line is
    usually a table header such as `[accounting]`: no name.
    """
    for key in ("scenario", "scenario_path"):
        if run.attrs.get(key):
            return os.path.splitext(os.path.basename(str(run.attrs[key])))[0]
    first = str(run.attrs.get("scenario_toml", "")).strip().splitlines()[:1]
    if first and first[0].startswith("#"):
        return first[0].lstrip("#").strip()
    return os.path.splitext(os.path.basename(run.path))[0]


def _summary(run) -> str:
    s, currency = run.summary, run.summary_attrs.get("currency", "")
    marginal = bool(run.summary_attrs.get("marginal_available", 0))
    # A deployment is not a job: its count has a column of its own (files from before it: none).
    deployments = "deployments" in s and len(run.deployments) > 0
    headers = ["series", "jobs", *(["deployments"] if deployments else []), "GPU-hours",
               f"facility {KWH}", f"{KG} CO2e", f"{LBS} CO2e",
               f"cost ({currency})"] + ([f"marginal {KG} CO2e"] if marginal else [])
    rows = []
    for name in SUMMARY_ROWS:
        r = s.loc[name]
        cells = [name, num(r["jobs"], 0, series=name, field="jobs")]
        if deployments:
            cells.append(num(r["deployments"], 0, series=name, field="deployments"))
        cells += [num(r["gpu_hours"], 1, series=name, field="gpu_hours"),
                 num(r["energy_j"], 2, KWH.factor, series=name, field="energy_j"),
                 num(r["co2_g"], 2, KG.factor, series=name, field="co2_g"),
                 num(r["co2_g"], 1, LBS.factor, series=name, field="co2_g", unit=LBS),
                 num(r["cost"], 2, series=name, field="cost")]
        if marginal:
            cells.append(num(r["co2_marginal_g"], 2, KG.factor, series=name,
                             field="co2_marginal_g"))
        rows.append(cells)
    classes = ["total" if n == TOTAL else "" for n in SUMMARY_ROWS]
    note = (f'<p class="note">From {BY_SERIES}. {KWH} are facility energy (IT × PUE); '
            "idle is platform power not attributed to a job.</p>")
    return section("summary", "Summary by phase", table(headers, rows, classes, "summary-table"),
                   note)


def _key_numbers(run) -> str:
    a, total = run.summary_attrs, run.summary.loc[TOTAL]
    start = run.start
    end = run.utc([a["makespan_s"]])[0]
    crossing = crossover_text(run)
    if a.get("marginal_available"):
        marginal = f"{number(KG.of(a['co2_marginal_g']))} {KG} CO2e"
    else:
        marginal = "not available (a site that drew power has no marginal signal)"
    jobs = (f"{int(total['jobs']):,} started ({a.get('jobs_unfinished', 0)} unfinished at the "
            f"horizon), {a.get('jobs_pending', 0)} never started")
    rows = [
        ("total facility energy", f"{number(KWH.of(a['energy_j']))} {KWH} "
                                  f"(IT {number(KWH.of(a['it_energy_j']))} {KWH})", "energy"),
        ("total CO2e", f"{number(KG.of(a['co2_g']))} {KG} = "
                       f"{number(LBS.of(a['co2_g']), 1)} {LBS}", "co2"),
        ("cost", f"{number(a['cost'])} {a.get('currency', '')}", "cost"),
        ("peak facility power", f"{number(KW.of(a['peak_power_w']))} {KW}", "peak-power"),
        ("makespan", f"{DAYS.of(a['makespan_s']):,.2f} {DAYS} = "
                     f"{HOURS.of(a['makespan_s']):,.2f} {HOURS} "
                     f"({start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M} UTC)", "makespan"),
        ("mean GPU utilization", _utilization(run), "utilization"),
        *([("inference crossover", crossing, "crossover")] if crossing else []),
        ("marginal CO2e", marginal, "marginal"),
        ("jobs", jobs, "jobs"),
    ]
    shares = [a.get(f"{p}_co2_share") for p in SERIES[:3]]
    if all(v is not None and math.isfinite(v) for v in shares):
        rows.append(("CO2e shares (idle excluded)",
                     ", ".join(f"{p} {v:.1%}" for p, v in zip(SERIES, shares)), "co2-shares"))
    capacity = gpu_hours_shares(run)
    if all(math.isfinite(v) for v in capacity):
        rows.append(("capacity shares (GPU-hours held)",
                     ", ".join(f"{p} {v:.1%}" for p, v in zip(SERIES, capacity)) +
                     f"; {number(_idle_gpu_hours(run), 1)} idle GPU-hours excluded",
                     "capacity-shares"))
    nodes = [a.get(k, 0) or 0 for k in ("node_boots", "node_off_hours", "node_down_hours")]
    if any(v > 0 for v in nodes):
        rows.append(("nodes", f"{int(nodes[0]):,} boots, {number(nodes[1], 1)} node-hours off, "
                              f"{number(nodes[2], 1)} node-hours down", "nodes"))
    body = table(["quantity", "value"], [(q, Cell(v, key=k)) for q, v, k in rows])
    return section("key-numbers", "Key numbers", body)


def crossover_state(run) -> str:
    """The /summary attribute `crossover`, or for older files the same rule from the totals
    (docs/model.md): no_inference, no_development, crossed, inference_led or never."""
    a, s = run.summary_attrs, run.summary
    if "crossover" in a:
        return str(a["crossover"])
    inference = float(s.loc["inference", "co2_g"])
    development = float(s.loc["experimentation", "co2_g"] + s.loc["training", "co2_g"])
    if not float(s.loc["inference", "energy_j"]) > 0:
        return "no_inference"
    if not development > 0:
        return "no_development"
    crossover = a.get("crossover_s", math.nan)
    if crossover is not None and math.isfinite(crossover):
        return "crossed"
    return "inference_led" if inference > development else "never"


def crossover_text(run) -> str:
    """The crossover as `mlcycle run` words it; "" when inference drew nothing."""
    state = crossover_state(run)
    if state == "crossed":
        seconds = run.summary_attrs["crossover_s"]
        return (f"{run.utc([seconds])[0]:%Y-%m-%d %H:%M:%S} UTC "
                f"({HOURS.of(seconds):,.2f} {HOURS} after the start)")
    return {"no_inference": "",
            "no_development": "none: the run has no experimentation or training",
            "inference_led": "none: inference led from its first instant (it overtook nothing)",
            }.get(state, "never within the run (inference CO2e stays below training's)")


def gpu_hours_shares(run) -> list[float]:
    """Each phase's share of the GPU-hours held (serving reservations whole); NaN when none."""
    held = [float(run.summary.loc[p, "gpu_hours"]) for p in SERIES[:3]]
    return [h / sum(held) if sum(held) > 0 else math.nan for h in held]


def _idle_gpu_hours(run) -> float:
    a = run.summary_attrs
    held = sum(float(run.summary.loc[p, "gpu_hours"]) for p in SERIES[:3])
    return a.get("idle_gpu_hours", max(0.0, a["total_gpus"] * HOURS.of(a["makespan_s"]) - held))


def _utilization(run) -> str:
    a = run.summary_attrs
    if a["total_gpus"] == 0:
        return "no GPUs (the scenario has no platform)"
    text = f"{a['mean_utilization']:.1%} of {a['total_gpus']} GPUs"
    active = a.get("mean_activity_utilization", math.nan)
    serving = bool((run.deployments["kind"] == "serving").any()) if len(run.deployments) else False
    if serving and math.isfinite(active):
        text += f" reserved; {active:.1%} active (serving GPUs at their replicas' load)"
    return text


def _equivalents(run) -> str:
    lbs = LBS.of(run.summary_attrs["co2_g"])
    rows = [(name, num(each, 0), num(lbs / each, None, key=name)) for name, each in EQUIVALENTS]
    intro = (f"<p>Total CO2e {number(lbs, 1)} {LBS}, compared with the figures of Strubell, Ganesh "
             "&amp; McCallum (2019), Table 1.</p>")
    return section("equivalents", "Equivalents", intro,
                   table(["comparison", f"{LBS} CO2e each", "this run equals"], rows))


def _plots(run) -> str:
    source = "from the trace" if derived.from_trace(run) else f"derived from {JOBS}"
    figures = [
        (plots.emissions_over_time, "CO2e per bin by series, with the bins' grid intensity"),
        (plots.cumulative_by_phase, "Cumulative CO2e by series; inference crossover when any"),
    ]
    if len(run.clusters) > 0:  # a run without a platform (fleets only) has no GPU to plot
        figures += [
            (plots.utilization, f"GPU utilization per cluster and queue length ({source})"),
            (plots.job_timeline, "Jobs per host, coloured by campaign"),
        ]
    return section("plots", "Plots", *(png_figure(p, caption, run) for p, caption in figures))


# Campaign tables: (header, /campaigns column, decimals, display factor).
CAMPAIGN_COLUMNS = [("trials", "trials_started", 0, 1), ("jobs", "jobs", 0, 1),
                    ("GPU-hours", "gpu_hours", 1, 1),
                    (f"facility {KWH}", "energy_j", 2, KWH.factor),
                    (f"{KG} CO2e", "co2_g", 2, KG.factor), ("cost", "cost", 2, 1),
                    (f"mean wait ({HOURS})", "mean_wait_s", 2, HOURS.factor)]
SEARCH_COLUMNS = [("configurations", "trials_started", 0, 1), ("completed", "completed", 0, 1),
                  ("stopped early", "stopped_early", 0, 1), ("GPU-hours", "gpu_hours", 1, 1),
                  ("full-budget GPU-hours", "full_budget_gpu_hours", 1, 1),
                  ("saved GPU-hours", "saved_gpu_hours", 1, 1), ("best score", "best_score", 4, 1)]
FAILURE_COLUMNS = [("jobs", "jobs", 0, 1), ("crashes", "crashes", 0, 1),
                   ("failed", "failed", 0, 1), ("unfinished", "unfinished", 0, 1),
                   ("wasted GPU-hours", "wasted_gpu_hours", 1, 1),
                   (f"wasted {KG} CO2e", "wasted_co2_g", 2, KG.factor)]


def _campaign_table(c, columns, texts, table_id, currency) -> str:
    rows = []
    for name, r in c.iterrows():
        cells = [name] + [r[k] if isinstance(r[k], str) and r[k] else "—" for k in texts]
        cells += [num(r[k], digits, factor, campaign=name, field=k)
                  for _, k, digits, factor in columns]
        rows.append(cells)
    headers = ["campaign", *texts, *(f"cost ({currency})" if k == "cost" else h
                                     for h, k, *_ in columns)]
    return table(headers, rows, table_id=table_id)


def _campaigns(run, top=10) -> str:
    if len(run.campaigns) == 0:  # a scenario of deployments only
        return ""
    c = run.campaigns.sort_values("co2_g", ascending=False).head(top)
    currency = run.summary_attrs.get("currency", "")
    lifecycle = "search" in c  # older files: phase and job aggregates only
    texts = ["phase"] + [k for k in ("stage", "search") if lifecycle and (c[k] != "").any()]
    columns = [col for col in CAMPAIGN_COLUMNS if col[1] in c]
    parts = [_campaign_table(c, columns, texts, "campaigns-table", currency),
             f'<p class="note">{len(c)} of {len(run.campaigns)} campaigns, by CO2e, from '
             f"{CAMPAIGNS} (cost: the sum over the campaign's {JOBS} rows). Trials: configurations "
             "for searches; wait = start − submit, over the jobs.</p>"]
    searches = c[c["search"] != "independent"] if lifecycle else c.iloc[:0]
    if len(searches):
        parts += ["<h3>Searches</h3>",
                  _campaign_table(searches, SEARCH_COLUMNS, ["search"], "searches-table",
                                  currency),
                  '<p class="note">Saved GPU-hours = full budget (every configuration trained '
                  "to the maximum budget) − GPU-hours spent.</p>"]
    failing = c[(c[["crashes", "failed", "unfinished", "wasted_gpu_hours"]] > 0).any(axis=1)] \
        if lifecycle else c.iloc[:0]
    if len(failing):
        parts += ["<h3>Crashes and failures</h3>",
                  _campaign_table(failing, FAILURE_COLUMNS, [], "failures-table", currency),
                  '<p class="note">Crashes: attempts ended by a crash or a node failure; failed: '
                  "trials with no retry left (or over their walltime); wasted: the work a crash "
                  "lost since the last checkpoint.</p>"]
    return section("campaigns", "Campaigns", *parts)


def _when(run, seconds) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "—"
    return f"{run.utc([seconds])[0]:%Y-%m-%d %H:%M}"


def _deployments(run) -> str:
    d = run.deployments
    if len(d) == 0:
        return ""
    parts = []
    serving, fleets = d[d["kind"] == "serving"], d[d["kind"] == "fleet"]
    common = ["deployment", "start (UTC)", "end (UTC)", f"facility {KWH}", f"{KG} CO2e"]

    def first(name, r):
        return [name, _when(run, r["start_s"]), _when(run, r["end_s"]),
                num(r["energy_j"], 2, KWH.factor, deployment=name, field="energy_j"),
                num(r["co2_g"], 2, KG.factor, deployment=name, field="co2_g")]

    if len(serving):
        fields = [("requests", 0, 1), ("served", 0, 1), ("dropped", 0, 1), ("late", 0, 1),
                  ("replica_hours", 1, 1), ("max_replicas", 0, 1), ("wh_per_request", 4, 1),
                  ("co2_g_per_request", 4, 1)]
        headers = common + ["requests", "served", "dropped", "late", "replica-hours",
                            "max replicas", f"{WH} / request", "g CO2e / request"]
        if "activity_utilization" in serving:  # files from before the utilizations lack them
            fields += [("reserved_gpus", 0, 1), ("reserved_utilization", 1, PERCENT.factor),
                       ("activity_utilization", 1, PERCENT.factor)]
            headers += ["reserved GPUs", f"reserved ({PERCENT})", f"active ({PERCENT})"]
        rows = [first(n, r) + [num(r[k], digits, factor, deployment=n, field=k)
                               for k, digits, factor in fields] for n, r in serving.iterrows()]
        parts += ["<h3>Serving</h3>", table(headers, rows, table_id="serving-table")]
        parts += llm_serving_table(serving)
    if len(fleets):
        fields = [("vehicles_end", 0, 1), ("vehicle_days", 1, 1), ("driving_hours", 1, 1),
                  ("onboard_energy_j", 2, KWH.factor), ("fuel_l", 1, 1), ("updates", 0, 1)]
        rows = [first(n, r) + [num(r[k], digits, factor, deployment=n, field=k)
                               for k, digits, factor in fields] for n, r in fleets.iterrows()]
        headers = common + ["vehicles at the end", "vehicle-days", "driving hours",
                            f"on-board {KWH}", "fuel (L)", "model updates"]
        parts += ["<h3>Fleets</h3>", table(headers, rows, table_id="fleet-table")]
    note = (f'<p class="note">From {DEPLOYMENTS}. Serving: facility energy of the replicas (IT × '
            "PUE); reserved: the share of the reservation's GPU-time replicas held, active: "
            "the share they spent serving; fleets: grid-side charging energy (ev) or on-board "
            "energy from fuel (ice). Both are in the inference series.</p>")
    return section("deployments", "Deployments", *parts, note)


def write_report(run_path, html_path) -> str:
    """One self-contained HTML page for a run file."""
    run = load_run(run_path)
    a = run.attrs
    meta = (f'<p class="meta">{esc(os.path.basename(run.path))} · mlcycle '
            f"{esc(a.get('mlcycle_version', '?'))} on SimGrid {esc(a.get('simgrid_version', '?'))}"
            f" · {esc(a.get('engine', '?'))} engine · seed {esc(a.get('seed', '?'))} · "
            f"start {esc(a.get('start_utc', '?'))}</p>")
    body = "\n".join(part for part in (meta, _summary(run), _key_numbers(run), _equivalents(run),
                                        _plots(run), _campaigns(run), _deployments(run)) if part)
    return write(html_path, page(f"mlcycle report: {scenario_name(run)}", body))


# Deployment results of a sweep's runs (header, column, decimals, factor): shown when some run
# has them, so a point whose service dropped requests shows without opening its file.
DEPLOYMENT_RESULTS = [("served", "requests_served", 0, 1), ("dropped", "requests_dropped", 0, 1),
                      ("late", "requests_late", 0, 1), (f"{WH} / request", "wh_per_request", 4, 1),
                      ("g CO2e / request", "co2_g_per_request", 4, 1),
                      ("J / output token", "j_per_output_token", 3, 1),
                      ("vehicle-days", "vehicle_days", 1, 1)]


def _runs_table(sweep, limit=1000) -> str:
    runs, varied = sweep.runs, sweep.varied
    extra = [c for c in DEPLOYMENT_RESULTS if c[1] in runs and runs[c[1]].notna().any()]
    headers = ["point_id", *varied, "seed", "status", f"{KG} CO2e", f"facility {KWH}", "cost",
               f"makespan ({HOURS})", f"utilization ({PERCENT})", *(h for h, *_ in extra),
               "error"]
    rows = []
    for r in runs.head(limit).to_dict("records"):
        rows.append([r["point_id"], *(r[k] for k in varied), r["seed"], r["status"],
                     num(r["co2_g_total"], 3, KG.factor, field="co2_g_total",
                         point_id=r["point_id"]),
                     num(r["energy_j_total"], 3, KWH.factor, field="energy_j_total"),
                     num(r["cost"], 4, field="cost"), num(r["makespan_s"], 2, HOURS.factor),
                     num(r["mean_utilization"], 1, PERCENT.factor),
                     *(num(r[k], digits, factor, field=k) for _, k, digits, factor in extra),
                     r["error"]])
    note = "" if len(runs) <= limit else f'<p class="note">First {limit} of {len(runs)} runs.</p>'
    return section("runs", "Runs", table(headers, rows, table_id="runs-table"), note)


def _aggregates_table(sweep) -> str:
    """Per point: total CO2e mean and 95% interval over replicates (from /aggregates)."""
    table_, varied = sweep.aggregates, sweep.varied
    if table_ is None:
        return ""
    rows = [[r["point"], *(r[k] for k in varied), r["n_done"],
             *(num(r[f"co2_g_total_{s}"], 3, KG.factor, field=f"co2_g_total_{s}")
               for s in ("mean", "ci95_low", "ci95_high"))] for r in table_.to_dict("records")]
    headers = ["point", *varied, "done runs", f"{KG} CO2e mean", "95% low", "95% high"]
    return section("aggregates", "Points (mean over replicates)", table(headers, rows))


def write_sweep_report(sweep_dir, html_path) -> str:
    """One self-contained HTML page for a sweep directory: the runs and the sweep plots."""
    sweep = load_sweep(sweep_dir)
    a, varied = sweep.attrs, sweep.varied
    name = os.path.splitext(os.path.basename(str(a.get("scenario", "sweep"))))[0]
    facts = [("scenario", a.get("scenario")), ("points", a.get("points")),
             ("replicates", a.get("replicates")), ("runs", a.get("runs")),
             ("failed", a.get("failed")), ("base seed", a.get("base_seed")),
             ("varied keys", ", ".join(varied) or "none")]
    summary = section("summary", "Sweep", table(["attribute", "value"],
                                                [(k, Cell(v, key=k)) for k, v in facts]),
                      f"<pre>{esc(a.get('definition', ''))}</pre>")
    figures = []
    if varied:
        for column, text in (("co2_g_total", "Total CO2e"), ("energy_j_total", "Total energy"),
                             ("cost", "Electricity cost")):
            figures.append(png_figure(plots.sweep_headline, f"{text} per varied key", sweep,
                                      column))
    if len(varied) >= 2:
        figures.append(png_figure(plots.sweep_heatmap, f"Total CO2e over {varied[0]} × "
                                  f"{varied[1]}", sweep, varied[0], varied[1], "co2_g_total"))
    plots_section = section("plots", "Plots", *figures) if figures else ""
    body = "\n".join([f'<p class="meta">{esc(sweep.directory)} · mlcycle '
                      f"{esc(a.get('mlcycle_version', '?'))}</p>", summary,
                      _aggregates_table(sweep), _runs_table(sweep), plots_section])
    return write(html_path, page(f"mlcycle sweep report: {name}", body))
