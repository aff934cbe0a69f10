"""GPU power capping (a campaign's `power_cap = { limit = ... }`), end to end: a capped job runs
longer by the platform's run-time curve and its GPUs draw the cap; the run compares itself with
the same scenario uncapped (/policy). Hand-computed oracles on the two-host platform, in both
engines (SimGrid's energy plugin agreeing on the exec engine), a limit in watts, a platform's
own curve, a job over two nodes, and conservation. Bad `power_cap` tables and curves are in
bad_cases_scenario.py.

    /usr/bin/python3 -m pytest tests/cli/test_power_cap.py --mlcycle PATH
"""
import math
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import expect, expect_close, import_hdf5_stack  # noqa: E402
from test_carbon_aware import TRACE, TWO_HOSTS, expect_policy, run, scenario  # noqa: E402

# two-hosts.xml: 2 hosts x 2 GPUs, wattage_per_state 10:20:100 (Idle:Epsilon:AllCores),
# overhead 5 W, PUE 1.5, region "r". A GPU's busy power b = AllCores / 2 = 50 W, its idle share
# Epsilon / 2 = 10 W, its overhead share 2.5 W. The grid (STEPS_CSV of test_carbon_aware):
# 400 g/kWh over 0-2 h, 100 over 2-5 h, then 300.


def one_trial(limit, gpus=1):
    return (f'name = "capped"\ntrials = 1\ngpus_per_trial = {gpus}\nlength = {{ fixed = "1h" }}\n'
            f"power_cap = {{ limit = {limit} }}")


def read(out):
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        return f["jobs"][()], dict(f["policy"].attrs), dict(f["summary"].attrs)


@pytest.mark.title("power cap: 67 % of busy power{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_fraction_cap(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    out, result = run(mlcycle, tmp, scenario(TWO_HOSTS, TRACE, one_trial("0.67")), "cap", *options)
    jobs, policy, summary = read(out)
    # Cap 0.67 x 50 = 33.5 W per GPU. The default curve's point 0.67:1.21 makes the 1-h trial
    # run 1.21 h = 4,356 s. Job IT power 33.5 + 2.5 = 36 W: 36 x 4,356 = 156,816 J IT; at the
    # facility x 1.5; all of it in the 400 g/kWh step: 36 x 1.5 x 1.21 h = 65.34 Wh
    # -> 0.06534 kWh x 400 = 26.136 g.
    expect(len(jobs) == 1, f"/jobs has {len(jobs)} rows, expected 1")
    job = jobs[0]
    expect_close(job["end_s"], 4356.0, "capped run time")
    expect_close(job["it_energy_j"], 156816.0, "capped job IT energy")
    expect_close(job["energy_j"], 1.5 * 156816.0, "capped job facility energy")
    expect_close(job["co2_g"], 26.136, "capped job co2_g")
    # Baseline (uncapped): 1 h at 52.5 W IT: 52.5 x 1.5 x 1 h = 78.75 Wh x 400 = 31.5 g.
    # Saving (31.5 - 26.136) / 31.5; the trial completes 0.21 h later. No bound: a cap changes
    # the job's length and power.
    expect_policy(policy, policy_jobs_co2_g=26.136, baseline_jobs_co2_g=31.5,
                  saving_pct=100 * (31.5 - 26.136) / 31.5, deferrable_jobs=1,
                  trials_compared=1, delay_mean_h=0.21, delay_max_h=0.21, deadline_misses=0)
    expect(math.isnan(policy["bound_jobs_co2_g"]), "no bound for capped work")
    # The whole run, IT: the job's host draws Epsilon + (1/2)(AllCores - Epsilon) less the
    # saving 50 - 33.5 = 16.5 W, plus overhead: 20 + 40 - 16.5 + 5 = 48.5 W; the other host
    # idles at 10 + 5 = 15 W: 63.5 W x 4,356 s = 276,606 J. Baseline: (20 + 40 + 5) + 15 = 80 W
    # x 3,600 s = 288,000 J. PUE is constant: the facility energy changes by
    # 276,606 / 288,000 - 1.
    expect_close(summary["it_energy_j"], 276606.0, "capped run IT energy")
    expect_close(policy["energy_change_pct"], 100 * (276606 / 288000 - 1), "energy change")
    expect("jobs under policy 1" in result.stdout and "no bound: paused or capped work" in
           result.stdout, "the printed policy block", result)
    if engine:
        # SimGrid sees the capped GPU as a core loaded at (33.5 - 10) / (50 - 10) = 0.5875.
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"SimGrid's plugin disagrees: {summary['simgrid_plugin_max_rel_diff']}")


