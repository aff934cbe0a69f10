"""Temporal shifting of deferrable jobs (a campaign's `shift = {...}`), end to end: when held
jobs start, what they emit, and what `/policy` and the printed policy block report, against
hand-computed oracles; energy is still conserved with the waits, also under the exec engine;
the counterfactual in `/policy` is exactly a plain run of the scenario without its shifts; a
search's held trial keeps its first ready time. The saving-within-the-bound runs are in
test_carbon_aware_bounds.py, suspend-resume in test_carbon_aware_suspend.py, the bad `shift`
tables in bad_cases_scenario.py.

    /usr/bin/python3 -m pytest tests/cli/test_carbon_aware.py --mlcycle PATH

Needs h5py and numpy (Debian's /usr/bin/python3).
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SOURCE_DIR, expect, expect_close, expect_success,  # noqa: E402
                         import_hdf5_stack, run_mlcycle)

# 2 nodes x 1 GPU, wattage_per_state 20:20:100, no overhead, PUE 1, region "r": a job on one
# GPU draws k (A + O) / c = 1 x (100 + 0) / 1 = 100 W (docs/model.md), 0.1 kWh per hour.
POWER_STATES = SOURCE_DIR / "tests" / "data" / "power-states.xml"
# 2 hosts x 2 GPUs, 10:20:100, overhead 5 W, PUE 1.5, region "r": a job on one GPU draws
# (100 + 5) / 2 = 52.5 W of IT power, 52.5 x 1.5 = 78.75 W at the facility.
TWO_HOSTS = SOURCE_DIR / "tests" / "data" / "two-hosts.xml"

# Three steps: 400 g/kWh over 0-2 h, 100 over 2-5 h, then 300 (held on by hold = "edges").
STEPS_CSV = ("timestamp,carbon_intensity_g_per_kwh\n2020-01-01T00:00:00Z,400\n"
             "2020-01-01T02:00:00Z,100\n2020-01-01T05:00:00Z,300\n")
TRACE = 'kind = "trace"\nfile = "grid.csv"\nhold = "edges"'


def scenario(platform, grid, *campaigns, start="2020-01-01T00:00:00Z", seed=3, horizon=None):
    text = (f'[simulation]\nstart = {start}\nseed = {seed}\nplatform = "{platform}"\n' +
            (f'horizon = "{horizon}"\n' if horizon else "") + f"\n[grid.r]\n{grid}\n")
    return text + "".join(f"\n[[campaign]]\n{c}\n" for c in campaigns)


def run(mlcycle, tmp, text, name, *options, csv=STEPS_CSV):
    (tmp / "grid.csv").write_text(csv)
    (tmp / f"{name}.toml").write_text(text)
    out = tmp / f"{name}.h5"
    result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", out.name, *options], cwd=tmp)
    expect_success(result, f"run {name}")
    expect(out.is_file(), f"{out} was not written", result)
    return out, result


def read(out):
    """(/jobs rows, /policy attributes, /summary attributes) of a trace."""
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        expect("policy" in f, f"{out}: no /policy group, though a campaign shifts")
        return f["jobs"][()], dict(f["policy"].attrs), dict(f["summary"].attrs)


def expect_policy(policy, **expected):
    for key, value in expected.items():
        expect_close(policy[key], value, f"/policy {key}", rel=1e-12, abs_tol=1e-9)


def two_trials(shift, submit_at=0, policy='"threshold"'):
    return (f'name = "deferrable"\ntrials = 2\nlength = {{ fixed = "1h" }}\n'
            f'submit_at = {submit_at}\nshift = {{ policy = {policy}, {shift} }}')


# (id, shift keys, ready s, start s, g per job, g per job in the baseline, its bound). Both 1-h
# jobs run side by side on the two GPUs; one emits 0.1 kWh x intensity.
THRESHOLD_CASES = [
    # 0.1 kg/kWh = 100 g/kWh, reached at 2 h (at, not below: it counts): 0.1 x 100 = 10 g,
    # against 0.1 x 400 = 40 g at once; the best start in [0, 24 h] is in that valley (10 g).
    ("reached", 'threshold = "0.1 kg/kWh", slack = "24h"', 0, 7200, 10.0, 40.0, 10.0),
    # Never at or below 50 g/kWh: the start is ready + slack = 6 h, at 300 (30 g); the bound
    # still finds the valley (10 g).
    ("never-reached", 'threshold = 50, slack = "6h"', 0, 21600, 30.0, 40.0, 10.0),
    # Ready at 5.5 h: the look-back window is the 2 h before the hour it became ready,
    # [3 h, 5 h], all at 100, so its 80th percentile is 100; from 5 h on it is 300, never
    # <= 100, so the start is 5.5 h + 6 h = 41,400 s (a window ending at the ready time,
    # [3.5 h, 5.5 h], would hold 300 for 0.5 h of 2 h, give a threshold of 300 and an
    # immediate start). Every start in [5.5 h, 11.5 h] emits 30 g.
    ("percentile", 'threshold_percentile = 80, lookback = "2h", slack = "6h"', 19800, 41400,
     30.0, 30.0, 30.0),
]


@pytest.mark.title("carbon aware: threshold {}")
@pytest.mark.parametrize("case", THRESHOLD_CASES, ids=[c[0] for c in THRESHOLD_CASES])
def test_threshold(mlcycle, tmp, case):
    name, shift, ready_s, start_s, job_g, baseline_g, bound_g = case
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, TRACE, two_trials(shift, ready_s)), name)
    jobs, policy, _ = read(out)
    expect(len(jobs) == 2, f"/jobs has {len(jobs)} rows, expected 2")
    for job in jobs:
        # /jobs keeps the ready time as submit_s, so wait_s includes the hold.
        expect(job["submit_s"] == ready_s and job["start_s"] == start_s and
               job["wait_s"] == start_s - ready_s and job["end_s"] == start_s + 3600,
               f"trial {job['trial']}: submit, start, wait, end {job['submit_s']}, "
               f"{job['start_s']}, {job['wait_s']}, {job['end_s']}; expected ready {ready_s}, "
               f"start {start_s}")
        expect_close(job["it_energy_j"], 100 * 3600.0, "job IT energy: 100 W for 1 h")
        expect_close(job["co2_g"], job_g, f"trial {job['trial']} co2_g")
    delay_h = (start_s - ready_s) / 3600  # the baseline starts both at once, at ready
    expect_policy(policy, policy_jobs_co2_g=2 * job_g, baseline_jobs_co2_g=2 * baseline_g,
                  bound_jobs_co2_g=2 * bound_g,
                  saving_pct=100 * (baseline_g - job_g) / baseline_g,
                  bound_saving_pct=100 * (baseline_g - bound_g) / baseline_g,
                  deferrable_jobs=2, deadline_misses=0, trials_compared=2,
                  delay_mean_h=delay_h, delay_p95_h=delay_h, delay_max_h=delay_h)


@pytest.mark.title("carbon aware: held jobs hold no GPUs")
def test_held_jobs_hold_no_gpus(mlcycle, tmp):
    # The deferrable campaign comes first in the FIFO queue, but while its two jobs are held
    # (until 2 h, as in "reached") the two GPUs go to the urgent campaign at once.
    urgent = 'name = "urgent"\ntrials = 2\nlength = { fixed = "1h" }'
    text = scenario(POWER_STATES, TRACE, two_trials('threshold = 200, slack = "24h"'), urgent)
    out, _ = run(mlcycle, tmp, text, "held")
    jobs, policy, _ = read(out)
    starts = sorted((int(j["campaign"]), float(j["start_s"])) for j in jobs)
    expect(starts == [(0, 7200.0), (0, 7200.0), (1, 0.0), (1, 0.0)],
           f"(campaign, start_s) {starts}: expected the urgent jobs at 0, the held ones at 2 h")
    # Only the deferrable jobs count: 2 x 10 g now; in the baseline they took the GPUs at 0
    # (2 x 40 g) and the urgent jobs waited.
    expect_policy(policy, policy_jobs_co2_g=20.0, baseline_jobs_co2_g=80.0, deferrable_jobs=2,
                  saving_pct=75.0)


# forecast-min: 300 g/kWh over 0-2 h, 200 to 3.25 h, 400 to 5 h, 100 to 6 h, then 350.
FORECAST_CSV = ("timestamp,carbon_intensity_g_per_kwh\n2020-01-01T00:00:00Z,300\n"
                "2020-01-01T02:00:00Z,200\n2020-01-01T03:15:00Z,400\n"
                "2020-01-01T05:00:00Z,100\n2020-01-01T06:00:00Z,350\n")


@pytest.mark.title("carbon aware: forecast-min {} is the bound")
@pytest.mark.parametrize("forecast", ['forecast = "perfect"',
                                      'forecast = "noisy", forecast_error = 0'],
                         ids=["perfect", "noisy-zero-error"])
def test_forecast_min_perfect(mlcycle, tmp, forecast):
    # 3 trials of 2 h ready at 0, 1 h and 2 h (rate 1/h), slack 3 h, on 4 GPUs: capacity never
    # binds. F(s) = integral of the intensity over [s, s + 2 h] in g h/kWh, linear between
    # kinks (s or s + 2 h on a step):
    #   s in [0, 1.25]:  300 (2 - s) + 200 s                          = 600 - 100 s
    #   s in [1.25, 2]:  300 (2 - s) + 200 x 1.25 + 400 (s - 1.25)    = 350 + 100 s
    #   s in [2, 3]:     200 (3.25 - s) + 400 (s - 1.25)              = 150 + 200 s
    #   s in [3, 3.25]:  200 (3.25 - s) + 400 x 1.75 + 100 (s - 3)    = 1050 - 100 s
    #   s in [3.25, 4]:  400 (5 - s) + 100 (s - 3)                    = 1700 - 300 s
    #   s in [4, 5]:     400 (5 - s) + 100 + 350 (s - 4)              = 700 - 50 s
    # Ready 0, s in [0, 3]: min F(1.25 h) = 475 (the job ends on the 3.25 h step).
    # Ready 1 h, s in [1, 4]: F(1.25) = 475 < F(4) = 500: 1.25 h again.
    # Ready 2 h, s in [2, 5]: F(2) = 550, F(4) = 500, F(5) = 450: 5 h, the window's end.
    # A job emits 52.5 W x 1.5 x F / 1000 = 0.07875 x F g: 37.40625, 37.40625, 35.4375.
    campaign = ('name = "deferrable"\ntrials = 3\nlength = { fixed = "2h" }\n'
                'arrival = { pattern = "rate", rate_per_hour = 1 }\n'
                f'shift = {{ policy = "forecast-min", {forecast}, slack = "3h" }}')
    out, _ = run(mlcycle, tmp, scenario(TWO_HOSTS, TRACE, campaign), "perfect", csv=FORECAST_CSV)
    jobs, policy, _ = read(out)
    got = sorted((float(j["submit_s"]), float(j["start_s"]), float(j["co2_g"])) for j in jobs)
    want = [(0.0, 4500.0, 37.40625), (3600.0, 4500.0, 37.40625), (7200.0, 18000.0, 35.4375)]
    expect(len(got) == 3 and all(g[:2] == w[:2] for g, w in zip(got, want)),
           f"(submit_s, start_s) {[g[:2] for g in got]}, expected {[w[:2] for w in want]}")
    for g, w in zip(got, want):
        expect_close(g[2], w[2], f"co2_g of the job ready at {w[0]} s")
    # Perfect forecast, exact length, free capacity: every job at its best start, the bound.
    # Baseline: F(0) + F(1) + F(2) = 600 + 500 + 550 = 1650; policy 475 + 475 + 450 = 1400.
    expect_close(policy["policy_jobs_co2_g"], policy["bound_jobs_co2_g"], "policy vs bound")
    expect_close(policy["saving_pct"], policy["bound_saving_pct"], "saving_pct vs bound_saving_pct")
    expect_policy(policy, policy_jobs_co2_g=0.07875 * 1400, bound_jobs_co2_g=0.07875 * 1400,
                  baseline_jobs_co2_g=0.07875 * 1650, saving_pct=100 * 250 / 1650,
                  deadline_misses=0, deferrable_jobs=3)


@pytest.mark.title("carbon aware: forecast-min persistence")
def test_forecast_min_persistence(mlcycle, tmp):
    # Day 1 dips to 100 g/kWh over 2-3 h, day 2 to 50 over 29-30 h, 400 elsewhere (fill holds
    # each value across the long gap). Ready at 24 h with 8 h of slack, persistence forecasts
    # t from t - 24 h: the dip it sees is at 26 h, where the grid is 400 in fact: 0.1 kWh x 400
    # = 40 g, no better than starting at once. The bound starts at 29 h: 0.1 x 50 = 5 g.
    csv = ("timestamp,carbon_intensity_g_per_kwh\n2020-01-01T00:00:00Z,400\n"
           "2020-01-01T02:00:00Z,100\n2020-01-01T03:00:00Z,400\n"
           "2020-01-02T05:00:00Z,50\n2020-01-02T06:00:00Z,400\n")
    campaign = two_trials('forecast = "persistence", slack = "8h"', '"24h"', '"forecast-min"')
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, TRACE + '\nfill = "previous"', campaign),
                 "persistence", csv=csv)
    jobs, policy, _ = read(out)
    expect(list(jobs["start_s"]) == [93600.0, 93600.0], f"starts {list(jobs['start_s'])}, "
                                                        "expected 26 h")
    expect_policy(policy, policy_jobs_co2_g=80.0, baseline_jobs_co2_g=80.0, bound_jobs_co2_g=10.0,
                  saving_pct=0.0, bound_saving_pct=87.5)


@pytest.mark.title("carbon aware: forecast-min weighs the PUE")
def test_forecast_min_weighs_pue(mlcycle, tmp):
    # A constant 300 g/kWh, a PUE of 1.5 but 1.1 over 3-4 h UTC: forecast-min minimises
    # PUE x intensity, so both 1-h jobs (ready at 0, slack 6 h) start at 3 h: 100 W x 1 h x 1.1
    # = 0.11 kWh, x 300 = 33 g, against 0.15 x 300 = 45 g at once.
    pue = "[pue.p]\nhourly = [" + ", ".join(["1.1" if h == 3 else "1.5" for h in range(24)])
    grid = f'intensity_g_per_kwh = 300\n\n{pue}]\n\n[accounting]\npue = "p"'
    campaign = two_trials('slack = "6h"', policy='"forecast-min"')
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, grid, campaign), "pue")
    jobs, policy, _ = read(out)
    expect(list(jobs["start_s"]) == [10800.0, 10800.0], f"starts {list(jobs['start_s'])}")
    for job in jobs:
        expect_close(job["co2_g"], 33.0, "co2_g of a job at PUE 1.1")
    expect_policy(policy, policy_jobs_co2_g=66.0, bound_jobs_co2_g=66.0, baseline_jobs_co2_g=90.0)


@pytest.mark.title("carbon aware: conservation with waits")
def test_conservation_with_waits(mlcycle, tmp):
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, TRACE, two_trials(THRESHOLD_CASES[0][1])),
                 "waits")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        totals = conservation.check_file(f)  # jobs + idle = bins = series = hosts
    # Policy run: both nodes idle (2 x 20 W) at 400 g/kWh for 2 h: 0.08 kWh, 32 g; then both
    # busy (2 x 100 W) at 100 for 1 h: 0.2 kWh, 20 g. 52 g, 0.28 kWh = 1,008,000 J, 3 h.
    # Baseline: both busy at 400 for 1 h: 80 g, 0.2 kWh = 720,000 J, 1 h; nothing idles.
    expect_close(totals["co2_g"], 52.0, "CO2e of the trace")
    expect_close(totals["energy_j"], 1008000.0, "energy of the trace")
    _, policy, _ = read(out)
    expect_policy(policy, policy_co2_g=52.0, baseline_co2_g=80.0, policy_energy_j=1008000.0,
                  baseline_energy_j=720000.0, policy_makespan_s=10800.0,
                  baseline_makespan_s=3600.0, total_saving_pct=100 * 28 / 80,
                  energy_change_pct=100 * 288000 / 720000)


# A search's trial is one job, ready when the worker asks for it (at 0 here), held like any
# other: (id, grid, shift keys, start s, g). Constant 300 g/kWh, never <= 50: the start is
# ready + slack = 6 h, 0.1 kWh x 300 = 30 g. Falling steps (400, 300 from 6 h, 200 from 12 h,
# 100 from 18 h): the best 1-h start in [0, 8 h] is 6 h (300 x 1 h; ties go to the earliest).
FALLING_CSV = ("timestamp,carbon_intensity_g_per_kwh\n2020-01-01T00:00:00Z,400\n"
               "2020-01-01T06:00:00Z,300\n2020-01-01T12:00:00Z,200\n"
               "2020-01-01T18:00:00Z,100\n")
SEARCH_CASES = [
    ("threshold", "intensity_g_per_kwh = 300", 'policy = "threshold", threshold = 50, '
     'slack = "6h"', 21600, 30.0),
    ("forecast-min", TRACE, 'policy = "forecast-min", expected_length = "1h", slack = "8h"',
     21600, 30.0),
]
# A search submits a trial when a worker asks for one; a held trial keeps the time of that first
# ask, so its slack runs from there (it was once remade at every wake-up and never started).


@pytest.mark.title("carbon aware: search trial {} within its slack")
@pytest.mark.parametrize("case", SEARCH_CASES, ids=[c[0] for c in SEARCH_CASES])
def test_search_trial_within_slack(mlcycle, tmp, case):
    name, grid, shift, start_s, job_g = case
    campaign = ('name = "search"\nsearch = { kind = "random", configurations = 1, '
                f'max_budget = 1, hours_per_epoch = 1 }}\nshift = {{ {shift} }}')
    # The horizon ends the run that would otherwise hold the trial for ever.
    text = scenario(POWER_STATES, grid, campaign, horizon="3d")
    out, _ = run(mlcycle, tmp, text, name, csv=FALLING_CSV)
    jobs, policy, _ = read(out)
    expect(len(jobs) == 1 and jobs[0]["submit_s"] == 0 and jobs[0]["start_s"] == start_s and
           jobs[0]["wait_s"] == start_s, f"(submit_s, start_s, wait_s) "
           f"{[(j['submit_s'], j['start_s'], j['wait_s']) for j in jobs]}, expected "
           f"(0, {start_s}, {start_s})")
    expect_policy(policy, policy_jobs_co2_g=job_g, deadline_misses=0)


# An urgent campaign and a deferrable one sharing 4 GPUs, with draws everywhere: Poisson
# arrivals, uniform and lognormal lengths, crashes and retries, a noisy forecast.
MIXED_CAMPAIGNS = (
    'name = "urgent"\ntrials = 12\nlength = { distribution = "uniform", min_h = 1, max_h = 5 }\n'
    'arrival = { pattern = "rate", rate_per_hour = 0.5, poisson = true }',
    'name = "deferrable"\ntrials = 20\n'
    'length = { distribution = "lognormal", median_h = 2, sigma = 0.7 }\n'
    'arrival = { pattern = "rate", rate_per_hour = 1, poisson = true }\n'
    'failures = { crash_probability = 0.2 }\n'
    'shift = { policy = "forecast-min", forecast = "noisy", forecast_error = 0.25, '
    'slack = "16h" }')
SOLAR = 'kind = "synthetic"\nmodel = "solar-heavy"'


def last_ends(jobs):
    """Completion of each trial of campaign 1 (its last attempt's end)."""
    ends = {}
    for job in jobs[jobs["campaign"] == 1]:
        ends[int(job["trial"])] = max(ends.get(int(job["trial"]), 0.0), float(job["end_s"]))
    return ends


@pytest.mark.title("carbon aware: the baseline is the policy-off run")
def test_baseline_is_the_policy_off_run(mlcycle, tmp):
    shifted = scenario(TWO_HOSTS, SOLAR, *MIXED_CAMPAIGNS, start="2021-06-01T00:00:00Z", seed=19)
    plain = shifted.replace(MIXED_CAMPAIGNS[1][MIXED_CAMPAIGNS[1].index("shift"):], "")
    expect("shift" not in plain, "the policy-off scenario still shifts")
    jobs, policy, summary = read(run(mlcycle, tmp, shifted, "shifted")[0])
    h5py, _ = import_hdf5_stack()
    with h5py.File(run(mlcycle, tmp, plain, "plain")[0], "r") as f:
        expect("policy" not in f, "a run without shifts has no /policy")
        plain_jobs, plain_summary = f["jobs"][()], dict(f["summary"].attrs)
    expect((jobs["attempt"] > 0).any(), "the scenario should retry some crashed jobs")
    # Same scenario, same seed, policies off: the same run, to the bit or nearly.
    deferrable = [float(x) for x in plain_jobs[plain_jobs["campaign"] == 1]["co2_g"]]
    for key, value in (("baseline_co2_g", plain_summary["co2_g"]),
                       ("baseline_energy_j", plain_summary["energy_j"]),
                       ("baseline_makespan_s", plain_summary["makespan_s"]),
                       ("baseline_jobs_co2_g", sum(deferrable)),
                       ("policy_co2_g", summary["co2_g"]),
                       ("policy_energy_j", summary["energy_j"]),
                       ("policy_makespan_s", summary["makespan_s"]),
                       ("policy_jobs_co2_g", sum(jobs[jobs["campaign"] == 1]["co2_g"]))):
        expect_close(policy[key], value, f"/policy {key}", rel=1e-12)
    # Added completion delay per trial, policy minus baseline; p95 by nearest rank.
    mine, theirs = last_ends(jobs), last_ends(plain_jobs)
    delays = sorted((mine[t] - theirs[t]) / 3600 for t in mine if t in theirs)
    expect(policy["trials_compared"] == len(delays) == 20, f"trials_compared {policy}")
    rank = -(-95 * len(delays) // 100)  # ceil(0.95 n): at least 95 % at or below it
    expect_policy(policy, delay_mean_h=sum(delays) / len(delays), delay_max_h=delays[-1],
                  delay_p95_h=delays[rank - 1])
    misses = sum(j["start_s"] > j["submit_s"] + 16 * 3600 for j in jobs[jobs["campaign"] == 1])
    expect(policy["deadline_misses"] == misses, f"deadline_misses {policy['deadline_misses']}, "
                                                f"/jobs has {misses} starts after ready + slack")


@pytest.mark.title("carbon aware: exec engine")
def test_exec_engine(mlcycle, tmp):
    exec_engine = ("--set", "simulation.engine=exec")
    # The hand case under exec: the same starts and CO2e; the plugin sees the idle wait.
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, TRACE, two_trials(THRESHOLD_CASES[0][1])),
                 "hand", *exec_engine)
    jobs, policy, summary = read(out)
    expect(list(jobs["start_s"]) == [7200.0, 7200.0], f"exec starts {list(jobs['start_s'])}")
    expect_policy(policy, policy_jobs_co2_g=20.0, baseline_jobs_co2_g=80.0, policy_co2_g=52.0)
    # Waits the queue makes on top of the holds (one job at a time), against the analytic run.
    text = scenario(TWO_HOSTS, SOLAR, MIXED_CAMPAIGNS[1] + "\nmax_concurrent = 1",
                    start="2021-06-01T00:00:00Z", seed=19)
    runs = {}
    h5py, _ = import_hdf5_stack()
    for name, options in (("exec", exec_engine), ("analytic", ())):
        with h5py.File(run(mlcycle, tmp, text, name, *options)[0], "r") as f:
            conservation.check_file(f)
            runs[name] = (f["jobs"][()], dict(f["policy"].attrs), dict(f["summary"].attrs))
    for name, (_, _, attrs) in (("hand", (jobs, policy, summary)), ("exec", runs["exec"])):
        diff = float(attrs["simgrid_plugin_max_rel_diff"])
        expect(0 <= diff < 1e-9, f"{name}: SimGrid plugin vs meter, max rel. diff {diff}")
    (exec_jobs, exec_policy, _), (jobs, policy, _) = runs["exec"], runs["analytic"]
    expect(list(exec_jobs["start_s"]) == list(jobs["start_s"]), "exec and analytic starts differ")
    expect(exec_policy["deadline_misses"] > 0, "max_concurrent = 1 should hold jobs past slack")
    for key, value in policy.items():
        expect_close(exec_policy[key], value, f"exec vs analytic /policy {key}", abs_tol=1e-9)


