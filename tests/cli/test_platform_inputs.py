"""Platforms SimGrid 3.32 used to abort on that are legitimate and must work: a state_file given
by an absolute path (SimGrid's own loader cannot open one), one profile file shared by two hosts
(SimGrid refuses to define a profile twice), a large cluster that `check` accepts with an
estimate of what loading it costs, and a platform that leaves every optional property to its
default.

    /usr/bin/python3 -m pytest tests/cli/test_platform_inputs.py --mlcycle PATH

Needs h5py (Debian's /usr/bin/python3).
"""
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (expect, expect_close, expect_success, import_hdf5_stack,
                         run_mlcycle, temp_dir)


# One 3-hour trial (it takes g0, the first host), scenario start 2020-01-01T00:00:00Z.
SCENARIO = """[simulation]
start = 2020-01-01T00:00:00Z
seed = 7
platform = "platform.xml"

[grid.us-average-2018]
intensity_g_per_kwh = 400

[[campaign]]
name = "c"
trials = 1
length = { distribution = "fixed", hours = 3 }
"""

# Hosts of 1 GPU: idle 1000 W, busy 2000 W, 0 W while down (wattage_off defaults to 0).
HOST = """    <host id="{id}" speed="1Gf" core="1"{extra}>
      <prop id="wattage_per_state" value="1000:1000:2000"/>
    </host>
"""


def platform(hosts):
    return ("<?xml version='1.0'?>\n"
            '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">\n'
            '<platform version="4.1">\n  <zone id="gpus" routing="Full">\n'
            '    <prop id="grid_region" value="us-average-2018"/>\n'
            + "".join(HOST.format(id=h, extra=extra) for h, extra in hosts)
            + "  </zone>\n</platform>\n")


def host_energy_j(trace):
    h5py, _ = import_hdf5_stack()
    with h5py.File(trace, "r") as f:
        return {row["name"].decode(): float(row["energy_j"]) for row in f["hosts"][()]}


def run_platform(mlcycle, tmp, hosts):
    (tmp / "platform.xml").write_text(platform(hosts))
    (tmp / "scenario.toml").write_text(SCENARIO)
    result = run_mlcycle(mlcycle, ["run", "scenario.toml", "-o", "out.h5", "--quiet"],
                         cwd=tmp)
    expect_success(result, "run")
    expect(result.stderr == "", "nothing on stderr", result)
    return host_energy_j(tmp / "out.h5")


# g0 runs the trial: 2000 W x 3 h = 6 kWh = 2.16e7 J. A failing host idles at 1000 W except
# for the hour it is down (3600 s to 7200 s, 0 W): 1000 W x 2 h = 2 kWh = 7.2e6 J.
G0_J = 2000 * 3 * 3600
FAILING_J = 1000 * 2 * 3600


@pytest.mark.title("platform: absolute state_file path")
def test_absolute_state_file(mlcycle):
    with temp_dir("platform") as name:
        tmp = Path(name)
        profile = tmp / "profiles" / "g1.state"
        profile.parent.mkdir()
        profile.write_text("3600 0\n7200 1\n")
        energy = run_platform(mlcycle, tmp, [("g0", ""), ("g1", f' state_file="{profile}"')])
        expect_close(energy["g0"], G0_J, "g0 energy_j")
        expect_close(energy["g1"], FAILING_J, "g1 energy_j (down from 1 h to 2 h)")


@pytest.mark.title("platform: two hosts share a state_file")
def test_shared_state_file(mlcycle):
    with temp_dir("platform") as name:
        tmp = Path(name)
        (tmp / "shared.state").write_text("# both down for the second hour\n3600 0\n7200 1\n")
        energy = run_platform(mlcycle, tmp, [("g0", ""), ("g1", ' state_file="shared.state"'),
                                          ("g2", ' state_file="shared.state"')])
        expect_close(energy["g0"], G0_J, "g0 energy_j")
        expect_close(energy["g1"], FAILING_J, "g1 energy_j")
        expect_close(energy["g2"], FAILING_J, "g2 energy_j")