@pytest.mark.title("power cap: a limit in watts, over two nodes{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_watts_cap_two_nodes(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    out, _ = run(mlcycle, tmp, scenario(TWO_HOSTS, TRACE, one_trial('"39 W"', gpus=4)), "watts",
                 *options)
    jobs, policy, summary = read(out)
    # 39 W of 50 W = 0.78: the curve's 0.78:1.11 gives 1.11 h = 3,996 s. Four GPUs at
    # 39 + 2.5 = 41.5 W: 166 W IT, 166 x 3,996 = 663,336 J; CO2e 166 x 1.5 x 1.11 h / 1000
    # x 400 = 110.556 g (baseline 4 x 52.5 = 210 W: 210 x 1.5 / 1000 x 400 = 126 g).
    job = jobs[0]
    expect(job["nodes"] == 2, f"the job spans both hosts: {job['nodes']}")
    expect_close(job["end_s"], 3996.0, "capped run time")
    expect_close(job["it_energy_j"], 663336.0, "capped job IT energy")
    expect_close(job["co2_g"], 110.556, "capped job co2_g")
    expect_policy(policy, policy_jobs_co2_g=110.556, baseline_jobs_co2_g=126.0,
                  delay_max_h=0.11)
    if engine:
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"SimGrid's plugin disagrees: {summary['simgrid_plugin_max_rel_diff']}")


@pytest.mark.title("power cap: the platform's own run-time curve")
def test_platform_curve(mlcycle, tmp):
    xml = TWO_HOSTS.read_text().replace(
        '<prop id="node_overhead_w"', '<prop id="power_cap_curve" value="0.5:2, 1:1"/>\n'
        '    <prop id="node_overhead_w"', 1)
    platform = tmp / "curve.xml"
    platform.write_text(xml)
    out, _ = run(mlcycle, tmp, scenario(platform, TRACE, one_trial('"75 %"')), "curve")
    jobs, policy, _ = read(out)
    # 75 % is halfway between 0.5 (x 2) and 1 (x 1): factor 1.5, 5,400 s. The GPU draws
    # 37.5 W, the job 37.5 + 2.5 = 40 W IT: 40 x 5,400 = 216,000 J. Its first 2 h are at 400:
    # 40 x 1.5 x 1.5 h = 90 Wh -> 0.09 kWh x 400 = 36 g (baseline 31.5 g: a slow cap in a
    # flat-intensity hour emits more, which the saving shows as negative).
    expect_close(jobs[0]["end_s"], 5400.0, "run time under the platform's curve")
    expect_close(jobs[0]["it_energy_j"], 216000.0, "job IT energy")
    expect_close(jobs[0]["co2_g"], 36.0, "job co2_g")
    expect_policy(policy, saving_pct=100 * (31.5 - 36.0) / 31.5, delay_max_h=0.5)


# (id, submit_at, end s, IT J, g, baseline g, delay h): a 3-h trial, cap 0.67 (36 W of job power
# against 52.5 W, x 1.21) only while the intensity is above 200 g/kWh: over 0-2 h (400) and
# from 5 h on (300), not over 2-5 h (100).
CARBON_CAP_CASES = [
    # Capped 0-2 h: 2 / 1.21 h of progress; the other 3 - 2 / 1.21 h uncapped from 2 h: end at
    # 5 - 2 / 1.21 h = 18,000 - 7,200 / 1.21 = 12,049.587 s. IT 36 x 7,200 + 52.5 x (12,049.587
    # - 7,200) = 513,803.306 J; CO2e 36 x 1.5 x 2 h x 0.4 = 43.2 g + 52.5 x 1.5 x 1.3471 h x 0.1
    # = 10.608 g. Baseline 3 h uncapped: 52.5 x 1.5 x (2 x 0.4 + 1 x 0.1) = 70.875 g, done
    # 2 - 2 / 1.21 = 0.347 h earlier.
    ("released", 0, 18000 - 7200 / 1.21, 36 * 7200 + 52.5 * (10800 - 7200 / 1.21),
     43.2 + 52.5 * 1.5 * (3 - 2 / 1.21) * 0.1, 70.875, 2 - 2 / 1.21),
    # Ready at 4 h: uncapped 4-5 h (1 h of progress), capped from 5 h: 2 x 1.21 = 2.42 h, end
    # at 7.42 h = 26,712 s. IT 52.5 x 3,600 + 36 x 8,712 = 502,632 J; CO2e 52.5 x 1.5 x 0.1 =
    # 7.875 g + 36 x 1.5 x 2.42 x 0.3 = 39.204 g. Baseline 7.875 + 52.5 x 1.5 x 2 x 0.3 =
    # 55.125 g; 0.42 h later.
    ("engaged", 14400, 26712.0, 502632.0, 47.079, 55.125, 0.42),
]


