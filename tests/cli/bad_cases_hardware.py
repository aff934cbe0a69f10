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

# Scenarios of [[cluster]] tables and compute-sized work: the lines from 7 on are `body`.
GENERATED_HEAD = ('[simulation]\nstart = 2020-01-01T00:00:00Z\n\n'
                  '[grid.r]\nintensity_g_per_kwh = 400\n\n')
CLUSTER = ('[[cluster]]\nname = "c"\ngpu = "v100-sxm2"\nnodes = 2\ngpus_per_node = 8\n'
           'region = "r"\n')  # lines 7 to 12 when first
# After CLUSTER: line 13 blank, then [[campaign]] to gpus_per_trial (14 to 17), its keys from 18.
CAMPAIGN = '\n[[campaign]]\nname = "t"\ntrials = 1\ngpus_per_trial = 8\n'
# A campaign that makes a cluster case a whole scenario, after the cluster's lines.
AFTER = '\n' + CAMPAIGN + 'length = { fixed = "1h" }\n'


def generated_case(name, body, stderr, platform_xml=None):
    def setup(tmp):
        text = GENERATED_HEAD + body + "\n"
        if platform_xml is not None:
            (tmp / "p.xml").write_text(platform_xml)
            text = text.replace("start = 2020-01-01T00:00:00Z\n",
                                'start = 2020-01-01T00:00:00Z\nplatform = "p.xml"\n', 1)
        path = tmp / f"{name}.toml"
        path.write_text(text)
        return {"f": str(path)}
    return Case(name, setup=setup, stderr=stderr)


def platform_case(name, options, stderr):
    """`mlcycle platform OPTIONS`: nothing may be written."""
    return Case(name, command=["platform", *options], stderr=stderr,
                outputs=["{tmp}/p.xml"])


