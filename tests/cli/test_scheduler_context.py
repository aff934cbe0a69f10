"""How SimGrid is driven does not change what a run computes.

When SimGrid has nothing to simulate but the clock (analytic engine, no failing node, no
all-reduce probe, no data staging), the scheduler runs in the main context and advances SimGrid
with Engine::run_until; otherwise it is a SimGrid actor that sleeps or waits. The same scenario
run both ways must give the same file, digest for digest. The actor run is forced by giving one
host a state profile that never turns it off (a host with a profile can fail, so the scheduler
must be woken by SimGrid). The root attribute `scheduler_context` says which way ran.

    /usr/bin/python3 -m pytest tests/cli/test_scheduler_context.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import expect, expect_success, import_hdf5_stack, run_mlcycle  # noqa: E402
from output_digest import digest  # noqa: E402

# Two 2-GPU hosts. In the actor run, g1 has a state profile that keeps it on ("0 1": on at
# t = 0, nothing after), so nothing fails, but the scheduler must wait as an actor.
PLATFORM = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="gpus" routing="Full">
    <prop id="pue" value="1.2"/>
    <prop id="grid_region" value="r"/>
    <host id="g0" speed="1Gf" core="2"><prop id="wattage_per_state" value="10:20:100"/><prop id="boot_time_s" value="300"/></host>
    <host id="g1" speed="1Gf" core="2"{profile}><prop id="wattage_per_state" value="10:20:100"/><prop id="boot_time_s" value="300"/></host>
  </zone>
</platform>
"""

# Many jobs of random lengths with crashes, a horizon and node power-off: the scheduler's
# every path (queueing, requeue after a crash, idle power-off and boot, the horizon's cut).
SCENARIO = """[simulation]
start = 2020-01-01T00:00:00Z
seed = 7
platform = "platform.xml"
horizon = "150h"

[grid.r]
kind = "synthetic"
model = "solar-heavy"

[scheduler]
policy = "easy-backfill"
power_off_after = "30min"

[output]
trace_step = "1h"

[[campaign]]
name = "sweep"
trials = 200
gpus_per_trial = 1
length = { distribution = "lognormal", median_h = 0.5, sigma = 0.8, min_h = 0.05 }
failures = { crash_probability = 0.1 }

[[campaign]]
name = "pairs"
trials = 40
gpus_per_trial = 2
length = { fixed = "90min" }
arrival = { pattern = "rate", rate_per_hour = 0.4, poisson = true }
"""


def run_in(mlcycle, directory, profile, scenario=SCENARIO):
    directory.mkdir()
    (directory / "platform.xml").write_text(PLATFORM.format(profile=profile))
    (directory / "always-on.state").write_text("0 1\n")
    (directory / "run.toml").write_text(scenario)
    out = directory / "run.h5"
    result = run_mlcycle(mlcycle, ["run", "run.toml", "-o", "run.h5", "--quiet"], cwd=directory)
    expect_success(result, f"mlcycle run in {directory.name}")
    return out


@pytest.mark.title("scheduler context: run_until from the main context and an actor agree")
def test_main_context_and_actor_agree(mlcycle, tmp):
    h5py, _ = import_hdf5_stack()
    main_out = run_in(mlcycle, tmp / "main", "")
    actor_out = run_in(mlcycle, tmp / "actor", ' state_file="always-on.state"')
    contexts = {}
    for name, out in (("main", main_out), ("actor", actor_out)):
        with h5py.File(out, "r") as f:
            conservation.check_file(f)
            contexts[name] = f.attrs["scheduler_context"]
            jobs = len(f["jobs"])
            boots = f["summary"].attrs["node_boots"]
        # Every one of the 200 + 40 trials has a row (all end before the horizon); retries add.
        expect(jobs > 240, f"{name}: /jobs has {jobs} rows, expected more than 240")
        # The pairs arrive over about 100 h, after idle spells: nodes switch off and boot again.
        expect(boots > 0, f"{name}: no node booted")
    expect(contexts == {"main": "main", "actor": "actor"},
           f"scheduler_context: got {contexts}, expected main then actor")
    main_digest, actor_digest = digest(main_out), digest(actor_out)
    differing = sorted(k for k in main_digest.keys() | actor_digest.keys()
                       if main_digest.get(k) != actor_digest.get(k))
    expect(not differing, f"the two runs differ in: {', '.join(differing)}")


# After a long jump SimGrid's clock can stand an ulp past the time it was advanced to
# (now + (t - now)); an event at that same instant (here the boot of a node switched off at
# once, power_off_after = 0) must not ask SimGrid to go back. A 0.176-h job, then at 7,200.7 s a
# job on all four GPUs.
SAME_INSTANT = """[simulation]
start = 2020-01-01T00:00:00Z
platform = "platform.xml"
[grid.r]
intensity_g_per_kwh = 400
[scheduler]
power_off_after = 0
[[campaign]]
name = "a"
trials = 1
gpus_per_trial = 2
length = { fixed = 0.176 }
[[campaign]]
name = "b"
trials = 1
gpus_per_trial = 4
submit_at = 7200.7
length = { fixed = 1 }
"""


@pytest.mark.title("scheduler context: an event at the clock's own instant after a long jump")
def test_event_at_the_clock_instant(mlcycle, tmp):
    main_out = run_in(mlcycle, tmp / "main", "", SAME_INSTANT)
    actor_out = run_in(mlcycle, tmp / "actor", ' state_file="always-on.state"', SAME_INSTANT)
    main_digest, actor_digest = digest(main_out), digest(actor_out)
    differing = sorted(k for k in main_digest.keys() | actor_digest.keys()
                       if main_digest.get(k) != actor_digest.get(k))
    expect(not differing, f"the two runs differ in: {', '.join(differing)}")
