// Full runs through run_simulation on tests/data/two-hosts.xml, one SimGrid engine per test
// process. Each mode must reproduce the same hand oracle (so they agree with each other), and
// the exec mode must agree with SimGrid's host energy plugin to 1e-9.
#include <catch2/catch.hpp>

#include "collecting_recorder.hpp"
#include "engine/simulation.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mlcycle;

namespace {

// Three 1-GPU jobs of 2 h, 1 h and 3 h on two 2-GPU hosts (see test_power_meter.cpp for the
// same schedule worked by hand): best fit puts the first two on h0 and the third on h1.
std::string three_jobs(const std::string& engine, const std::string& extra = "") {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "two-hosts.xml"
engine = ")" +
         engine + "\"\n" + extra + R"(
[grid.r]
intensity_g_per_kwh = 300
[accounting]
price_per_kwh = 0.2
[[campaign]]
name = "three"
trials = 3
length = { distribution = "list", hours = [2, 1, 3] }
)";
}

RunOutcome run(const std::string& text, CollectingRecorder& recorder) {
  Scenario scenario = load_scenario_text(text, std::string(MLCYCLE_TEST_DATA) + "/three.toml");
  return run_simulation(scenario, recorder, EngineOptions{});
}

void check_three_job_oracle(const RunOutcome& outcome, const CollectingRecorder& recorder) {
  // Hand oracle (test_power_meter.cpp): jobs 315 Wh IT, idle 65 Wh IT, facility x 1.5 = 570 Wh,
  // 171 g at 300 g/kWh, cost 0.114; hosts 185 and 195 Wh IT; makespan 3 h.
  const RunSummary& s = outcome.summary;
  CHECK(s.makespan_s == Approx(10800).epsilon(1e-12));
  CHECK(s.series[0].jobs == 3);
  CHECK(s.series[0].it_energy_j == Approx(315 * 3600.0).epsilon(1e-9));
  CHECK(s.series[kIdleSeries].it_energy_j == Approx(65 * 3600.0).epsilon(1e-9));
  CHECK(s.total.energy_j == Approx(570 * 3600.0).epsilon(1e-9));
  CHECK(s.total.co2_g == Approx(171).epsilon(1e-9));
  CHECK(s.total.cost == Approx(0.114).epsilon(1e-9));
  REQUIRE(s.hosts.size() == 2);
  CHECK(s.hosts[0].it_energy_j == Approx(185 * 3600.0).epsilon(1e-9));
  CHECK(s.hosts[1].it_energy_j == Approx(195 * 3600.0).epsilon(1e-9));
  REQUIRE(recorder.jobs.size() == 3);
  CHECK(recorder.jobs[0].end_s == Approx(3600).epsilon(1e-12));  // the 1 h job ends first
  CHECK(recorder.jobs[0].host == 0);
  CHECK(recorder.jobs[2].host == 1);
  CHECK(recorder.bins.size() == 3);
}

}  // namespace

TEST_CASE("analytic engine: two hosts, three jobs match the hand oracle") {
  CollectingRecorder recorder;
  RunOutcome outcome = run(three_jobs("analytic"), recorder);
  check_three_job_oracle(outcome, recorder);
  CHECK(outcome.plugin_max_rel_diff == -1);
  CHECK(outcome.provenance.simgrid_version.rfind("3.32", 0) == 0);
}

TEST_CASE("exec engine: same oracle, and SimGrid's energy plugin agrees to 1e-9") {
  CollectingRecorder recorder;
  RunOutcome outcome = run(three_jobs("exec"), recorder);
  check_three_job_oracle(outcome, recorder);
  CHECK(outcome.plugin_max_rel_diff >= 0);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
  // The plugin integrates SimGrid's part only: 170 Wh and 180 Wh (no overhead, no PUE).
  REQUIRE(outcome.plugin_host_energy_j.size() == 2);
  CHECK(outcome.plugin_host_energy_j[0] == Approx(170 * 3600.0).epsilon(1e-9));
  CHECK(outcome.plugin_host_energy_j[1] == Approx(180 * 3600.0).epsilon(1e-9));
}

TEST_CASE("exec engine: a busy random campaign agrees with the plugin on every host") {
  CollectingRecorder recorder;
  const std::string text = R"([simulation]
start = 2020-01-01T00:00:00Z
seed = 99
platform = "two-hosts.xml"
engine = "exec"
[grid.r]
intensity_g_per_kwh = 250
[[campaign]]
name = "singles"
trials = 300
length = { distribution = "lognormal", median_h = 0.7, sigma = 1.0 }
[[campaign]]
name = "pairs"
trials = 40
gpus_per_trial = 2
max_concurrent = 1
length = { distribution = "uniform", min_h = 0.1, max_h = 2.5 }
)";
  RunOutcome outcome = run(text, recorder);
  CHECK(outcome.summary.total.jobs == 340);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
  double hosts_j = 0;
  for (const HostTotals& h : outcome.summary.hosts) hosts_j += h.energy_j;
  CHECK(hosts_j == Approx(outcome.summary.total.energy_j).epsilon(1e-9));
}

TEST_CASE("horizon: running jobs are cut and recorded unfinished, queued ones counted") {
  CollectingRecorder recorder;
  const std::string text = three_jobs("analytic", "horizon = \"1.5h\"\n") + R"(
[[campaign]]
name = "late"
trials = 2
submit_at = "2h"
length = { hours = 1 }
)";
  RunOutcome outcome = run(text, recorder);
  const RunSummary& s = outcome.summary;
  // The 1 h job completes; the 2 h and 3 h jobs are cut at 1.5 h; "late" never starts.
  CHECK(s.makespan_s == 5400);
  CHECK(s.jobs_unfinished == 2);
  CHECK(s.jobs_pending == 2);
  REQUIRE(recorder.jobs.size() == 3);
  CHECK(recorder.jobs[0].status == JobStatus::completed);
  CHECK(recorder.jobs[1].status == JobStatus::unfinished);
  CHECK(recorder.jobs[1].end_s == 5400);
  // 1.5 GPU-hours each for the cut jobs: 52.5 W x 1.5 h = 78.75 Wh IT.
  CHECK(recorder.jobs[1].it_energy_j == Approx(78.75 * 3600).epsilon(1e-12));
  REQUIRE(recorder.bins.size() == 2);
  CHECK(recorder.bins[1].duration_s == 1800);
}