GENERATED_CASES = [
    generated_case("cluster-unknown-gpu", CLUSTER.replace("v100-sxm2", "h900") + AFTER,
                   r"{f}:9:\d+: cluster\[0\]\.gpu: unknown accelerator 'h900' \(known: "
                   r"a100-sxm4-40gb, a100-sxm4-80gb, .*v100-sxm2\)"),
    generated_case("cluster-torus-cannot-hold", CLUSTER + 'topology = "torus:2,2,2"' + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.topology: torus 2,2,2 holds 8 nodes, not 2"),
    generated_case("cluster-fat-tree-prime", CLUSTER.replace("nodes = 2", "nodes = 127")
                   + 'topology = "fat-tree"' + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.topology: no fat tree of at most 3 levels of 64-port "
                   r"switches holds exactly 127 nodes.*"),
    generated_case("cluster-unknown-topology", CLUSTER + 'topology = "hypercube"' + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.topology: 'hypercube' is not one of: star, "
                   r"fat-tree, torus, dragonfly"),
    generated_case("cluster-zero-nodes", CLUSTER.replace("nodes = 2", "nodes = 0") + AFTER,
                   r"{f}:10:\d+: cluster\[0\]\.nodes: must be 1 to 4000000"),
    generated_case("cluster-bad-link", CLUSTER + 'link = "fast"' + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.link: 'fast' is not a bandwidth .*"),
    generated_case("cluster-two-non-star", CLUSTER + 'topology = "torus"\n\n'
                   + CLUSTER.replace('name = "c"', 'name = "d"') + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.topology: a torus cluster has no gateway in SimGrid "
                   r"3\.32, so it cannot be joined to other clusters: use \"star\" in a platform "
                   r"of several clusters"),
    generated_case("cluster-and-platform", CLUSTER + CAMPAIGN + 'length = { fixed = "1h" }',
                   r"{f}:\d+:\d+: cluster: give simulation\.platform or \[\[cluster\]\] tables, "
                   r"not both.*", platform_xml=(TWO_HOSTS.read_text())),
    generated_case("work-mfu-above-one", CLUSTER + CAMPAIGN + "work = { flops = 1e20 }\nmfu = 1.5",
                   r"{f}:19:\d+: campaign\[0\]\.mfu: must be within \(0, 1\]"),
    generated_case("work-mfu-zero", CLUSTER + CAMPAIGN + "work = { flops = 1e20 }\nmfu = 0",
                   r"{f}:19:\d+: campaign\[0\]\.mfu: must be within \(0, 1\]"),
    generated_case("work-params-negative",
                   CLUSTER + CAMPAIGN + "work = { params = -7e9, tokens = 1e12 }",
                   r"{f}:18:\d+: campaign\[0\]\.work\.params: must be greater than zero"),
    generated_case("work-tokens-zero",
                   CLUSTER + CAMPAIGN + "work = { params = 7e9, tokens = 0 }",
                   r"{f}:18:\d+: campaign\[0\]\.work\.tokens: must be greater than zero"),
    generated_case("work-tokens-missing", CLUSTER + CAMPAIGN + "work = { params = 7e9 }",
                   r"{f}:18:\d+: campaign\[0\]\.work: missing key 'tokens' \(training tokens\)"),
    generated_case("work-and-length",
                   CLUSTER + CAMPAIGN + 'work = { flops = 1e20 }\nlength = { fixed = "1h" }',
                   r"{f}:19:1: campaign\[0\]\.length: the trials are sized by 'work': give "
                   r"'work' or a length, not both"),
    generated_case("work-attention-incomplete",
                   CLUSTER + CAMPAIGN + "work = { params = 7e9, tokens = 1e12, layers = 32 }",
                   r"{f}:18:\d+: campaign\[0\]\.work: the attention term needs 'layers', 'context' "
                   r"and 'd_model' together"),
    # A hand-written platform without an `accelerator` property cannot size work.
    generated_case("work-no-accelerator",
                   CAMPAIGN.replace("gpus_per_trial = 8", "gpus_per_trial = 2")
                   + "work = { flops = 1e20 }",
                   r"{f}:\d+:\d+: campaign\[0\]\.work: cluster 'pair' names no accelerator: add "
                   r"<prop id=\"accelerator\" value=\"\.\.\.\"/> \(a catalog id\) to it, or "
                   r"generate it with \[\[cluster\]\]", platform_xml=TWO_HOSTS.read_text()),
    platform_case("platform-unknown-gpu", ["--gpu", "h900", "--nodes", "4", "--gpus-per-node",
                                           "8", "-o", "{tmp}/p.xml"],
                  r"command line: --gpu: unknown accelerator 'h900' \(known: a100-sxm4-40gb, .*\)"),
    platform_case("platform-missing-nodes", ["--gpu", "h100-sxm", "--gpus-per-node", "8", "-o",
                                             "{tmp}/p.xml"],
                  r"command line: --nodes: missing \(a whole number of at least 1\)"),
    platform_case("platform-bad-topology", ["--gpu", "h100-sxm", "--nodes", "100",
                                            "--gpus-per-node", "8", "--topology", "torus:4,4,4",
                                            "-o", "{tmp}/p.xml"],
                  r"command line: --topology: torus 4,4,4 holds 64 nodes, not 100"),
    platform_case("platform-bad-link", ["--gpu", "h100-sxm", "--nodes", "4", "--gpus-per-node",
                                        "8", "--link", "400", "-o", "{tmp}/p.xml"],
                  r"command line: --link: '400' is not a bandwidth .*"),
    platform_case("platform-host-mismatch", ["--gpu", "h100-sxm", "--host", "dgx-h100",
                                             "--nodes", "4", "--gpus-per-node", "4", "-o",
                                             "{tmp}/p.xml"],
                  r"command line: --gpus-per-node: 4 GPUs per node, but host profile 'dgx-h100' "
                  r"holds 8"),
    platform_case("platform-no-output", ["--gpu", "h100-sxm", "--nodes", "4", "--gpus-per-node",
                                         "8"],
                  r"command line: -o: missing: the platform file to write"),
    generated_case("cluster-torus-side-of-one", CLUSTER + 'topology = "torus:1,2"' + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.topology: torus 1,2 has a side of 1, whose link "
                   r"SimGrid 3\.32 declares twice: leave it out"),
    generated_case("cluster-dragonfly-groups", CLUSTER.replace("nodes = 2", "nodes = 16")
                   + 'topology = "dragonfly:4,1;2,1;2,1;1"' + AFTER,
                   r"{f}:13:\d+: cluster\[0\]\.topology: dragonfly 4,1;2,1;2,1;1 has more groups "
                   r"than routers a chassis, which SimGrid 3\.32 crashes on"),
    generated_case("cluster-region-not-a-name", CLUSTER.replace('region = "r"', 'region = "r&s"')
                   + AFTER,
                   r"{f}:12:\d+: cluster\[0\]\.region: 'r&s' is not a grid region name "
                   r"\(letters, digits, _ -\)"),
    generated_case("cluster-host-other-gpu", CLUSTER.replace("gpus_per_node = 8\n",
                                                             'host = "dgx-h100"\n') + AFTER,
                   r"{f}:11:\d+: cluster\[0\]\.host: host profile 'dgx-h100' holds h100-sxm, "
                   r"not v100-sxm2"),
    generated_case("cluster-gpus-per-node-too-many",
                   CLUSTER.replace("gpus_per_node = 8", "gpus_per_node = 5000") + AFTER,
                   r"{f}:11:\d+: cluster\[0\]\.gpus_per_node: must be 1 to 4096"),
    generated_case("work-overflows", CLUSTER + CAMPAIGN + "work = { params = 1e200, tokens = 1e200 }",
                   r"{f}:18:\d+: campaign\[0\]\.work: a trial would compute for more than 1000 "
                   r"years on 8 GPUs of 'v100-sxm2'"),
    platform_case("platform-output-directory", ["--gpu", "h100-sxm", "--nodes", "4",
                                                "--gpus-per-node", "8", "-o", "{tmp}"],
                  r"command line: -o: .* is a directory, not a file"),
]