@pytest.mark.title("power cap: carbon-cap {}{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
@pytest.mark.parametrize("case", CARBON_CAP_CASES, ids=[c[0] for c in CARBON_CAP_CASES])
def test_carbon_cap(mlcycle, tmp, case, engine):
    name, submit_s, end_s, it_j, co2_g, baseline_g, delay_h = case
    options = ["--set", "simulation.engine=exec"] if engine else []
    campaign = (f'name = "capped"\ntrials = 1\nsubmit_at = {submit_s}\nlength = {{ fixed = "3h" }}\n'
                'power_cap = { limit = 0.67, policy = "carbon-cap", threshold = 200 }')
    out, _ = run(mlcycle, tmp, scenario(TWO_HOSTS, TRACE, campaign), name, *options)
    jobs, policy, summary = read(out)
    job = jobs[0]
    expect(job["start_s"] == submit_s, f"starts when ready: {job['start_s']}")
    expect_close(job["end_s"], end_s, "end under carbon-cap")
    expect_close(job["it_energy_j"], it_j, "job IT energy")
    expect_close(job["co2_g"], co2_g, "job co2_g")
    expect_policy(policy, policy_jobs_co2_g=co2_g, baseline_jobs_co2_g=baseline_g,
                  delay_max_h=delay_h)
    if engine:
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"SimGrid's plugin disagrees: {summary['simgrid_plugin_max_rel_diff']}")


# One replica of 1 GPU on two-hosts.xml, fixed size, 1 request/s: batch 1 at 500 ms, so
# mu = 2 requests/s and u = 0.5. Its watts are the platform's: idle (20 + 5) / 2 = 12.5 W,
# busy (100 + 5) / 2 = 52.5 W, so P(0.5) = 12.5 + 0.5 x 40 = 32.5 W, and R = 0.5 / (1 - 0.5) =
# 1 s: not late for a 1,000 ms target. Capped at 0.67 (33.5 W of 50 W, x 1.21): busy 52.5 -
# 16.5 = 36 W, batch 0.605 s, mu = 2 / 1.21, u = 0.605, P = 12.5 + 0.605 x 23.5 = 26.7175 W,
# R = 0.605 / 0.395 = 1.53 s: every request late.
def service(hours, cap):
    return (f'name = "api"\nkind = "serving"\nduration = "{hours}h"\n'
            'replica = { gpus = 1, batch_size = 1, latency_base_ms = 0, latency_per_item_ms = 500 }\n'
            'autoscaler = { min_replicas = 1, max_replicas = 1 }\n'
            f'demand = {{ base_rps = 1 }}\nlatency_target_ms = 1000\npower_cap = {{ {cap} }}')


def serving_scenario(hours, cap):
    text = scenario(TWO_HOSTS, TRACE)
    return text + f"\n[[deployment]]\n{service(hours, cap)}\n"


# (id, hours, cap keys, policy g, baseline g, late requests): the grid is 400 g/kWh over 0-2 h,
# then 100; PUE 1.5.
SERVING_CASES = [
    # 1 h, capped throughout: 26.7175 x 1.5 W x 1 h x 0.4 = 16.0305 g against 32.5 x 1.5 x 0.4
    # = 19.5 g; all 3,600 requests late (none uncapped).
    ("always", 1, "limit = 0.67", 16.0305, 19.5, 3600),
    # 3 h, capped while above 200 g/kWh: 0-2 h capped (26.7175 x 1.5 x 2 x 0.4 = 32.061 g, 7,200
    # requests late), 2-3 h not (32.5 x 1.5 x 0.1 = 4.875 g): 36.936 g against 32.5 x 1.5 x
    # (2 x 0.4 + 0.1) = 43.875 g.
    ("carbon-cap", 3, 'limit = 0.67, policy = "carbon-cap", threshold = 200', 36.936, 43.875,
     7200),
]


