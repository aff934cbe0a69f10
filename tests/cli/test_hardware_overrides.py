"""A cluster's power figures from the scenario, `[hardware.<cluster>]`, end to end: they replace
the platform's properties in both engines (SimGrid's energy plugin sees them too), can be set
with --set and swept with --vary, win over [accounting] pue, and give the same file as the
same figures written into the platform XML. Bad tables are in bad_cases_hardware.py.

    /usr/bin/python3 -m pytest tests/cli/test_hardware_overrides.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SOURCE_DIR, expect, expect_close, expect_success,  # noqa: E402
                         import_hdf5_stack, run_mlcycle)
from output_digest import digest  # noqa: E402

# two-hosts.xml: cluster "pair", 2 hosts x 2 GPUs, wattage_per_state 10:20:100, overhead 5 W,
# PUE 1.5, region "r". One 1-GPU trial of 1 h at 400 g/kWh.
PLATFORM = (SOURCE_DIR / "tests" / "data" / "two-hosts.xml").read_text()
SCENARIO = """[simulation]
start = 2020-01-01T00:00:00Z
platform = "platform.xml"

[grid.r]
intensity_g_per_kwh = 400
{accounting}
[[campaign]]
name = "one"
trials = 1
gpus_per_trial = 1
length = {{ fixed = "1h" }}
{hardware}"""
OVERRIDE = """
[hardware.pair]
busy_w = 80
idle_w = 5
node_overhead_w = 10
pue = 1.2
"""


def run(mlcycle, directory, hardware="", accounting="", platform=PLATFORM, options=()):
    directory.mkdir()
    (directory / "platform.xml").write_text(platform)
    (directory / "run.toml").write_text(SCENARIO.format(hardware=hardware, accounting=accounting))
    result = run_mlcycle(mlcycle, ["run", "run.toml", "-o", "run.h5", "--quiet", *options],
                         cwd=directory)
    expect_success(result, f"mlcycle run in {directory.name}")
    return directory / "run.h5"


def read(out):
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        return f["jobs"][()], f["hosts"][()], dict(f["summary"].attrs)


@pytest.mark.title("hardware overrides: busy, idle, overhead and PUE of a cluster{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_override_oracle(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    jobs, hosts, summary = read(run(mlcycle, tmp / "run", OVERRIDE, options=options))
    # wattage_per_state becomes 2 x 5 : 2 x 5 : 2 x 80 = 10:10:160. The job: its GPU 80 W and
    # half its node's 10 W overhead = 85 W x 3,600 s = 306,000 J IT; x 1.2 = 367,200 J;
    # 0.102 kWh x 400 = 40.8 g.
    job = jobs[0]
    expect_close(job["it_energy_j"], 306000.0, "job IT energy")
    expect_close(job["energy_j"], 367200.0, "job facility energy")
    expect_close(job["co2_g"], 40.8, "job co2_g")
    # Host h0: the busy GPU 80 W + the idle one 5 W + overhead 10 W = 95 W x 3,600 = 342,000 J.
    # Host h1, no job: 2 x 5 + 10 = 20 W x 3,600 = 72,000 J.
    expect_close(hosts["it_energy_j"][0], 342000.0, "host h0 IT energy")
    expect_close(hosts["it_energy_j"][1], 72000.0, "host h1 IT energy")
    if engine:
        # The plugin integrated the overridden wattage: the platform's 10:20:100 would differ.
        expect(summary["simgrid_plugin_max_rel_diff"] < 1e-9,
               f"plugin vs meter: {summary['simgrid_plugin_max_rel_diff']}")


@pytest.mark.title("hardware overrides: --set on a scenario without the table")
def test_override_by_set(mlcycle, tmp):
    out = run(mlcycle, tmp / "run", options=["--set", "hardware.pair.busy_w=100"])
    jobs, _, _ = read(out)
    # Busy 100 W + the platform's overhead share 5 / 2 = 102.5 W x 3,600 = 369,000 J IT.
    expect_close(jobs[0]["it_energy_j"], 369000.0, "job IT energy")


@pytest.mark.title("hardware overrides: a cluster's PUE wins over [accounting] pue")
def test_cluster_pue_wins(mlcycle, tmp):
    out = run(mlcycle, tmp / "run", "\n[hardware.pair]\npue = 1.2\n", "\n[accounting]\npue = 2.0\n")
    jobs, _, _ = read(out)
    # The platform's 50 + 2.5 W x 3,600 = 189,000 J IT, x 1.2 (not 2.0) = 226,800 J.
    expect_close(jobs[0]["energy_j"], 226800.0, "job facility energy")


@pytest.mark.title("hardware overrides: the same file as the figures written into the XML")
def test_same_as_written_platform(mlcycle, tmp):
    overridden = run(mlcycle, tmp / "overridden", OVERRIDE)
    written = PLATFORM.replace('"10:20:100"', '"10:10:160"').replace(
        '<prop id="node_overhead_w" value="5"/>', '<prop id="node_overhead_w" value="10"/>'
    ).replace('<prop id="pue" value="1.5"/>', '<prop id="pue" value="1.2"/>')
    expect(written.count("10:10:160") == 1 and 'value="10"/>' in written, "platform not edited")
    by_hand = run(mlcycle, tmp / "by-hand", platform=written)
    a, b = digest(overridden), digest(by_hand)
    # The scenario text differs by the table itself; everything computed must not.
    differing = sorted(k for k in a.keys() | b.keys()
                       if k != "/@scenario_toml" and a.get(k) != b.get(k))
    expect(not differing, f"the runs differ in: {', '.join(differing)}")


@pytest.mark.title("hardware overrides: a sweep over a GPU's busy power")
def test_sweep_over_busy_power(mlcycle, tmp):
    import pandas
    directory = tmp / "sweep"
    directory.mkdir()
    (directory / "platform.xml").write_text(PLATFORM)
    (directory / "run.toml").write_text(SCENARIO.format(hardware="", accounting=""))
    result = run_mlcycle(mlcycle, ["sweep", "run.toml", "-o", "out", "--vary",
                                   "hardware.pair.busy_w=50,100,150"], cwd=directory)
    expect_success(result, "mlcycle sweep")
    table = pandas.read_csv(directory / "out" / "sweep.csv").sort_values("hardware.pair.busy_w")
    # (busy + 2.5 W overhead share) x 3,600 s x PUE 1.5.
    for busy, energy in zip(table["hardware.pair.busy_w"], table["energy_j_experimentation"]):
        expect_close(energy, (busy + 2.5) * 3600 * 1.5, f"experimentation energy at {busy} W")
    expect(list(table["hardware.pair.busy_w"]) == [50, 100, 150], "three sweep points")