@pytest.mark.title("platform: large cluster passes check with an estimate")
def test_large_cluster(mlcycle):
    with temp_dir("platform") as name:
        tmp = Path(name)
        (tmp / "platform.xml").write_text(
            "<?xml version='1.0'?>\n"
            '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">\n'
            '<platform version="4.1">\n'
            '  <cluster id="big" prefix="n" suffix="" radical="0-19999" core="8" speed="1Tf"\n'
            '           bw="100Gbps" lat="2us">\n'
            '    <prop id="wattage_per_state" value="320:320:2400"/>\n'
            '    <prop id="grid_region" value="us-average-2018"/>\n'
            "  </cluster>\n</platform>\n")
        (tmp / "scenario.toml").write_text(SCENARIO)
        result = run_mlcycle(mlcycle, ["check", "scenario.toml"], cwd=tmp, timeout=60)
        expect_success(result, "check")
        # 20,000 hosts: CPU 2 loads x 30 us x 20,000 = 1.2 s; memory 3.6 kB x 20,000 = 72.0 MB
        # plus the GPU pool's (8 + 1) bitmaps of 20,000 / 8 + 64 bytes = 0.02 MB -> 72 MB
        expected = ("scenario.toml: ok (1 campaign(s), 20000 host(s); big: 160000 GPUs)\n"
                    "  the platform alone: about 1.2 s of CPU to load (twice: pre-flight and run) "
                    "and 72 MB of memory\n")
        expect(result.stdout == expected, f"stdout:\n{expected}", result)
        expect(result.stderr == "", "nothing on stderr", result)


MINIMAL_PLATFORM = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<!-- Only wattage_per_state: node_overhead_w (default 0), pue (default 1.0) and grid_region
     (default: the scenario's only region) are left to their documented defaults. -->
<platform version="4.1">
  <zone id="site" routing="Full">
    <host id="n0" speed="1Gf" core="8">
      <prop id="wattage_per_state" value="100:100:200"/>
    </host>
  </zone>
</platform>
"""
MINIMAL_SCENARIO = """[simulation]
start = 2020-01-01T00:00:00Z
platform = "minimal.xml"

[grid.only]
intensity_g_per_kwh = 400

[[campaign]]
name = "c"
trials = 1
gpus_per_trial = 2
length = { distribution = "fixed", hours = 3 }
"""


@pytest.mark.title("platform property defaults")
def test_platform_defaults(mlcycle):
    # Regression guard: a platform without node_overhead_w / pue / grid_region (optional, per
    # platform_loader.hpp) used to crash (SIGSEGV in NetZone::get_property: the zone walk went
    # past the root zone).
    with temp_dir("defaults") as tmp:
        (Path(tmp) / "minimal.xml").write_text(MINIMAL_PLATFORM)
        (Path(tmp) / "minimal.toml").write_text(MINIMAL_SCENARIO)
        out = Path(tmp) / "minimal.h5"
        result = run_mlcycle(mlcycle, ["run", Path(tmp) / "minimal.toml", "-o", out, "--quiet"],
                             cwd=tmp)
        expect_success(result, "run minimal.toml")
        h5py, _ = import_hdf5_stack()
        with h5py.File(out, "r") as f:
            jobs = f["jobs"][()]
    # 2 of 8 GPUs, AllCores 200 W, no overhead: 2 * 200 / 8 = 50 W IT; pue 1 => 50 W facility
    # for 3 h = 540,000 J = 0.15 kWh; at 400 g/kWh: 60 g.
    job = jobs[0]
    expect_close(job["it_energy_j"], 50 * 10800, "job it_energy_j (no overhead)")
    expect_close(job["energy_j"], 50 * 10800, "job energy_j (pue defaults to 1)")
    expect_close(job["co2_g"], 60.0, "job co2_g")