@pytest.mark.title("power cap: a serving deployment, {}")
@pytest.mark.parametrize("case", SERVING_CASES, ids=[c[0] for c in SERVING_CASES])
def test_serving_cap(mlcycle, tmp, case):
    name, hours, cap, policy_g, baseline_g, late = case
    out, result = run(mlcycle, tmp, serving_scenario(hours, cap), name)
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        deployment = f["deployments"][()][0]
        policy = dict(f["policy"].attrs)
    expect_close(deployment["co2_g"], policy_g, "capped service co2_g")
    expect_close(deployment["served"], 3600.0 * hours, "served requests")
    expect_close(deployment["late"], float(late), "late requests")
    expect_policy(policy, serving_deployments=1, policy_serving_co2_g=policy_g,
                  baseline_serving_co2_g=baseline_g,
                  serving_saving_pct=100 * (baseline_g - policy_g) / baseline_g,
                  baseline_late=0.0, policy_late=float(late), baseline_dropped=0.0,
                  policy_dropped=0.0, deferrable_jobs=0)
    expect("serving under policy 1" in result.stdout and "requests late: baseline 0, policy "
           f"{late}" in result.stdout and "jobs under policy" not in result.stdout,
           "the printed policy block", result)


@pytest.mark.title("power cap: a cluster's cap, and a campaign's own cap over it")
def test_cluster_cap(mlcycle, tmp):
    own = ('name = "own"\ntrials = 1\nlength = { fixed = "1h" }\npower_cap = { limit = 0.9 }')
    inherits = 'name = "inherits"\ntrials = 1\nlength = { fixed = "1h" }'
    text = scenario(TWO_HOSTS, TRACE, inherits, own) + '\n[power_cap.pair]\nlimit = 0.67\n'
    out, _ = run(mlcycle, tmp, text, "cluster")
    jobs, policy, _ = read(out)
    by_campaign = {int(j["campaign"]): j for j in jobs}
    # "inherits" takes the cluster's 0.67: 4,356 s at 36 W (test "67 % of busy power");
    # "own" keeps its 0.9: 45 W, x 1.06 = 3,816 s at 47.5 W: 181,260 J.
    expect_close(by_campaign[0]["end_s"], 4356.0, "the cluster's cap")
    expect_close(by_campaign[0]["it_energy_j"], 156816.0, "the cluster's cap, IT energy")
    expect_close(by_campaign[1]["end_s"], 3816.0, "the campaign's own cap")
    expect_close(by_campaign[1]["it_energy_j"], 47.5 * 3816, "the campaign's own cap, IT energy")
    # Both campaigns are under the policy; the baseline runs both uncapped (1 h, 31.5 g each).
    expect_policy(policy, deferrable_jobs=2, baseline_jobs_co2_g=63.0)


@pytest.mark.title("power cap: a data-parallel job slows its compute, not its all-reduce")
def test_cap_spares_the_allreduce(mlcycle, tmp):
    # One 1-h trial on 4 GPUs over both hosts, 1-s steps with a 400 MB all-reduce that SimGrid
    # times over the platform's links. Uncapped it runs D = W (step + a) / step, so the
    # all-reduce adds D - W; capped (x 1.21 at 0.67) only the step's compute stretches:
    # W (1.21 step + a) / step = 1.21 W + (D - W).
    def campaign(cap):
        return ('name = "dp"\ntrials = 1\ngpus_per_trial = 4\nlength = { fixed = "1h" }\n'
                f'step_time = "1s"\ngradient_mb = 400\n{cap}')
    plain, _ = run(mlcycle, tmp, scenario(TWO_HOSTS, TRACE, campaign("")), "dp-plain")
    capped, _ = run(mlcycle, tmp, scenario(TWO_HOSTS, TRACE,
                                           campaign("power_cap = { limit = 0.67 }")), "dp-capped")
    h5py, _ = import_hdf5_stack()
    with h5py.File(plain, "r") as f:
        uncapped_s = float(f["jobs"]["end_s"][0] - f["jobs"]["start_s"][0])
    with h5py.File(capped, "r") as f:
        capped_s = float(f["jobs"]["end_s"][0] - f["jobs"]["start_s"][0])
    # 400 MB over 10 Gbps links: about 0.3 s a step (the exact time is SimGrid's).
    expect(uncapped_s > 1.1 * 3600, f"the all-reduce adds time: {uncapped_s} s")
    expect_close(capped_s, 1.21 * 3600 + (uncapped_s - 3600), "capped data-parallel run time")
