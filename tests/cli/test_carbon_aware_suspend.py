"""suspend-resume (a campaign's `shift = { policy = "suspend-resume", ... }`), end to end: a job
pauses when the intensity rises above the threshold, writes its checkpoint (GPUs busy), waits
until the grid is clean again, restores and finishes; from ready + slack on it runs through.
Hand-computed oracles on a three-step trace; conservation and the exec engine's plugin too.

    /usr/bin/python3 -m pytest tests/cli/test_carbon_aware_suspend.py --mlcycle PATH
"""
import math
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import expect, expect_close, import_hdf5_stack  # noqa: E402
from test_carbon_aware import POWER_STATES, TRACE, expect_policy, run, scenario  # noqa: E402

# 100 g/kWh over 0-2 h, 500 over 2-4 h, then 100 (held on).
DIRTY_WINDOW_CSV = ("timestamp,carbon_intensity_g_per_kwh\n2020-01-01T00:00:00Z,100\n"
                    "2020-01-01T02:00:00Z,500\n2020-01-01T04:00:00Z,100\n")


def one_trial(slack):
    return ('name = "pausable"\ntrials = 1\nlength = { fixed = "3h" }\n'
            'shift = { policy = "suspend-resume", threshold = 200, slack = "' + slack + '", '
            'checkpoint_write = "15min", restore = "15min" }')


def jobs_and_attrs(out):
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        return (f["jobs"][()], dict(f["policy"].attrs), f["campaigns"][()],
                dict(f["summary"].attrs))


@pytest.mark.title("carbon aware: suspend-resume across a dirty window{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_pause_across_dirty_window(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, TRACE, one_trial("24h")), "pause",
                 *options, csv=DIRTY_WINDOW_CSV)
    jobs, policy, campaigns, summary = jobs_and_attrs(out)
    # One 3-h trial at 100 W (0.1 kW). It runs 0-2 h at 100 g/kWh, pauses at the rise to 500,
    # writes its checkpoint 2-2.25 h (busy, at 500): 0.1 x (2 x 100 + 0.25 x 500) = 32.5 g,
    # 0.225 kWh = 810,000 J. Its rest (1 h of work) is ready at 2.25 h = 8,100 s, held until
    # the grid is clean at 4 h = 14,400 s, restores 0.25 h and computes 1 h: 4-5.25 h
    # (18,900 s) at 100: 0.1 x 1.25 x 100 = 12.5 g, 450,000 J.
    expect(len(jobs) == 2, f"/jobs has {len(jobs)} rows, expected 2 (paused, resumed)")
    first, rest = sorted(jobs, key=lambda j: j["start_s"])
    expect((first["submit_s"], first["start_s"], first["end_s"], first["stop_reason"]) ==
           (0, 0, 8100, 6), f"first part {first}")
    expect((rest["submit_s"], rest["start_s"], rest["end_s"], rest["stop_reason"]) ==
           (8100, 14400, 18900, 0), f"resumed part {rest}")
    expect(first["trial"] == rest["trial"] and first["attempt"] == rest["attempt"] == 0,
           "the resumed part is the same trial and attempt")
    expect_close(first["co2_g"], 32.5, "paused part co2_g")
    expect_close(rest["co2_g"], 12.5, "resumed part co2_g")
    expect_close(first["it_energy_j"], 810000.0, "paused part IT energy")
    expect_close(rest["it_energy_j"], 450000.0, "resumed part IT energy")
    # Baseline: 0-3 h, 2 h at 100 and 1 h at 500: 0.1 x (200 + 500) = 70 g, done at 3 h.
    # Saving (70 - 45) / 70 = 35.714 %; done 18,900 - 10,800 = 8,100 s = 2.25 h later. Paused
    # work has no window bound (a pause can beat every contiguous start): NaN.
    expect_policy(policy, policy_jobs_co2_g=45.0, baseline_jobs_co2_g=70.0,
                  saving_pct=100 * 25 / 70, deferrable_jobs=2, trials_compared=1,
                  delay_mean_h=2.25, delay_max_h=2.25, deadline_misses=0)
    expect(math.isnan(policy["bound_jobs_co2_g"]), "no bound for suspend-resume work")
    row = campaigns[0]
    expect((row["trials_started"], row["completed"], row["jobs"]) == (1, 1, 2),
           f"/campaigns counts one trial, completed, in two jobs: {row}")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
    if engine:
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"SimGrid's plugin disagrees: {summary['simgrid_plugin_max_rel_diff']}")


@pytest.mark.title("carbon aware: suspend-resume runs through after its slack")
def test_no_pause_after_slack(mlcycle, tmp):
    out, _ = run(mlcycle, tmp, scenario(POWER_STATES, TRACE, one_trial("1h")), "through",
                 csv=DIRTY_WINDOW_CSV)
    jobs, policy, _, _ = jobs_and_attrs(out)
    # Ready at 0 with 1 h of slack: the rise at 2 h comes after ready + slack, so the trial
    # runs 0-3 h like the baseline: 70 g both, no saving, no delay.
    expect(len(jobs) == 1 and jobs[0]["end_s"] == 10800 and jobs[0]["stop_reason"] == 0,
           f"one uninterrupted job expected: {jobs}")
    expect_policy(policy, policy_jobs_co2_g=70.0, baseline_jobs_co2_g=70.0, saving_pct=0.0,
                  delay_max_h=0.0)
