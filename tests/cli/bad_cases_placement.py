"""Bad-input cases of spatial shifting (test_bad_inputs.py): a campaign's `clusters = [...]` and
`placement = {...}`, on the two-region platform (clusters de and fr, 2 GPUs each)."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from bad_case import Case  # noqa: E402
from cli_support import SOURCE_DIR  # noqa: E402

# Line 12 is the campaign's `name`; its other lines follow from line 13.
HEAD = ('[simulation]\nstart = 2020-01-01T00:00:00Z\n'
        f'platform = "{SOURCE_DIR / "tests" / "data" / "two-regions.xml"}"\n\n'
        '[grid.de]\nintensity_g_per_kwh = 400\n\n[grid.fr]\nintensity_g_per_kwh = 100\n\n'
        '[[campaign]]\nname = "c"\n')
TRIALS = ['trials = 2', 'length = { fixed = "1h" }']  # lines 13 and 14
CLUSTERS = 'clusters = ["de", "fr"]'  # line 15


def written_case(name, head, lines, stderr, tail=""):
    """A scenario of `head`, then `lines`, then `tail`."""
    def setup(tmp):
        path = tmp / f"{name}.toml"
        path.write_text(head + "\n".join(lines) + "\n" + tail)
        return {"f": str(path)}
    return Case(name, setup=setup, stderr=stderr)


def placement_case(name, lines, stderr, tail=""):
    """The campaign's lines 13 on: TRIALS, then `lines`; `tail` after the campaign."""
    return written_case(name, HEAD, TRIALS + list(lines), stderr, tail)


PLACEMENT_CASES = [
    placement_case("placement-unknown-cluster", ['clusters = ["de", "es"]'],
                   # found once the platform is loaded, reported at the `clusters` key
                   r"{f}:15:1: campaign\[0\]\.clusters: unknown cluster 'es' \(the platform "
                   r"has: de, fr\)"),
    placement_case("placement-without-clusters", ['placement = { policy = "lowest-now" }'],
                   r"{f}:15:13: campaign\[0\]\.placement: needs 'clusters' with two or more "
                   r"clusters to place jobs on \(e\.g\. clusters = \[\"de\", \"fr\"\]\)"),
    placement_case("placement-one-cluster",
                   ['clusters = ["de"]', 'placement = { policy = "lowest-now" }'],
                   r"{f}:16:13: campaign\[0\]\.placement: needs 'clusters' with two or more "
                   r"clusters .+"),
    placement_case("placement-cluster-and-clusters", ['cluster = "de"', CLUSTERS],
                   r"{f}:16:1: campaign\[0\]\.clusters: give 'cluster' or 'clusters', not both"),
    placement_case("placement-cluster-twice", ['clusters = ["de", "fr", "de"]'],
                   r"{f}:15:1: campaign\[0\]\.clusters: 'de' is listed twice"),
    placement_case("placement-clusters-not-strings", ["clusters = [1, 2]"],
                   r"{f}:15:1: campaign\[0\]\.clusters: expected cluster names \(strings\)"),
    placement_case("placement-unknown-policy", [CLUSTERS, 'placement = { policy = "cheapest" }'],
                   r"{f}:16:15: campaign\[0\]\.placement\.policy: 'cheapest' is not one of: "
                   r"\"round-robin\", \"lowest-now\", \"lowest-forecast\""),
    placement_case("placement-missing-policy", [CLUSTERS, "placement = { data_gb = 5 }"],
                   r"{f}:16:13: campaign\[0\]\.placement: missing key 'policy' "
                   r"\(\"round-robin\", \"lowest-now\", \"lowest-forecast\"\)"),
    placement_case("placement-negative-data",
                   [CLUSTERS, 'placement = { policy = "lowest-now", data_gb = -1 }'],
                   r"{f}:16:\d+: campaign\[0\]\.placement\.data_gb: must be a data volume of at "
                   r"least 0 GB"),
    placement_case("placement-forecast-on-lowest-now",
                   [CLUSTERS, 'placement = { policy = "lowest-now", forecast = "perfect" }'],
                   r"{f}:16:\d+: campaign\[0\]\.placement\.forecast: applies to policy = "
                   r"\"lowest-forecast\" only"),
    placement_case("placement-negative-forecast-error",
                   [CLUSTERS, 'placement = { policy = "lowest-forecast", forecast = "noisy", '
                              "forecast_error = -0.1 }"],
                   r"{f}:16:\d+: campaign\[0\]\.placement\.forecast_error: must be a relative "
                   r"standard deviation of at least 0"),
    placement_case("placement-with-shift",
                   [CLUSTERS, 'shift = { policy = "threshold", threshold = 200, slack = "1d" }'],
                   r"{f}:16:1: campaign\[0\]\.shift: a campaign placed over several clusters "
                   r"cannot also shift in time: use 'clusters' or 'shift'"),
    placement_case("placement-with-power-cap", [CLUSTERS, "power_cap = { limit = 0.67 }"],
                   r"{f}:16:1: campaign\[0\]\.power_cap: a campaign placed over several "
                   r"clusters cannot be power-capped \(a cap's run-time factor depends on the "
                   r"cluster a job lands on\)"),
    placement_case("placement-cluster-cap", [CLUSTERS],
                   r"{f}:17:1: power_cap\.fr: campaign 'c' places its jobs over several "
                   r"clusters and cannot be capped .+",
                   tail="\n[power_cap.fr]\nlimit = 0.67\n"),
    placement_case("placement-too-many-gpus", ["gpus_per_trial = 3", CLUSTERS],
                   r"{f}:15:1: campaign\[0\]\.gpus_per_trial: 3 GPUs asked, but cluster 'de' "
                   r"has only 2"),
]

