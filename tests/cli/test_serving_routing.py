"""Carbon-aware serving (a serving deployment's `clusters = [...]` and `routing = {...}`), end
to end: each step's requests fill the clusters nearest-first (the baseline) or by the lowest
PUE x intensity, each up to its room; requests served away from the first cluster take the
added latency; `/policy` compares the two against hand-computed oracles; conservation, also
under the exec engine with SimGrid's energy plugin. Bad `routing` tables are in
bad_cases_placement.py.

    /usr/bin/python3 -m pytest tests/cli/test_serving_routing.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import expect, expect_close, expect_success, import_hdf5_stack, run_mlcycle  # noqa: E402,E501
from test_carbon_aware import STEPS_CSV, expect_policy  # noqa: E402
from test_spatial_shift import GRIDS, PLATFORM  # noqa: E402

# two-regions.xml, grids of test_spatial_shift.py: de at 400 g/kWh over 0-2 h then 100 (PUE 1),
# fr 200 x PUE 1.5 = 300 per IT kWh. One replica of 1 GPU per cluster (min = max = 1): batch
# 1 in 500 ms, mu = 2 requests/s; at 1 request/s u = 0.5, R = 0.5 / (1 - 0.5) = 1 s, power
# 20 + 0.5 x (100 - 20) = 60 W; an idle replica 20 W. Room: 1 replica x 2/s x target 0.5 =
# 1 request/s, 3,600 per 1-h step. Latency target 1.1 s; fr adds 200 ms.


def service(rps, policy):
    return ('[[deployment]]\nname = "api"\nkind = "serving"\nduration = "4h"\nstep = "1h"\n'
            'clusters = ["de", "fr"]\n'
            f'routing = {{ policy = "{policy}", latency_ms = {{ fr = 200 }} }}\n'
            f"demand = {{ base_rps = {rps} }}\n"
            "replica = { gpus = 1, batch_size = 1, latency_base_ms = 500, "
            "latency_per_item_ms = 0, idle_w = 20, busy_w = 100 }\n"
            "autoscaler = { min_replicas = 1, max_replicas = 1, target_utilization = 0.5 }\n"
            "latency_target_ms = 1100\n")


def run(mlcycle, tmp, rps, policy, name, *options):
    (tmp / "grid.csv").write_text(STEPS_CSV)
    (tmp / f"{name}.toml").write_text(
        '[simulation]\nstart = 2020-01-01T00:00:00Z\nseed = 3\n'
        f'platform = "{PLATFORM}"\n\n{GRIDS}\n' + service(rps, policy))
    out = tmp / f"{name}.h5"
    result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", out.name, *options], cwd=tmp)
    expect_success(result, f"run {name}")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        deployment = f["deployments"][0]
        policy_attrs = dict(f["policy"].attrs) if "policy" in f else None
        return deployment, policy_attrs, dict(f["summary"].attrs), result


@pytest.mark.title("carbon-aware serving: lowest-now against nearest{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_lowest_now(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    deployment, policy, summary, result = run(mlcycle, tmp, 1, "lowest-now", "routed", *options)
    # lowest-now: over 0-2 h fr (300) is below de (400): its replica serves all 3,600 requests
    # of each step at 60 W, 60 x 1.5 x 200 / 1000 = 18 g/h, while de's idles at 20 W x 400 =
    # 8 g/h; from 2 h de (100) wins: 60 W x 100 = 6 g/h, fr idle 20 x 1.5 x 200 = 6 g/h.
    # 2 x 26 + 2 x 12 = 76 g. The fr steps' requests are late: 1 s + 0.2 s > 1.1 s.
    # Nearest (the baseline): de serves everything: 60 W x (400, 400, 100, 100) = 24 + 24 + 6
    # + 6 = 60 g, fr idles at 6 g/h: 84 g, none late.
    expect_close(deployment["co2_g"], 76.0, "routed service co2_g")
    expect_close(deployment["served"], 14400.0, "served")
    expect_close(deployment["late"], 7200.0, "late: the fr steps")
    # Facility energy: 2 h at 60 x 1.5 + 20 = 110 W, 2 h at 60 + 20 x 1.5 = 90 W: 400 Wh.
    expect_close(deployment["energy_j"], 400 * 3600.0, "routed service energy")
    expect(deployment["reserved_gpus"] == 2, "one GPU reserved in each cluster")
    expect_policy(policy, serving_deployments=1, routed_deployments=1,
                  policy_serving_co2_g=76.0, baseline_serving_co2_g=84.0,
                  serving_saving_pct=100 * 8 / 84, policy_late=7200.0, baseline_late=0.0,
                  policy_served_away=7200.0, baseline_served_away=0.0,
                  baseline_serving_energy_j=360 * 3600.0, policy_serving_energy_j=400 * 3600.0)
    expect("served away from the first cluster: baseline 0, policy 7200" in result.stdout,
           "the printed routing line", result)
    if engine:
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"SimGrid's plugin disagrees: {summary['simgrid_plugin_max_rel_diff']}")


@pytest.mark.title("carbon-aware serving: the cleaner cluster full, the rest spills")
def test_spill(mlcycle, tmp):
    deployment, policy, _, _ = run(mlcycle, tmp, 1.5, "lowest-now", "spill")
    # 5,400 requests a step. 0-2 h: fr takes its room, 3,600 (u 0.5, 60 W, late), de the other
    # 1,800 (u 0.25: 20 + 0.25 x 80 = 40 W; R = 0.5 / 0.75 = 0.667 s, on time). 2-4 h: de
    # takes 3,600, fr 1,800 (40 W; 0.667 + 0.2 s, on time).
    # CO2e: 0-2 h fr 60 x 1.5 x 200 = 18 g/h + de 40 x 400 = 16 g/h; 2-4 h de 60 x 100 = 6
    # + fr 40 x 1.5 x 200 = 12: 2 x 34 + 2 x 18 = 104 g. Nearest: de 3,600 and fr 1,800 every
    # step: de 60 W (24, 24, 6, 6) + fr 40 W (12 x 4) = 108 g; 1,800 x 4 = 7,200 away.
    expect_close(deployment["co2_g"], 104.0, "spilled service co2_g")
    expect_close(deployment["late"], 7200.0, "late: fr full over 0-2 h")
    expect_policy(policy, policy_serving_co2_g=104.0, baseline_serving_co2_g=108.0,
                  policy_served_away=3600 * 2 + 1800 * 2.0, baseline_served_away=7200.0,
                  policy_late=7200.0, baseline_late=0.0, policy_dropped=0.0)


@pytest.mark.title("carbon-aware serving: nearest alone, with no /policy")
def test_nearest_alone(mlcycle, tmp):
    deployment, policy, _, result = run(mlcycle, tmp, 1, "nearest", "nearest")
    # The baseline of test_lowest_now, as a plain run: 84 g, 360 Wh.
    expect_close(deployment["co2_g"], 84.0, "nearest co2_g")
    expect_close(deployment["energy_j"], 360 * 3600.0, "nearest energy")
    expect(policy is None and "policy " not in result.stdout,
           "nearest is the baseline: no policy comparison", result)
