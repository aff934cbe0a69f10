"""Bad-input cases of a cluster's power overrides, `[hardware.<cluster>]` (test_bad_inputs.py),
on the two-host platform (cluster "pair": 2 hosts x 2 GPUs, wattage_per_state 10:20:100, so a
GPU idles at 20 / 2 = 10 W and draws 100 / 2 = 50 W busy)."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from bad_case import Case  # noqa: E402
from cli_support import SOURCE_DIR  # noqa: E402

TWO_HOSTS = SOURCE_DIR / "tests" / "data" / "two-hosts.xml"

# Line 13 is the table's header, its keys follow from line 14.
HEAD = ('[simulation]\nstart = 2020-01-01T00:00:00Z\nplatform = "PLATFORM"\n\n'
        '[grid.r]\nintensity_g_per_kwh = 400\n\n'
        '[[campaign]]\nname = "c"\ntrials = 1\nlength = { fixed = "1h" }\n\n')

# One host with two pstates, one without wattage_per_state (its GPUs cannot be used).
SEVERAL_PSTATES = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="dvfs" routing="Full">
    <prop id="grid_region" value="r"/>
    <host id="d0" speed="1Gf,0.5Gf" core="2">
      <prop id="wattage_per_state" value="10:20:100,8:15:60"/>
    </host>
  </zone>
</platform>
"""
NO_WATTAGE = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="bare" routing="Full">
    <prop id="grid_region" value="r"/>
    <host id="b0" speed="1Gf" core="2"/>
  </zone>
</platform>
"""


def hardware_case(name, table, stderr, platform_xml=None):
    """HEAD on `platform_xml` (default two-hosts.xml), then `table` from line 13."""
    def setup(tmp):
        platform = TWO_HOSTS
        if platform_xml is not None:
            platform = tmp / f"{name}.xml"
            platform.write_text(platform_xml)
        path = tmp / f"{name}.toml"
        path.write_text(HEAD.replace("PLATFORM", str(platform)) + table + "\n")
        return {"f": str(path)}
    return Case(name, setup=setup, stderr=stderr)


HARDWARE_CASES = [
    hardware_case("hardware-unknown-cluster", "[hardware.dgx]\nbusy_w = 300",
                  # found once the platform is loaded, reported at the table
                  r"{f}:13:1: hardware\.dgx: unknown cluster 'dgx' \(the platform has: pair\)"),
    hardware_case("hardware-busy-zero", "[hardware.pair]\nbusy_w = 0",
                  r"{f}:14:\d+: hardware\.pair\.busy_w: must be greater than zero"),
    hardware_case("hardware-idle-negative", "[hardware.pair]\nidle_w = -1",
                  r"{f}:14:\d+: hardware\.pair\.idle_w: must not be negative"),
    hardware_case("hardware-overhead-negative", "[hardware.pair]\nnode_overhead_w = -5",
                  r"{f}:14:\d+: hardware\.pair\.node_overhead_w: must not be negative"),
    hardware_case("hardware-pue-below-one", "[hardware.pair]\npue = 0.9",
                  r"{f}:14:\d+: hardware\.pair\.pue: must be at least 1"),
    hardware_case("hardware-busy-below-idle", "[hardware.pair]\nbusy_w = 40\nidle_w = 60",
                  r"{f}:14:\d+: hardware\.pair\.busy_w: is below idle_w: a busy GPU draws at "
                  r"least its idle power"),
    # busy_w 5 W under the platform's own idle 10 W a GPU
    hardware_case("hardware-busy-below-platform-idle", "[hardware.pair]\nbusy_w = 5",
                  r"{f}:13:1: hardware\.pair\.busy_w: host h0: a busy GPU would draw 5 W, below "
                  r"its idle 10 W"),
    hardware_case("hardware-unknown-key", "[hardware.pair]\nbusy_watts = 300",
                  r"{f}:14:1: hardware\.pair\.busy_watts: unknown key.*"),
    hardware_case("hardware-not-a-number", '[hardware.pair]\nbusy_w = "300 W"',
                  r"{f}:14:\d+: hardware\.pair\.busy_w: expected a number.*"),
    hardware_case("hardware-not-a-table", "[hardware]\npair = 300",
                  r"{f}:14:\d+: hardware\.pair: expected a table \(a cluster's power: "
                  r"\[hardware\.<cluster>\] busy_w = \.\.\.\)"),
    hardware_case("hardware-empty", "[hardware.pair]",
                  r"{f}:13:1: hardware\.pair: empty: give at least one of busy_w, idle_w, "
                  r"node_overhead_w, pue"),
    hardware_case("hardware-several-pstates", "[hardware.dvfs]\nbusy_w = 300",
                  r"{f}:13:1: hardware\.dvfs\.busy_w: host d0 has 2 pstates: give its "
                  r"wattage_per_state in the platform", SEVERAL_PSTATES),
    hardware_case("hardware-no-wattage-one-figure", "[hardware.bare]\nbusy_w = 300",
                  r"{f}:13:1: hardware\.bare\.busy_w: host b0 has no wattage_per_state: give "
                  r"both busy_w and idle_w", NO_WATTAGE),
]
