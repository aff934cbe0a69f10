"""Spatial shifting (a campaign's `clusters = [...]` and `placement = {...}`), end to end: which
cluster each job lands on, what it emits, the data it moves (timed by SimGrid over the
platform's route), and what `/policy` reports against the round-robin baseline, with
hand-computed oracles; the bound; conservation, also under the exec engine with SimGrid's
energy plugin. Bad `clusters` and `placement` tables are in bad_cases_placement.py.

    /usr/bin/python3 -m pytest tests/cli/test_spatial_shift.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SOURCE_DIR, expect, expect_close, expect_success,  # noqa: E402
                         import_hdf5_stack, run_mlcycle)
from test_carbon_aware import STEPS_CSV, expect_policy  # noqa: E402

# two-regions.xml: clusters de (hosts de-0, de-1) and fr (fr-0, fr-1), 1 GPU per node,
# 20:20:100 W, no overhead: a 1-h job draws 100 W, 0.1 kWh of IT energy. PUE: de 1.0, fr 1.5.
# A 1 GB/s wide-area link without latency joins them.
PLATFORM = SOURCE_DIR / "tests" / "data" / "two-regions.xml"
# de: 400 g/kWh over 0-2 h, 100 over 2-5 h, then 300; fr: 200 g/kWh, x PUE 1.5 = 300 per IT
# kWh. A 1-h job: de 40, 10 or 30 g; fr 0.1 x 1.5 x 200 = 30 g.
GRIDS = ('[grid.de]\nkind = "trace"\nfile = "grid.csv"\nhold = "edges"\n\n'
         "[grid.fr]\nintensity_g_per_kwh = 200\n")
# Transfers as SimGrid's CM02 model times them without reverse (ACK) traffic: bytes / bandwidth
# (no TCP factors), so 10 GB over 1 GB/s take 10 s.
CM02 = ["--sg-cfg", "network/model:CM02", "--sg-cfg", "network/crosstraffic:0"]


def scenario(campaign):
    return ('[simulation]\nstart = 2020-01-01T00:00:00Z\nseed = 3\n'
            f'platform = "{PLATFORM}"\n\n{GRIDS}\n[[campaign]]\nname = "placed"\n{campaign}\n')


def run(mlcycle, tmp, text, name, *options):
    (tmp / "grid.csv").write_text(STEPS_CSV)
    (tmp / f"{name}.toml").write_text(text)
    out = tmp / f"{name}.h5"
    result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", out.name, *CM02, *options],
                         cwd=tmp)
    expect_success(result, f"run {name}")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        hosts = [h.decode() for h in f["hosts"]["name"]]
        jobs = sorted((int(j["trial"]), hosts[j["host"]], float(j["start_s"]), float(j["end_s"]),
                       float(j["co2_g"])) for j in f["jobs"][()])
        policy = dict(f["policy"].attrs) if "policy" in f else None
        return jobs, policy, dict(f["summary"].attrs), result


@pytest.mark.title("spatial shift: lowest-now fills the cleaner cluster, then the other{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_lowest_now_spills(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    text = scenario('trials = 4\nlength = { fixed = "1h" }\nclusters = ["de", "fr"]\n'
                    'placement = { policy = "lowest-now", data_gb = 10 }')
    jobs, policy, summary, result = run(mlcycle, tmp, text, "spill", *options)
    # At 0 h: de 400, fr 300 g per IT kWh. Trials 0 and 1 go to fr (room for both); fr is then
    # full and trials 2 and 3 go to de, which has room (the queues go round again at once).
    # The fr jobs first move 10 GB each from de over the one 1 GB/s link at once: 20 GB in
    # 20 s, so they start at 20 s.
    expect(jobs == [(0, "fr-0", 20.0, 3620.0, 30.0), (1, "fr-1", 20.0, 3620.0, 30.0),
                    (2, "de-0", 0.0, 3600.0, 40.0), (3, "de-1", 0.0, 3600.0, 40.0)],
           f"(trial, host, start, end, g): {jobs}")
    # Round-robin places trials 0, 2 on de and 1, 3 on fr: the same 2 x 40 + 2 x 30 = 140 g,
    # also 20 GB moved. The bound: every job at fr at its ready time, 4 x 30 = 120 g.
    expect_policy(policy, policy_jobs_co2_g=140.0, baseline_jobs_co2_g=140.0,
                  bound_jobs_co2_g=120.0, saving_pct=0.0, placed_campaigns=1,
                  policy_data_moved_gb=20.0, baseline_data_moved_gb=20.0,
                  policy_staging_h=40 / 3600, baseline_staging_h=40 / 3600, deadline_misses=0)
    expect("data moved GB: baseline 20.0, policy 20.0" in result.stdout,
           "the printed data movement", result)
    if engine:
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"SimGrid's plugin disagrees: {summary['simgrid_plugin_max_rel_diff']}")


@pytest.mark.title("spatial shift: lowest-now against round-robin in the de valley")
def test_lowest_now_saves(mlcycle, tmp):
    text = scenario('trials = 2\nlength = { fixed = "1h" }\nsubmit_at = 7200\n'
                    'clusters = ["de", "fr"]\nplacement = { policy = "lowest-now", data_gb = 10 }')
    jobs, policy, _, _ = run(mlcycle, tmp, text, "valley")
    # At 2 h de is at 100 g/kWh, below fr's 300: both jobs stay on de, 2 x 10 g, no data moves.
    expect(jobs == [(0, "de-0", 7200.0, 10800.0, 10.0), (1, "de-1", 7200.0, 10800.0, 10.0)],
           f"(trial, host, start, end, g): {jobs}")
    # Round-robin: trial 0 on de (10 g), trial 1 on fr (30 g) after 10 s of staging: 40 g,
    # 10 GB. Saving (40 - 20) / 40 = 50 %, equal to the bound's (each job's best is de, 10 g).
    # Trial 1 completes 10 s earlier than in the baseline: delays 0 and -10 s.
    expect_policy(policy, policy_jobs_co2_g=20.0, baseline_jobs_co2_g=40.0,
                  bound_jobs_co2_g=20.0, saving_pct=50.0, bound_saving_pct=50.0,
                  policy_data_moved_gb=0.0, baseline_data_moved_gb=10.0,
                  policy_staging_h=0.0, baseline_staging_h=10 / 3600,
                  delay_mean_h=-5 / 3600, delay_max_h=0.0, trials_compared=2)


# A 3-h trial ready at 1 h. de over [1 h, 4 h]: 400 x 1 + 100 x 2 = 600 g h/kWh, x 0.1 kW
# = 60 g; fr: 300 x 3 x 0.1 = 90 g. At 1 h itself de (400) looks worse than fr (300).
@pytest.mark.title("spatial shift: {} over a 3-h run")
@pytest.mark.parametrize("policy_name, host, job_g", [("lowest-now", "fr-0", 90.0),
                                                      ("lowest-forecast", "de-0", 60.0)],
                         ids=["lowest-now", "lowest-forecast"])
def test_forecast_over_the_run(mlcycle, tmp, policy_name, host, job_g):
    text = scenario('trials = 1\nlength = { fixed = "3h" }\nsubmit_at = 3600\n'
                    f'clusters = ["de", "fr"]\nplacement = {{ policy = "{policy_name}" }}')
    jobs, policy, _, _ = run(mlcycle, tmp, text, policy_name)
    expect(jobs == [(0, host, 3600.0, 14400.0, job_g)], f"(trial, host, start, end, g): {jobs}")
    # Round-robin puts the one trial on de (60 g); the bound is de's 60 g. With a perfect
    # forecast, fixed lengths and room, lowest-forecast is the bound exactly; lowest-now,
    # fooled by the hour it starts in, emits 50 % more.
    expect_policy(policy, policy_jobs_co2_g=job_g, baseline_jobs_co2_g=60.0,
                  bound_jobs_co2_g=60.0, saving_pct=100 * (60 - job_g) / 60)


@pytest.mark.title("spatial shift: clusters alone place round-robin, with no /policy")
def test_round_robin_alone(mlcycle, tmp):
    text = scenario('trials = 3\nlength = { fixed = "1h" }\nclusters = ["de", "fr"]\n'
                    "placement = { policy = \"round-robin\", data_gb = 5 }")
    jobs, policy, _, result = run(mlcycle, tmp, text, "robin")
    # Trials 0 and 2 on de, 1 on fr after 5 GB / 1 GB/s = 5 s of staging.
    expect(jobs == [(0, "de-0", 0.0, 3600.0, 40.0), (1, "fr-0", 5.0, 3605.0, 30.0),
                    (2, "de-1", 0.0, 3600.0, 40.0)], f"(trial, host, start, end, g): {jobs}")
    expect(policy is None and "policy " not in result.stdout,
           "round-robin is the baseline: no policy comparison", result)


@pytest.mark.title("spatial shift: the data leaves from a host of the first cluster that is up")
def test_data_host_down(mlcycle, tmp):
    # two-regions-failing.xml: de-0 is down over 0-2 h, PUE 1 in both clusters. At 1 min, when
    # the trial is submitted, fr (200 g/kWh) is below de (400): the trial goes to fr, and its
    # 10 GB leave from de-1 over the 1 GB/s link: 10 s (CM02). 0.1 kWh x 200 = 20 g. The
    # baseline places it on de (de-1), with nothing to move.
    platform = SOURCE_DIR / "tests" / "data" / "two-regions-failing.xml"
    text = scenario('trials = 1\nlength = { fixed = "1h" }\nsubmit_at = "1min"\n'
                    'clusters = ["de", "fr"]\nplacement = { policy = "lowest-now", data_gb = 10 }')
    jobs, policy, _, _ = run(mlcycle, tmp, text.replace(str(PLATFORM), str(platform)), "down")
    expect(jobs == [(0, "fr-0", 70.0, 3670.0, 20.0)], f"(trial, host, start, end, g): {jobs}")
    expect_policy(policy, policy_data_moved_gb=10.0, baseline_data_moved_gb=0.0,
                  policy_staging_h=10 / 3600, baseline_staging_h=0.0)


@pytest.mark.title("spatial shift: clusters without a route between them stop the run")
def test_no_route(mlcycle, tmp):
    platform = SOURCE_DIR / "tests" / "data" / "two-regions-no-route.xml"
    text = scenario('trials = 1\nlength = { fixed = "1h" }\nclusters = ["de", "fr"]\n'
                    'placement = { policy = "lowest-now", data_gb = 10 }')
    (tmp / "grid.csv").write_text(STEPS_CSV)
    (tmp / "noroute.toml").write_text(text.replace(str(PLATFORM), str(platform)))
    result = run_mlcycle(mlcycle, ["run", "noroute.toml", "-o", "noroute.h5"], cwd=tmp)
    # SimGrid prints its deadlock line first; mlcycle's own line says what it means.
    expect(result.returncode == 1 and "mlcycle: error: the simulation stopped at 0" in
           result.stderr and "a transfer between hosts without a route?" in result.stderr,
           "exit 1 with the stop explained", result)
    expect(not (tmp / "noroute.h5").exists() and not (tmp / "noroute.h5.tmp").exists(),
           "no trace left behind", result)


@pytest.mark.title("spatial shift: a transfer cut by its data host's failure moves no data")
def test_data_host_fails_midway(mlcycle, tmp):
    # de-0 up at 0, down at 5 s: the trial, placed on fr at 0, starts moving its 10 GB from
    # de-0 (10 s at 1 GB/s); at 5 s the transfer ends with de-0 and the job computes on what it
    # has: start 5 s, no data counted as moved, 5 s of staging.
    (tmp / "de0-fails.state").write_text("0 1\n5 0\n7200 1\n")
    xml = (SOURCE_DIR / "tests" / "data" / "two-regions-failing.xml").read_text()
    (tmp / "fails.xml").write_text(xml.replace("de0-down-2h.state", str(tmp / "de0-fails.state")))
    text = scenario('trials = 1\nlength = { fixed = "1h" }\nclusters = ["de", "fr"]\n'
                    'placement = { policy = "lowest-now", data_gb = 10 }')
    jobs, policy, _, _ = run(mlcycle, tmp, text.replace(str(PLATFORM), str(tmp / "fails.xml")),
                             "midway")
    expect(jobs == [(0, "fr-0", 5.0, 3605.0, 20.0)], f"(trial, host, start, end, g): {jobs}")
    expect_policy(policy, policy_data_moved_gb=0.0, policy_staging_h=5 / 3600)