@pytest.mark.title("carbon aware: policy block printed")
def test_policy_block_printed(mlcycle, tmp):
    text = scenario(POWER_STATES, TRACE, two_trials(THRESHOLD_CASES[0][1]))
    _, result = run(mlcycle, tmp, text, "printed")
    lines = result.stdout.splitlines()
    at = [i for i, line in enumerate(lines) if line.startswith("  policy")]
    expect(len(at) == 1, "one line of the summary starts with '  policy'", result)
    block = "\n".join(lines[at[0]:at[0] + 4])
    # 2 jobs; 0.08 kg, 0.02 kg and the bound 0.02 kg; 75 % of at most 75 %; whole run 35 %,
    # energy +40 %; each trial done 2 h later; no late start in either pass.
    for needle in ("jobs under policy 2", "baseline 0.080, policy 0.020, bound 0.020",
                   "saving 75.0 % of at most 75.0 %", "whole run (idle included) 35.0 %",
                   "energy +40.0 %", "mean 2.00, p95 2.00, max 2.00 (2 trials)",
                   "started after ready + slack: 0 jobs (baseline 0)"):
        expect(needle in block, f"the policy block lacks {needle!r}:\n{block}", result)
    quiet = run(mlcycle, tmp, text, "quiet", "--quiet")[1]
    expect(quiet.stdout == "", "--quiet prints no policy block", quiet)
    # `mlcycle info` reads /policy back and prints the same block.
    out = tmp / "printed.h5"
    info = run_mlcycle(mlcycle, ["info", out.name], cwd=tmp)
    expect_success(info, "info printed.h5")
    info_lines = info.stdout.splitlines()
    info_at = [i for i, line in enumerate(info_lines) if line.startswith("  policy")]
    expect(len(info_at) == 1, "info prints one policy block", info)
    expect("\n".join(info_lines[info_at[0]:info_at[0] + 4]) == block,
           f"info's policy block differs from run's:\n{block}", info)
