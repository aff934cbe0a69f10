"""Bad-input cases (test_bad_inputs.py): grid data, lifecycles, deployments, platform power
properties, state profiles and what SimGrid 3.32 would abort on."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from bad_case import Case, on_platform  # noqa: E402


MODEL_CASES = [
    # --- grid data files and time-varying grids ----------------------------------------------
    # Errors in a data file point at the file's line and field ({bad}/NAME.csv:LINE:COL), keyed
    # by the column's header name; errors of the scenario's grid keys point at the key.
    Case("grid-bad-timestamp", scenario="grid-bad-timestamp.toml",
         stderr=r"{bad}/grid-bad-timestamp\.csv:3:1: timestamp: '2020-01-01T25:00:00Z' is not a "
                r"UTC timestamp \(expected e\.g\. 2020-01-01T00:00:00Z\)"),
    Case("grid-unsorted-timestamps", scenario="grid-unsorted.toml",
         stderr=r"{bad}/grid-unsorted\.csv:4:1: timestamp: timestamps out of order: "
                r"2020-01-01T01:00:00Z after 2020-01-01T02:00:00Z \(line 3\)"),
    Case("grid-duplicate-timestamp", scenario="grid-duplicate-timestamp.toml",
         stderr=r"{bad}/grid-duplicate-timestamp\.csv:4:1: timestamp: duplicate timestamp "
                r"2020-01-01T01:00:00Z \(also on line 3\)"),
    Case("grid-negative-intensity", scenario="grid-negative-intensity.toml",
         stderr=r"{bad}/grid-negative-intensity\.csv:4:2: carbon_intensity_g_per_kwh: "
                r"negative intensity -5\.5"),
    Case("grid-missing-column", scenario="grid-missing-column.toml",
         # the header (line 1) lacks the value column: the error lists what it has
         stderr=r"{bad}/grid-missing-column\.csv:1(:\d+)?: carbon_intensity_g_per_kwh: "
                r"no such column; the header has: timestamp, intensity"),
    Case("grid-trace-does-not-cover-run", scenario="grid-short-trace.toml",
         # rows 00:00 and 01:00 (lines 2-3): the data ends at 02:00, the 3 h trial needs 03:00;
         # the error is at the last row's line and names the data's end
         stderr=r"{bad}/grid-short-trace\.csv:3:1: grid\.us-average-2018: the run goes on past "
                r"2020-01-01T02:00:00Z, where the data ends "
                r"\(set hold = \"edges\" or wrap = \"year\"\)"),
    Case("mix-unknown-source", scenario="mix-unknown-source.toml",
         # reported at the region's `file` key (line 9)
         stderr=r"{f}:9:1: grid\.us-average-2018: unknown source 'peat' and no factor: give "
                r"\[grid\.us-average-2018\.factor_g_per_kwh\] peat = <g/kWh>"),
    Case("mix-import-without-rule", scenario="mix-import-without-rule.toml",
         stderr=r"{f}:9:1: grid\.us-average-2018: import column import_from_fr_mw needs a rule: "
                r"\[grid\.us-average-2018\.imports\] fr = <g/kWh>, = \"<region>\" or = "
                r"\"exclude\""),
    Case("unknown-synthetic-model", scenario="unknown-synthetic-model.toml",
         stderr=r"{f}:9:1: grid\.us-average-2018\.model: 'lunar-tidal' is not a built-in grid "
                r"\(.*solar-heavy.*\)"),
    Case("unknown-factor-set", scenario="unknown-factor-set.toml",
         stderr=r"{f}:10:1: grid\.us-average-2018\.factors: 'ipcc-ar6-2022' is not one of: "
                r"ipcc-ar5-2014, ipcc-srren-2011"),
    Case("pue-monthly-eleven-values", scenario="pue-monthly-eleven.toml",
         stderr=r"{f}:11:1: pue\.seasonal\.monthly: needs 12 values, got 11"),
    Case("pue-trace-below-one", scenario="pue-trace-below-one.toml",
         # line 3 of the PUE trace (value column `pue`) is 0.95; keyed by the profile
         stderr=r"{bad}/pue-trace-below-one\.csv:3(:2)?: pue\.measured: pue 0\.95\d* is below "
                r"1\.0: a PUE is at least 1(\.0)?"),

    # --- lifecycles: stages, searches, arrivals, failures, scheduling -------------------------
    # Every fixture starts with the same 8 lines ([simulation] on p100-node.xml, one 8-GPU
    # node, and [grid.us-average-2018]); the interesting tables start on line 9. Checks that
    # need all stages (references, cycles) run after the whole file was read; they report
    # stages, campaigns and deployments by name (`stage.b.after`).
    Case("stage-cycle", scenario="stage-cycle.toml",
         # a after b (line 11), b after a (line 15): the walk from a finds a -> b -> a and
         # reports it at b's `after`
         stderr=r"{f}:15:1: stage\[1\]\.after: dependency cycle: a -> b -> a"),
    Case("stage-self-cycle", scenario="stage-self-cycle.toml",
         stderr=r"{f}:11:1: stage\[0\]\.after: dependency cycle: a -> a"),
    Case("stage-after-unknown", scenario="stage-after-unknown.toml",
         stderr=r"{f}:11:1: stage\[0\]\.after: 'explore' is not a \[\[stage\]\] name"),
    Case("campaign-unknown-stage", scenario="campaign-unknown-stage.toml",
         stderr=r"{f}:15:1: campaign\[0\]\.stage: 'tarin' is not a \[\[stage\]\] name"),
    Case("stage-repeat-without-every", scenario="stage-repeat-without-every.toml",
         stderr=r"{f}:11:1: stage\[0\]\.repeat: needs 'every' \(the period between runs\)"),
    Case("stage-every-without-repeat", scenario="stage-every-without-repeat.toml",
         stderr=r"{f}:11:1: stage\[0\]\.every: needs 'repeat' \(how many runs\)"),
    Case("stage-start-before-scenario", scenario="stage-start-before-scenario.toml",
         stderr=r"{f}:11:1: stage\[0\]\.start_at: is before the scenario start"),
    Case("scheduler-unknown-policy", scenario="scheduler-unknown-policy.toml",
         stderr=r"{f}:10:1: scheduler\.policy: 'sjf' is not one of: fifo, easy-backfill"),
    Case("power-off-negative", scenario="power-off-negative.toml",
         stderr=r"{f}:11:1: scheduler\.power_off_after: must not be negative"),
    Case("search-too-many-gpus", scenario="search-too-many-gpus.toml",
         # 9 GPUs per trial on the 8-GPU node, found once the platform is loaded
         stderr=r"{f}:11:1: campaign\[0\]\.gpus_per_trial: 9 GPUs asked, but "
                r"cluster 'p100-node' has only 8"),
    Case("search-eta-below-two", scenario="search-eta-below-two.toml",
         # `eta = 1.5` inside the inline table on line 11, column 80
         stderr=r"{f}:11:80: campaign\[0\]\.search\.eta: must be at least 2"),
    Case("search-min-above-max-budget", scenario="search-min-above-max-budget.toml",
         stderr=r"{f}:11:62: campaign\[0\]\.search\.min_budget: must not be greater than "
                r"campaign\[0\]\.search\.max_budget \(27\)"),
    Case("search-with-trials", scenario="search-with-trials.toml",
         stderr=r"{f}:11:1: campaign\[0\]\.trials: a search campaign's trials are its "
                r"configurations and their budgets: give them in 'search'"),
    Case("search-unknown-kind", scenario="search-unknown-kind.toml",
         stderr=r"{f}:11:12: campaign\[0\]\.search\.kind: 'bayesian' is not one of: grid, "
                r"random, successive_halving, asha, hyperband"),
    Case("unknown-arrival-pattern", scenario="unknown-arrival-pattern.toml",
         stderr=r"{f}:13:13: campaign\[0\]\.arrival\.pattern: 'bursty' is not one of: "
                r"\"all-at-start\", \"rate\", \"researcher\""),
    Case("checkpoint-interval-zero", scenario="checkpoint-interval-zero.toml",
         stderr=r"{f}:13:39: campaign\[0\]\.failures\.checkpoint_interval: (checkpoint "
                r"interval )?must be greater than zero"),
    Case("crash-probability-above-one", scenario="crash-probability-above-one.toml",
         stderr=r"{f}:13:14: campaign\[0\]\.failures\.crash_probability: must be within "
                r"\[0, 1\]"),
    Case("both-crash-models", scenario="both-crash-models.toml",
         # reported at the second model, rate_per_gpu_hour (line 13, column 39)
         stderr=r"{f}:13:39: campaign\[0\]\.failures\.rate_per_gpu_hour: give either "
                r"crash_probability or rate_per_gpu_hour, not both"),
    Case("walltime-and-factor", scenario="walltime-and-factor.toml",
         stderr=r"{f}:14:1: campaign\[0\]\.walltime_factor: give 'walltime' or a factor, "
                r"not both"),
    Case("gradient-without-step-time", scenario="gradient-without-step-time.toml",
         stderr=r"{f}:14:1: campaign\[0\]\.gradient_mb: needs 'step_time'.*"),

    # --- deployments: [[deployment]] common, serving and fleet keys -----------------------------
    # One campaign on lines 9-12, the [[deployment]] header on line 14 (line 18 when the
    # deployment follows a [[stage]] and its campaign).
    Case("deployment-unknown-kind", scenario="deployment-unknown-kind.toml",
         stderr=r"{f}:16:1: deployment\[0\]\.kind: 'edge' is not one of: serving, fleet"),
    Case("deployment-after-and-start-at", scenario="deployment-after-and-start-at.toml",
         # after = "train" on line 21, start_at on line 22: reported at start_at
         stderr=r"{f}:22:1: deployment\[0\]\.start_at: give 'after' \(a stage\) or 'start_at', "
                r"not both"),
    Case("deployment-after-unknown-stage", scenario="deployment-after-unknown-stage.toml",
         stderr=r"{f}:17:1: deployment\[0\]\.after: 'trian' is not a "
                r"\[\[stage\]\] name"),
    Case("serving-too-many-gpus", scenario="serving-too-many-gpus.toml",
         # 5 replicas x 2 GPUs = 10 GPUs on the 8-GPU node (max_replicas: line 20, column 34)
         stderr=r"{f}:20:34: deployment\[0\]\.autoscaler\.max_replicas: max_replicas 5 x "
                r"replica\.gpus 2 = 10 GPUs held, but cluster 'p100-node' has only 8"),
    Case("serving-zero-batch", scenario="serving-zero-batch.toml",
         # batch_size = 0 would make a replica's throughput 0 (line 19, column 23)
         stderr=r"{f}:19:23: deployment\[0\]\.replica\.batch_size: must be a positive integer"),
    Case("serving-infinite-throughput", scenario="serving-infinite-throughput.toml",
         stderr=r"{f}:19:11: deployment\[0\]\.replica: latency_base_ms and latency_per_item_ms "
                r"are both zero: .+"),
    Case("serving-min-above-max-replicas", scenario="serving-min-above-max-replicas.toml",
         stderr=r"{f}:19:16: deployment\[0\]\.autoscaler\.min_replicas: min replicas greater "
                r"than max replicas \(4 > 2\)"),
    Case("serving-busy-below-idle", scenario="serving-busy-below-idle.toml",
         # found once the platform is loaded: 1 GPU of p100-node idles at (240 + 250) / 8
         # = 61.25 W, above busy_w 40; reported at the `replica` key (line 14)
         stderr=r"{f}:14:1: deployment\[0\]\.replica\.busy_w: busy_w 40 W is less than the "
                r"platform's idle_w 61\.25 W: give both idle_w and busy_w"),
    Case("serving-busy-below-idle-check", scenario="serving-busy-below-idle.toml",
         command=["check", "{f}"],
         stderr=r"{f}:14:1: deployment\[0\]\.replica\.busy_w: busy_w 40 W is less than the "
                r"platform's idle_w 61\.25 W: give both idle_w and busy_w"),
    Case("demand-file-too-short", scenario="demand-file-too-short.toml",
         # the deployment runs from day 1 for 1 h; the data ends at 02:00 on day 0 (last row
         # 01:00 + the 1 h row spacing); reported at the file's last row when the run starts
         stderr=r"{bad}/demand-short\.csv:3:1: deployment\[0\]\.demand\.file: the deployment runs "
                r"until 2020-01-02T01:00:00Z, past 2020-01-01T02:00:00Z where the demand data "
                r"ends .+"),
    Case("fleet-negative-vehicles", scenario="fleet-negative-vehicles.toml",
         stderr=r"{f}:18:1: deployment\[0\]\.vehicles: negative fleet size"),
    Case("fleet-charge-window-too-long", scenario="fleet-charge-window-too-long.toml",
         stderr=r"{f}:21:29: deployment\[0\]\.ev\.charge_hours: charging window longer than "
                r"a day"),
    Case("fleet-table-of-other-source", scenario="fleet-table-of-other-source.toml",
         stderr=r"{f}:21:1: deployment\[0\]\.ice: given, but source is 'ev'"),
    Case("fleet-update-without-updates-from", scenario="fleet-update-without-updates-from.toml",
         stderr=r"{f}:18:1: deployment\[0\]\.update: needs 'updates_from'.*"),
    Case("fleet-updates-from-unknown-stage", scenario="fleet-updates-from-unknown-stage.toml",
         stderr=r"{f}:18:1: deployment\[0\]\.updates_from: 'retrain' is not a "
                r"\[\[stage\]\] name"),
    Case("ice-fleet-region", scenario="ice-fleet-region.toml",
         # found when the fleets are given their sites, after the platform was loaded
         stderr=r"{f}:18:1: deployment(\.cars|\[0\])\.region: an ice fleet burns fuel: it draws "
                r"from no grid region"),
    Case("ev-fleet-unknown-region", scenario="ev-fleet-unknown-region.toml",
         # found after the platform was loaded (OUT.h5.tmp exists by then and must be removed)
         stderr=r"{f}:18:1: deployment(\.cars|\[0\])\.region: 'eu-north' is not a "
                r"\[grid\.<region>\] of the scenario"),

    # --- platform power-state properties (read after OUT.h5.tmp was created) -----------------
    Case("negative-boot-time", scenario="negative-boot-time.toml", xml="negative-boot-time.xml",
         stderr=r"{x}: host p0: boot_time_s: must be at least 0, got -600"),
    Case("wattage-off-garbage", scenario="wattage-off-garbage.toml", xml="wattage-off-garbage.xml",
         stderr=r"{x}: host p0: wattage_off: '5W' is not a number"),

    Case("arrival-on-search", scenario="arrival-on-search.toml",
         stderr=r"{f}:13:1: campaign\[0\]\.arrival: a search submits trials as workers free up: "
                r"arrivals apply to independent trials"),
    Case("trials-per-arrival-without-arrival", scenario="trials-per-arrival-alone.toml",
         stderr=r"{f}:14:1: campaign\[0\]\.trials_per_arrival: needs 'arrival' \(all trials "
                r"arrive at once without\)"),

    # --- SimGrid state profiles (SimGrid itself would abort): checked before it reads them ----
    Case("state-file-missing", scenario="state-file-missing.toml", xml="state-file-missing.xml",
         # at the attribute: line 10, column 40
         stderr=r"{x}:10:40: host g1: state_file: cannot open the profile file no-such\.state"),
    Case("state-file-unsorted", scenario="state-file-unsorted.toml", xml="state-file-unsorted.xml",
         stderr=r"{bad}/unsorted\.state:2:1: host g1: state_file: times must increase "
                r"\(1800 comes after a later time\)"),
    Case("state-file-shared", scenario="state-file-shared.toml", xml="state-file-shared.xml",
         # Two hosts may share a profile file (mlcycle reads it for each and hands SimGrid the
         # events); here both hosts fail, which leaves no host for the scheduler.
         stderr=r"{x}: platform: every host has a state_file: mlcycle's scheduler needs one "
                r"host that never fails"),
    Case("state-file-malformed", scenario="state-file-malformed.toml",
         xml="state-file-malformed.xml",
         # `7200 on`: the value (column 6) is not a number
         stderr=r"{bad}/malformed\.state:2:6: host g1: state_file: value 'on' is not a number"),

    # --- what SimGrid 3.32 aborts on (issue 11): a CRITICAL line and a backtrace, OUT.h5.tmp
    # left behind, before mlcycle checked it. Each platform fixture X.xml runs with
    # bad/platform-case.toml (`--set simulation.platform=X.xml`); g0 (lines 7-9) is a good host.
    # State profiles SimGrid parses but then aborts on, or runs wrongly:
    Case("state-profile-huge-value", scenario="platform-case.toml", xml="profile-huge-value.xml",
         command=on_platform("profile-huge-value.xml"),
         stderr=r"{bad}/huge-value\.state:2:6: host g1: state_file: a state is 0 \(off\) or 1 "
                r"\(on\), got 1e308"),
    Case("state-profile-negative-value", scenario="platform-case.toml",
         xml="profile-negative-value.xml", command=on_platform("profile-negative-value.xml"),
         stderr=r"{bad}/negative-value\.state:2:6: host g1: state_file: a state is 0 \(off\) or "
                r"1 \(on\), got -1"),
    Case("state-profile-nan-time", scenario="platform-case.toml", xml="profile-nan-time.xml",
         command=on_platform("profile-nan-time.xml"),
         stderr=r"{bad}/nan-time\.state:1:1: host g1: state_file: time 'nan' is not a finite "
                r"number"),
    # Host and route checks made before SimGrid sees the file (line 10, column 31: `core`):
    Case("host-zero-cores", scenario="platform-case.toml", xml="host-zero-cores.xml",
         command=on_platform("host-zero-cores.xml"),
         stderr=r"{x}:10:31: host g1: core: a host has at least 1 core \(one per GPU\), got 0"),
    Case("host-negative-cores", scenario="platform-case.toml", xml="host-negative-cores.xml",
         command=on_platform("host-negative-cores.xml"),
         stderr=r"{x}:10:31: host g1: core: a host has at least 1 core \(one per GPU\), got -4"),
    # 10^9 GPUs passed `check`, then `run` died of std::bad_alloc in the GPU pool: both refuse
    Case("host-billion-cores", scenario="platform-case.toml", xml="host-billion-cores.xml",
         command=on_platform("host-billion-cores.xml"),
         stderr=r"{x}:10:31: host g1: core: at most 4096 cores \(GPUs\) per host, got 1000000000"),
    Case("host-billion-cores-check", scenario="platform-case.toml", xml="host-billion-cores.xml",
         command=["check", "{f}", "--set", "simulation.platform=host-billion-cores.xml"],
         stderr=r"{x}:10:31: host g1: core: at most 4096 cores \(GPUs\) per host, got 1000000000"),
    Case("too-many-hosts", scenario="platform-case.toml", xml="too-many-hosts.xml",
         command=["check", "{f}", "--set", "simulation.platform=too-many-hosts.xml"],
         # radical 0-4000000: 4,000,001 hosts, at the <cluster> (line 5, column 3)
         stderr=r"{x}:5:3: cluster huge: the platform would have 4000001 hosts: at most 4000000"),
    Case("duplicate-route", scenario="platform-case.toml", xml="duplicate-route.xml",
         command=on_platform("duplicate-route.xml"),
         stderr=r"{x}:13:5: route g0 -> g1: this route is already defined on line 12 \(routes go "
                r"both ways unless symmetrical=\"NO\"\)"),
    Case("link-profile", scenario="platform-case.toml", xml="link-profile.xml",
         command=on_platform("link-profile.xml"),
         stderr=r"{x}:11:51: link l0: bandwidth_file: profiles on links are not supported by "
                r"mlcycle \(a host's state_file and speed_file are\)"),
    # Broken XML: SimGrid's parse errors, one line at their line; our own reader's, at the byte.
    Case("unclosed-host", scenario="platform-case.toml", xml="unclosed-host.xml",
         command=on_platform("unclosed-host.xml"),
         stderr=r"{x}:9: platform: invalid XML: Unexpected end-tag `</zone>': `</host>' "
                r"expected\."),
    Case("malformed-tag", scenario="platform-case.toml", xml="malformed-tag.xml",
         command=on_platform("malformed-tag.xml"),
         stderr=r"{x}:10:31: platform: unexpected '<' in tag <host>"),
    Case("invalid-utf8", scenario="platform-case.toml", xml="invalid-utf8.xml",
         command=on_platform("invalid-utf8.xml"),
         # `<host id="g1-caf\xe9"`: the Latin-1 byte is column 21 of line 10
         stderr=r"{x}:10:21: platform: invalid UTF-8 \(byte 0xE9\)"),
    Case("platform-too-old", scenario="platform-case.toml", xml="platform-too-old.xml",
         command=on_platform("platform-too-old.xml"),
         # SimGrid's answer is an 8-line banner of stars and advice
         stderr=r"{x}:4: platform: platform version 3\.0 is too old for SimGrid 3\.32 \(it reads "
                r"4\.0 and 4\.1\): update the file with simgrid_update_xml"),
    # What no check of mlcycle's catches: the pre-flight child's abort, as one line.
    Case("unknown-zone-routing", scenario="platform-case.toml", xml="unknown-zone-routing.xml",
         command=on_platform("unknown-zone-routing.xml"),
         stderr=r"{x}:5: platform: Not a valid model!"),
    # SimGrid's `[surf_parse/WARNING] FULLDUPLEX is now deprecated` no longer comes before the
    # error (here g1's grid region).
    Case("parse-warning-and-error", scenario="platform-case.toml", xml="parse-warning.xml",
         command=on_platform("parse-warning.xml"),
         stderr=r"{x}: host g1: grid_region: 'mars-colony' is not a \[grid\.<region>\] of the "
                r"scenario"),
]