# --- a serving deployment over several clusters: line 12 is its `name`, its own lines from 17.
SERVICE_HEAD = HEAD.replace('[[campaign]]\nname = "c"\n', '[[deployment]]\nname = "api"\n') + (
    'kind = "serving"\nduration = "1h"\ndemand = { base_rps = 1 }\n'
    "autoscaler = { max_replicas = 1 }\n")


def routing_case(name, lines, stderr, tail=""):
    """The deployment's lines 17 on: `lines`; `tail` after the deployment."""
    return written_case(name, SERVICE_HEAD, lines, stderr, tail)


ROUTING_CASES = [
    routing_case("routing-without-clusters", ['routing = { policy = "lowest-now" }'],
                 r"{f}:17:11: deployment\[0\]\.routing: needs 'clusters' with two or more "
                 r"clusters to route requests between .+"),
    routing_case("routing-unknown-policy", [CLUSTERS, 'routing = { policy = "greenest" }'],
                 r"{f}:18:13: deployment\[0\]\.routing\.policy: 'greenest' is not one of: "
                 r"\"nearest\", \"lowest-now\""),
    routing_case("routing-latency-unlisted",
                 [CLUSTERS, 'routing = { policy = "lowest-now", latency_ms = { es = 20 } }'],
                 r"{f}:18:\d+: deployment\[0\]\.routing\.latency_ms\.es: 'es' is not one of "
                 r"the deployment's clusters"),
    routing_case("routing-latency-first",
                 [CLUSTERS, 'routing = { policy = "lowest-now", latency_ms = { de = 20 } }'],
                 r"{f}:18:\d+: deployment\[0\]\.routing\.latency_ms\.de: requests arrive at the "
                 r"first cluster: no latency is added there"),
    routing_case("routing-negative-latency",
                 [CLUSTERS, 'routing = { policy = "lowest-now", latency_ms = { fr = -5 } }'],
                 r"{f}:18:\d+: deployment\[0\]\.routing\.latency_ms\.fr: must be a latency of "
                 r"at least 0 ms"),
    routing_case("routing-latency-not-a-table",
                 [CLUSTERS, 'routing = { policy = "lowest-now", latency_ms = 12 }'],
                 r"{f}:18:\d+: deployment\[0\]\.routing\.latency_ms: expected a table, got an "
                 r"integer"),
    routing_case("routing-with-power-cap", [CLUSTERS, "power_cap = { limit = 0.67 }"],
                 r"{f}:18:1: deployment\[0\]\.power_cap: a service over several clusters cannot "
                 r"be power-capped \(a cap's factors depend on each cluster's GPUs\)"),
    routing_case("routing-cluster-cap", [CLUSTERS],
                 r"{f}:19:1: power_cap\.de: deployment 'api' serves from several clusters and "
                 r"cannot be capped .+",
                 tail="\n[power_cap.de]\nlimit = 0.67\n"),
    routing_case("routing-unknown-cluster", ['clusters = ["de", "it"]'],
                 r"{f}:17:1: deployment\[0\]\.clusters: unknown cluster 'it' \(the platform "
                 r"has: de, fr\)"),
    # Each listed cluster holds a whole reservation: 3 GPUs do not fit in de's 2.
    routing_case("routing-too-many-gpus", [CLUSTERS, "replica = { gpus = 3 }"],
                 r"{f}:16:16: deployment\[0\]\.autoscaler\.max_replicas: max_replicas 1 x "
                 r"replica\.gpus 3 = 3 GPUs held, but cluster 'de' has only 2"),
]
