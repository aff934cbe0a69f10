"""Bad-input cases (test_bad_inputs.py): the scenario TOML, the platform file, the output path,
--set, ranges of values, user text in messages and the command line."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from bad_case import Case, run_single, setup_existing_dir, setup_read_only_dir  # noqa: E402
from cli_support import SCENARIOS_DIR, SOURCE_DIR  # noqa: E402

# --- `shift = {...}` of a campaign: the case's setup writes a scenario into the temporary
# directory, valid but for that table ({f}). Line 9 is the campaign's `name`; the campaign's
# other lines follow, then `shift = { ... }` on the next line, its `{` in column 9.
SHIFT_HEAD = ('[simulation]\nstart = 2020-01-01T00:00:00Z\n'
              f'platform = "{SOURCE_DIR / "tests" / "data" / "power-states.xml"}"\n\n'
              '[grid.r]\nintensity_g_per_kwh = 300\n\n[[campaign]]\nname = "c"\n')
TRIALS = ['trials = 2', 'length = { fixed = "1h" }']  # the shift on line 12
ASHA = ['search = { kind = "asha", configurations = 9, min_budget = 1, max_budget = 9 }']


def shift_case(name, shift, stderr, campaign=TRIALS):
    def setup(tmp):
        path = tmp / "shift.toml"
        path.write_text(SHIFT_HEAD + "\n".join(campaign + [f"shift = {{ {shift} }}"]) + "\n")
        return {"f": str(path)}
    return Case(name, setup=setup, stderr=stderr)


def cap_case(name, cap, stderr, curve=None, extra=()):
    """A campaign with `power_cap = { cap }` on line 12 (its `{` in column 13); `curve`: the
    platform (1 GPU per node, 20:20:100, so a GPU's busy power is 100 W and its idle share
    20 W) gets that power_cap_curve property ({x})."""
    def setup(tmp):
        head = SHIFT_HEAD
        tokens = {}
        if curve is not None:
            xml = (SOURCE_DIR / "tests" / "data" / "power-states.xml").read_text()
            xml = xml.replace('<prop id="wattage_per_state"',
                              f'<prop id="power_cap_curve" value="{curve}"/>\n'
                              '    <prop id="wattage_per_state"', 1)
            platform = tmp / "curve.xml"
            platform.write_text(xml)
            head = head.replace(str(SOURCE_DIR / "tests" / "data" / "power-states.xml"),
                                str(platform))
            tokens["x"] = str(platform)
        path = tmp / "cap.toml"
        lines = TRIALS + list(extra) + [f"power_cap = {{ {cap} }}"]
        path.write_text(head + "\n".join(lines) + "\n")
        tokens["f"] = str(path)
        return tokens
    return Case(name, setup=setup, stderr=stderr)


def unknown_cluster_cap(tmp):
    path = tmp / "cluster-cap.toml"
    path.write_text(SHIFT_HEAD + "\n".join(TRIALS) + "\n\n[power_cap.nope]\nlimit = 0.5\n")
    return {"f": str(path)}


def cluster_carbon_cap_on_suspend(tmp):
    path = tmp / "cluster-carbon-cap.toml"
    shift = 'shift = { policy = "suspend-resume", threshold = 200, slack = "1d" }'
    path.write_text(SHIFT_HEAD + "\n".join(TRIALS + [shift]) +
                    '\n\n[power_cap.ps]\nlimit = 0.67\npolicy = "carbon-cap"\nthreshold = 200\n')
    return {"f": str(path)}


def deployment_cap_case(name, deployment, stderr):
    """A deployment (lines from 9 on: `[[deployment]]` on line 8) on the 1-GPU-node platform."""
    def setup(tmp):
        path = tmp / "deployment-cap.toml"
        head = SHIFT_HEAD.replace('[[campaign]]\nname = "c"\n', "[[deployment]]\n")
        path.write_text(head + "\n".join(deployment) + "\n")
        return {"f": str(path)}
    return Case(name, setup=setup, stderr=stderr)


SERVING = ['name = "api"', 'kind = "serving"', 'duration = "1h"', 'demand = { base_rps = 1 }',
           "autoscaler = { max_replicas = 1 }"]


def fleet_without_shared_data(tmp):
    # The shipped fleet scenario with a constant grid instead of the shared 2020 trace, so that
    # the case runs in a clone without ../shared (its platform path made absolute).
    text = (SCENARIOS_DIR / "av-fleet.toml").read_text()
    text = text.replace('kind = "trace"\nfile = "../../shared/data/grid/de_2020_carbon_intensity.csv"\n'
                        'wrap = "year"', "intensity_g_per_kwh = 350")
    text = text.replace('platform = "../platforms/', f'platform = "{SOURCE_DIR / "platforms"}/')
    path = tmp / "fleet.toml"
    path.write_text(text)
    return str(path)


def platform_name_too_long(tmp):
    # A file name of 300 characters in an existing folder: the system cannot even look it up
    # (ENAMETOOLONG; names stop at 255 bytes). Found by the scenario fuzzer, which crashed on it.
    path = tmp / "long-name.toml"
    path.write_text('[simulation]\nstart = 2020-01-01T00:00:00Z\n'
                    f'platform = "{"x" * 300}.xml"\n')
    return {"f": str(path), "t": str(tmp)}


SCENARIO_CASES = [
    # --- scenario TOML -----------------------------------------------------------------------
    Case("malformed-toml", scenario="malformed-toml.toml",
         # line 4 is `seed = = 7`; toml++ points at the second '=' (column 8)
         stderr=r"{f}:4:8: malformed TOML: .+"),
    Case("wrong-type-trials", scenario="wrong-type-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: expected an integer, got a string"),
    Case("wrong-type-price", scenario="wrong-type-price.toml",
         stderr=r"{f}:10:1: accounting\.price_per_kwh: expected a number, got a string"),
    Case("negative-trials", scenario="negative-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: must be a positive integer"),
    Case("zero-trials", scenario="zero-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: must be a positive integer"),
    Case("zero-gpus-per-trial", scenario="zero-gpus-per-trial.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.gpus_per_trial: must be a positive integer"),
    Case("gpus-per-trial-overflow", scenario="gpus-per-trial-overflow.toml",
         # 2^32 + 2 GPUs: the loader's range check rejects it at the key (line 12)
         stderr=r"{f}:12:1: campaign\[0\]\.gpus_per_trial: at most 1000000"),
    Case("unknown-top-level-key", scenario="unknown-top-level-key.toml",
         # errors point at the key: `colour = "blue"` is line 1, column 1
         stderr=r"{f}:1:1: colour: unknown key"),
    Case("unknown-campaign-key", scenario="unknown-campaign-key.toml",
         # `  trails = 3` on line 18 (second campaign): the key starts at column 3
         stderr=r"{f}:18:3: campaign\[1\]\.trails: unknown key"),
    Case("unknown-phase", scenario="unknown-phase.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.phase: 'deployment' is not one of: "
                r"experimentation, training, inference"),
    Case("unknown-distribution", scenario="unknown-distribution.toml",
         stderr=r"{f}:13:12: campaign\[0\]\.length\.distribution: 'gamma' is not one of: .+"),
    Case("lognormal-missing-sigma", scenario="lognormal-missing-sigma.toml",
         stderr=r"{f}:13:10: campaign\[0\]\.length: missing key 'sigma'.*"),
    Case("uniform-max-below-min", scenario="uniform-max-below-min.toml",
         stderr=r"{f}:13:49: campaign\[0\]\.length\.max_h: must not be less than min_h"),
    Case("negative-list-hours", scenario="negative-list-hours.toml",
         stderr=r"{f}:12:49: campaign\[0\]\.length\.hours: every entry must be a positive .+"),
    Case("missing-simulation", scenario="missing-simulation.toml",
         stderr=r"{f}:1:1: (simulation: )?missing table \[simulation\]"),
    Case("missing-grid", scenario="missing-grid.toml",
         stderr=r"{f}:1:1: (grid: )?missing \[grid\.<region>\] table.*"),
    Case("both-intensity-units", scenario="both-intensity-units.toml",
         stderr=r"{f}:5:1: grid\.us-average-2018: give intensity_g_per_kwh or "
                r"intensity_lbs_per_kwh, not both"),
    Case("missing-platform-file", scenario="missing-platform-file.toml",
         stderr=r"{f}:3:1: simulation\.platform: no such file: {bad}/no-such-platform\.xml"),
    Case("start-without-utc-offset", scenario="start-without-utc-offset.toml",
         stderr=r"{f}:2:1: simulation\.start: needs a UTC offset .+"),
    Case("bad-duration", scenario="bad-duration.toml",
         stderr=r"{f}:13:1: campaign\[0\]\.submit_at: '3 parsecs' is not a duration .+"),
    Case("pue-below-one", scenario="pue-below-one.toml",
         stderr=r"{f}:10:1: accounting\.pue: a PUE is at least 1\.0"),
    Case("unknown-engine", scenario="unknown-engine.toml",
         stderr=r"{f}:4:1: simulation\.engine: 'quantum' is not one of: analytic, exec"),
    Case("duplicate-campaign-names", scenario="duplicate-campaign-names.toml",
         stderr=r"{f}:16:1: campaign\[1\]\.name: 'search' is used by an earlier campaign"),
    Case("unknown-cluster", scenario="unknown-cluster.toml",
         # found once the platform is loaded, reported at the `cluster` key (line 11)
         stderr=r"{f}:11:1: campaign\[0\]\.cluster: unknown cluster 'v100-pod' .+"),
    Case("too-many-gpus", scenario="too-many-gpus.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.gpus_per_trial: 16 GPUs asked, but "
                r"cluster 'p100-node' has only 8"),
    Case("platform-name-too-long", setup=platform_name_too_long,
         stderr=r"{f}:3:1: simulation\.platform: cannot read {t}/x+\.xml: File name too long"),
    Case("empty-scenario", scenario="empty.toml",
         stderr=r"{f}(:1:1)?: (simulation: )?missing table \[simulation\]"),

    # --- power_cap: a GPU power cap on a campaign (keys point at the key) -------------------
    cap_case("cap-above-busy-power", 'limit = "150 W"',
             r"{f}:12:15: campaign\[0\]\.power_cap\.limit: 150 W is above the busy power of a "
             r"GPU of cluster 'ps' \(host p0\), 100 W \(AllCores / GPUs\): a cap must be at "
             r"most the busy power"),
    cap_case("cap-fraction-above-one", "limit = 1.5",
             r"{f}:12:15: campaign\[0\]\.power_cap\.limit: a fraction above 1 is above the busy "
             r"power: give a fraction in \(0, 1\], or watts per GPU as a string \(\"250 W\"\)"),
    cap_case("cap-in-wrong-unit", 'limit = "0.3 kW"',
             r"{f}:12:15: campaign\[0\]\.power_cap\.limit: unit 'kW' is not a power cap: use a "
             r"fraction of the GPU's busy power in \(0, 1\] \(0\.7 or \"70 %\"\) or watts per "
             r"GPU \(\"250 W\"\)"),
    cap_case("cap-at-idle-power", 'limit = "20 W"',
             r"{f}:12:15: campaign\[0\]\.power_cap\.limit: a cap of 20 W per GPU is not above "
             r"the idle share 20 W \(Epsilon / GPUs\) of a GPU of cluster 'ps' \(host p0\)"),
    cap_case("cap-below-curve", "limit = 0.3",
             r"{f}:12:15: campaign\[0\]\.power_cap\.limit: a cap of 0\.3 of the busy power "
             r"\(30 W of 100 W\) is below the lowest point of the power_cap_curve of cluster "
             r"'ps' \(host p0\), 0\.45"),
    cap_case("cap-without-limit", "",
             r"{f}:12:13: campaign\[0\]\.power_cap: missing key 'limit': a fraction of the "
             r"GPU's busy power .+"),
    cap_case("cap-carbon-without-threshold", 'limit = 0.67, policy = "carbon-cap"',
             r"{f}:12:13: campaign\[0\]\.power_cap: missing key 'threshold': carbon-cap caps "
             r"while the intensity is above it \(g/kWh\)"),
    cap_case("cap-threshold-without-carbon-cap", "limit = 0.67, threshold = 200",
             r"{f}:12:29: campaign\[0\]\.power_cap\.threshold: applies to policy = "
             r"\"carbon-cap\" only"),
    cap_case("cap-unknown-policy", 'limit = 0.67, policy = "dvfs"',
             r"{f}:12:29: campaign\[0\]\.power_cap\.policy: 'dvfs' is not one of: \"always\", "
             r"\"carbon-cap\""),
    cap_case("cap-threshold-in-watts",
             'limit = 0.67, policy = "carbon-cap", threshold = "200 W"',
             r"{f}:12:52: campaign\[0\]\.power_cap\.threshold: unit 'W' is not an intensity: "
             r"use g/kWh, kg/kWh, kg/MWh or lbs/MWh \(a bare number is g/kWh\)"),
    cap_case("cap-carbon-with-suspend-resume",
             'limit = 0.67, policy = "carbon-cap", threshold = 200',
             # the shift takes line 12, the cap line 13
             r"{f}:13:29: campaign\[0\]\.power_cap\.policy: carbon-cap and a suspend-resume "
             r"shift both act while the grid is dirty: use one",
             extra=['shift = { policy = "suspend-resume", threshold = 200, slack = "1d" }']),
    deployment_cap_case(
        "cap-on-a-fleet",
        ['name = "cars"', 'kind = "fleet"', 'duration = "1d"', 'source = "ev"', "vehicles = 2",
         "active_w = 300", "idle_w = 5", "power_cap = { limit = 0.67 }"],
        r"{f}:16:1: deployment\[0\]\.power_cap: applies to serving deployments \(a fleet's GPUs "
        r"are on board\)"),
    deployment_cap_case(
        "cap-replica-below-idle",
        # busy 100 W less the saving 100 - 50 = 50 W: 50 W at full load, under idle_w 60 W
        SERVING + ["replica = { idle_w = 60, busy_w = 100 }", "power_cap = { limit = 0.5 }"],
        r"{f}:15:15: deployment\[0\]\.power_cap\.limit: the capped replica would draw 50 W at "
        r"full load \(100 W less 50 W\), less than its idle power 60 W: raise the cap or give "
        r"a lower idle_w"),
    Case("cap-cluster-carbon-cap-on-suspend-resume", setup=cluster_carbon_cap_on_suspend,
         stderr=r"{f}:14:1: power_cap\.ps: carbon-cap and the suspend-resume shift of campaign "
         r"'c' both act while the grid is dirty: use one"),
    Case("cap-unknown-cluster", setup=unknown_cluster_cap,
         stderr=r"{f}:13:1: power_cap\.nope: unknown cluster 'nope' \(the platform has: ps\)"),
    cap_case("cap-curve-not-monotone", "limit = 0.6",
             r"{x}: host p0: power_cap_curve: '0\.7:1\.3': not monotone, a higher cap may not "
             r"make the GPU slower", curve="0.5:1.2, 0.7:1.3, 1:1"),
    cap_case("cap-curve-without-uncapped-point", "limit = 0.6",
             r"{x}: host p0: power_cap_curve: the last point must be 1:1 \(uncapped: no "
             r"slower\)", curve="0.5:1.4, 0.9:1.1"),

    # --- shift: temporal shifting of a campaign (keys point at the key, tables at their `{`) ---
    shift_case("shift-slack-without-policy", 'slack = "24h"',
               r"{f}:12:9: campaign\[0\]\.shift: missing key 'policy' \(\"threshold\", "
               r"\"forecast-min\", \"suspend-resume\"\): a slack alone shifts nothing"),
    shift_case("shift-negative-slack", 'policy = "threshold", threshold = 200, slack = "-1h"',
               # `slack` starts at column 50
               r"{f}:12:50: campaign\[0\]\.shift\.slack: must be a positive duration .+"),
    shift_case("shift-threshold-in-watts",
               'policy = "threshold", threshold = "200 W", slack = "1d"',
               r"{f}:12:33: campaign\[0\]\.shift\.threshold: unit 'W' is not an intensity: "
               r"use g/kWh, kg/kWh, kg/MWh or lbs/MWh \(a bare number is g/kWh\)"),
    shift_case("shift-negative-forecast-error",
               'policy = "forecast-min", forecast = "noisy", forecast_error = -0.1, slack = "1d"',
               r"{f}:12:56: campaign\[0\]\.shift\.forecast_error: must be a relative standard "
               r"deviation of at least 0"),
    shift_case("shift-unknown-policy", 'policy = "greedy", slack = "1d"',
               r"{f}:12:11: campaign\[0\]\.shift\.policy: 'greedy' is not one of: "
               r"\"threshold\", \"forecast-min\", \"suspend-resume\""),
    shift_case("shift-threshold-under-forecast-min",
               'policy = "forecast-min", threshold = 200, slack = "1d"',
               r"{f}:12:36: campaign\[0\]\.shift\.threshold: applies to policy = \"threshold\" "
               r"or \"suspend-resume\" only"),
    shift_case("shift-search-without-expected-length", 'policy = "forecast-min", slack = "1d"',
               # the search's line 10 moves the shift to line 11
               r"{f}:11:9: campaign\[0\]\.shift: missing key 'expected_length': a search's jobs "
               r"have no common length to plan with", campaign=ASHA),
    shift_case("shift-suspend-with-percentile",
               'policy = "suspend-resume", threshold_percentile = 30, slack = "1d"',
               r"{f}:12:38: campaign\[0\]\.shift\.threshold_percentile: suspend-resume needs a "
               r"fixed 'threshold' \(g/kWh\)"),
    shift_case("shift-negative-checkpoint-write",
               'policy = "suspend-resume", threshold = 200, slack = "1d", '
               'checkpoint_write = "-5min"',
               r"{f}:12:69: campaign\[0\]\.shift\.checkpoint_write: must be a duration of at "
               r"least 0"),
    shift_case("shift-restore-under-threshold",
               'policy = "threshold", threshold = 200, slack = "1d", restore = "5min"',
               r"{f}:12:64: campaign\[0\]\.shift\.restore: applies to policy = "
               r"\"suspend-resume\" only"),
    shift_case("shift-suspend-on-a-search",
               'policy = "suspend-resume", threshold = 200, slack = "1d"',
               r"{f}:11:\d+: campaign\[0\]\.shift\.policy: suspend-resume applies to independent "
               r"trials .+", campaign=ASHA),
    shift_case("shift-percentile-above-100",
               'policy = "threshold", threshold_percentile = 101, slack = "1d"',
               r"{f}:12:33: campaign\[0\]\.shift\.threshold_percentile: must be a percentile "
               r"within \[0, 100\]"),

    # --- platform XML (errors are found after OUT.h5.tmp was created: it must be removed) -----
    Case("malformed-platform-xml", scenario="malformed-platform.toml", xml="malformed-platform.xml",
         # SimGrid's parse error, as one line at the file's line 8 (`</platform>`)
         stderr=r"{x}:8: platform: invalid XML: Unexpected end-tag `</platform>': "
                r"`</cluster>' expected\."),
    Case("wattage-count-mismatch", scenario="wattage-count-mismatch.toml",
         xml="wattage-count-mismatch.xml",
         stderr=r"{x}: host n0: wattage_per_state: has 1 entries but the host has 2 pstate\(s\).*"),
    Case("wattage-garbage", scenario="wattage-garbage.toml", xml="wattage-garbage.xml",
         stderr=r"{x}: host n0: wattage_per_state: 'lots' in entry 'lots:of:watts' .+"),
    Case("overhead-not-a-number", scenario="overhead-not-a-number.toml",
         xml="overhead-not-a-number.xml",
         stderr=r"{x}: host n0: node_overhead_w: '250W' is not a number"),
    Case("undefined-grid-region", scenario="undefined-grid-region.toml",
         xml="undefined-grid-region.xml",
         stderr=r"{x}: host n0: grid_region: 'mars-colony' is not a \[grid\.<region>\] .+"),
    Case("host-without-wattage", scenario="no-wattage.toml", xml="no-wattage.xml",
         # the error names the campaign that would use the host: its [[campaign]] header, line 9
         stderr=r"{f}:9:1: campaign\[0\]\.cluster: host n0 of the cluster has no "
                r"wattage_per_state.*"),
    Case("grid-region-ambiguous", scenario="grid-region-ambiguous.toml", xml="no-grid-region.xml",
         # Regression guard: the zone walk of inherited_property() used to go past the root
         # zone when a property was on neither the host nor its zones (SIGSEGV, OUT.h5.tmp left).
         stderr=r"{x}: host n0: grid_region: missing, and the scenario defines several .+"),

    # --- output path ---------------------------------------------------------------------------
    Case("output-nonexistent-dir", command=["run", "{single}", "-o", "/nonexistent-dir/x.h5"],
         outputs=["/nonexistent-dir/x.h5"],
         stderr=r"/nonexistent-dir/x\.h5: --output: directory /nonexistent-dir does not exist"),
    Case("output-read-only-dir", command=["run", "{single}", "-o", "{rodir}/x.h5"],
         setup=setup_read_only_dir, outputs=["{rodir}/x.h5"],
         stderr=r"{rodir}/x\.h5: --output: cannot create {rodir}/x\.h5\.tmp .+"),
    Case("output-is-a-directory", command=["run", "{single}", "-o", "{tmp}/existing-dir"],
         setup=setup_existing_dir, outputs=["{tmp}/existing-dir.tmp"],
         stderr=r"{tmp}/existing-dir: --output: .+"),
    # Names of 300 characters: the system cannot look them up (ENAMETOOLONG), yet it is still
    # bad input with its one line and exit 2, not an uncaught filesystem error.
    Case("output-name-too-long", command=["run", "{single}", "-o", "{tmp}/" + "y" * 300 + ".h5"],
         outputs=[],
         stderr=r"{tmp}/y+\.h5: --output: cannot create {tmp}/y+\.h5\.tmp .+"),
    Case("scenario-name-too-long", command=["run", "{tmp}/" + "y" * 300 + ".toml", "-o", "{out}"],
         stderr=r"{tmp}/y+\.toml: cannot open the scenario file"),
    Case("output-empty", command=["run", "{single}", "-o", ""],
         outputs=["{tmp}/results/single-trial.h5"],
         stderr=r"(command line: )?(--output|-o)\b.*|command line: .*(--output|'-o').*"),

    # --- --set overrides ---------------------------------------------------------------------
    Case("set-unknown-array-element",
         command=run_single("--set", "campaign.no-such-campaign.trials=3"),
         stderr=r"--set: campaign\.no-such-campaign\.trials: no element 'no-such-campaign' "
                r"in the array"),
    Case("set-array-index-out-of-range", command=run_single("--set", "campaign.5.trials=3"),
         stderr=r"--set: campaign\.5\.trials: no element '5' in the array"),
    Case("set-table", command=run_single("--set", "simulation=3"),
         stderr=r"--set: simulation: only scalar values can be set.*"),
    Case("set-table-value", command=run_single("--set", "accounting.pue={ a = 1 }"),
         stderr=r"--set: accounting\.pue: only scalar values can be set.*"),
    Case("set-array-value", command=run_single("--set", "campaign.one-trial.trials=[1, 2]"),
         stderr=r"--set: campaign\.one-trial\.trials: only scalar values can be set.*"),
    Case("set-array", command=run_single("--set", "campaign.one-trial=3"),
         stderr=r"--set: campaign\.one-trial: 'campaign' is an array: name an element, then a key"),
    Case("set-no-equals", command=run_single("--set", "simulation.seed"),
         stderr=r"--set: simulation\.seed: expected KEY=VALUE .+"),
    Case("set-unknown-key", command=run_single("--set", "simulation.colour=blue"),
         stderr=r"--set: simulation\.colour: unknown key"),
    Case("set-out-of-range", command=run_single("--set", "campaign.one-trial.trials=0"),
         stderr=r"--set: campaign\[0\]\.trials: must be a positive integer"),
    Case("set-wrong-type", command=run_single("--set", "campaign.one-trial.trials=abc"),
         stderr=r"--set: campaign\[0\]\.trials: expected an integer, got a string"),
    Case("set-unknown-pue-profile", command=run_single("--set", "accounting.pue=abc"),
         stderr=r"--set: accounting\.pue: 'abc' is not a \[pue\.<name>\] profile"),
    Case("set-gpus-overflow",
         command=run_single("--set", "campaign.one-trial.gpus_per_trial=4294967296"),
         stderr=r"(--set|{single}:14:1): campaign(\[0\]| one-trial)\.gpus_per_trial: .+"),

    # --- ranges: extreme values are refused, never simulated (docs/scenarios.md, "Limits") ---
    Case("horizon-1e308", scenario="horizon-1e308.toml",
         stderr=r"{f}:4:1: simulation\.horizon: is out of range: durations are at most 1000 years"),
    Case("trace-step-1e-300-ms", command=run_single("--set", 'output.trace_step="1e-300 ms"'),
         stderr=r"--set: output\.trace_step: must be at least 1 s"),
    Case("stage-every-int64-ms", scenario="stage-every-huge.toml",
         stderr=r"{f}:11:1: stage\[0\]\.every: is out of range: durations are at most 1000 years"),
    Case("stage-runs-beyond-1000-years",
         command=["run", "{f}", "--set", 'stage.retrain.every="600y"', "-o", "{out}"],
         scenario="stage-every-huge.toml",
         stderr=r"{f}:12:1: stage\[0\]\.repeat: the runs would start later than 1000 years .+"),
    # A 1-year horizon in 1-s bins is 3.15e7 bins: fine; 10 years would be 3.15e8.
    Case("horizon-too-many-bins",
         command=run_single("--set", 'simulation.horizon="10y"', "--set", 'output.trace_step="1s"'),
         stderr=r"--set: output\.trace_step: the horizon would need more than 10\^8 trace bins: "
                r"use a step of at least 3 s"),
    # No horizon: 1e8 bins of 1 s end at 1157.4 d, and the trial is submitted after 10 years.
    Case("run-past-bin-limit",
         command=run_single("--set", 'output.trace_step="1s"',
                            "--set", 'campaign.one-trial.submit_at="10y"'),
         stderr=r"{single}: simulation: the run would go on past 1157\.4 d of simulated time .+"),
    Case("set-integer-beyond-64-bits",
         command=run_single("--set", "campaign.one-trial.trials=10000000000000000000"),
         stderr=r"--set: campaign\.one-trial\.trials: '10000000000000000000' is out of range: "
                r"integers are at most 9223372036854775807"),
    Case("set-integer-as-1e19", command=run_single("--set", "campaign.one-trial.trials=1e19"),
         stderr=r"--set: campaign\[0\]\.trials: is out of range: integers are at most "
                r"9223372036854775807"),
    Case("set-integer-as-float", command=run_single("--set", "campaign.one-trial.trials=1e3"),
         stderr=r"--set: campaign\[0\]\.trials: expected an integer, got a float .+"),
    Case("trials-beyond-1e12",
         command=run_single("--set", "campaign.one-trial.trials=1000000000001"),
         stderr=r"--set: campaign\[0\]\.trials: is out of range: at most 10\^12 trials .+"),

    # Found by setting every number of the example scenarios to 1e308, 1e-300 and 2^63 - 1:
    # these hung (an arrival search without end), aborted (double free) or exited 1.
    Case("arrival-per-day-1e308",
         command=["run", "{lifecycle}", "--set", "campaign.grid-searches.arrival.per_day=1e308",
                  "-o", "{out}"],
         setup=lambda tmp: {"lifecycle": str(SCENARIOS_DIR / "lisa-lifecycle.toml")},
         stderr=r"--set: campaign\[0\]\.arrival\.per_day: is out of range: 0\.001 to 3600000 "
                r"jobs per working day"),
    Case("arrival-per-day-1e-300",
         command=["run", "{lifecycle}", "--set", "campaign.grid-searches.arrival.per_day=1e-300",
                  "-o", "{out}"],
         setup=lambda tmp: {"lifecycle": str(SCENARIOS_DIR / "lisa-lifecycle.toml")},
         stderr=r"--set: campaign\[0\]\.arrival\.per_day: is out of range: .+"),
    Case("fleet-growth-2-to-63",
         command=["run", "{fleet}", "--set",
                  "deployment.robotaxi-fleet.vehicles_per_month=9223372036854775807", "-o", "{out}"],
         setup=lambda tmp: {"fleet": fleet_without_shared_data(tmp)},
         stderr=r"--set: deployment\[\d\]\.vehicles_per_month: is out of range: at most 10\^12 "
                r"vehicles"),
    Case("serving-latency-1e308",
         command=["run", "{llm}", "--set", "deployment.chat-api.replica.latency_per_item_ms=1e308",
                  "-o", "{out}"],
         setup=lambda tmp: {"llm": str(SCENARIOS_DIR / "llm-serving.toml")},
         stderr=r"--set: deployment\[\d\]\.replica\.latency_per_item_ms: is out of range: at "
                r"most 1e9 ms"),

    # --- user text inside a message is escaped: the message stays one line ------------------
    Case("multi-line-string-in-message", scenario="phase-multiline.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.phase: 'train\\ning' is not one of: .+"),
    Case("line-separator-in-message", scenario="phase-line-separator.toml",
         stderr=r"{f}:12:1: campaign\[0\]\.phase: 'train\\u2028ing' is not one of: .+"),

    # --- command line ------------------------------------------------------------------------
    Case("unknown-command", command=["frobnicate", "{single}"], outputs=[],
         stderr=r"command line: unknown command 'frobnicate'.*"),
    Case("missing-command", command=[], outputs=[],
         stderr=r"command line: missing command.*"),
    Case("missing-scenario-argument", command=["run"], outputs=[],
         stderr=r"command line: missing SCENARIO file.*"),
    Case("two-scenario-arguments", command=["run", "{single}", "{single}"], outputs=[],
         stderr=r"command line: expected one SCENARIO file, got several.*"),
    Case("missing-scenario-file", command=["run", "{tmp}/no-such-scenario.toml", "-o", "{out}"],
         stderr=r"{tmp}/no-such-scenario\.toml: cannot open the scenario file"),
    Case("unknown-option", command=["run", "{single}", "--frobnicate"],
         stderr=r"command line: unrecognised option '--frobnicate'.*"),
    Case("seed-not-a-number", command=run_single("--seed", "abc"),
         stderr=r"command line: --seed: 'abc' is not a non-negative integer.*"),
    Case("seed-negative", command=run_single("--seed=-1"),
         stderr=r"command line: --seed: '-1' is not a non-negative integer.*"),
    Case("check-with-output", command=["check", "{single}", "-o", "{out}"],
         stderr=r"command line: check writes nothing: --output does not apply.*"),
    Case("sg-cfg-unknown-key", command=run_single("--sg-cfg", "no/such-key:1"),
         stderr=r"command line: --sg-cfg no/such-key:1: Bad config key: no/such-key.*"),
    Case("sg-cfg-malformed", command=run_single("--sg-cfg", "nocolon"),
         stderr=r"command line: --sg-cfg[ =]nocolon: .+"),
    Case("sg-log-malformed", command=run_single("--sg-log", "garbage"),
         stderr=r"command line: --sg-log[ =]garbage: .+"),
    Case("sg-log-bad-priority", command=run_single("--sg-log", "root.thres:bogus"),
         stderr=r"command line: --sg-log[ =]root\.thres:bogus: .+"),
]
