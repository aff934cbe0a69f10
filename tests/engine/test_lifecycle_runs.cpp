// Lifecycle runs through run_simulation, one SimGrid engine per test process: node power
// states, node failures from SimGrid state profiles, data-parallel all-reduce over the
// platform's network, with hand oracles; exec mode agrees with SimGrid's energy plugin.
#include <catch2/catch.hpp>

#include "collecting_recorder.hpp"
#include "core/units.hpp"
#include "engine/simulation.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/conservation.hpp"

using namespace mlcycle;

namespace {

RunOutcome run(const std::string& text, CollectingRecorder& recorder, EngineOptions options = {}) {
  Scenario scenario = load_scenario_text(text, std::string(MLCYCLE_TEST_DATA) + "/run.toml");
  return run_simulation(scenario, recorder, options);
}

constexpr double kWh = 3600.0;

// Jobs + idle = trace bins = hosts, facility energy (support/conservation.hpp).
void check_conservation(const RunOutcome& outcome, const CollectingRecorder& recorder) {
  mlcycle::testing::check_conservation(outcome.summary, recorder.jobs, recorder.bins);
}

// power-states.xml at 100 g/kWh: a 2-h trial at t = 0 (campaign `first_name`), then a 1-h trial
// submitted at `second_at`; nodes switch off after `power_off_after` idle.
std::string power_states_scenario(const std::string& engine, const std::string& power_off_after,
                                  const std::string& first_name, const std::string& second_name,
                                  const std::string& second_at) {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "power-states.xml"
engine = ")" +
         engine + R"("
[grid.r]
intensity_g_per_kwh = 100
[scheduler]
power_off_after = )" +
         power_off_after + R"(
[[campaign]]
name = ")" +
         first_name +
         R"("
trials = 1
length = { distribution = "fixed", hours = 2 }
[[campaign]]
name = ")" +
         second_name +
         R"("
trials = 1
submit_at = ")" +
         second_at +
         R"("
length = { distribution = "fixed", hours = 1 }
)";
}

std::string power_states(const std::string& engine) {
  return power_states_scenario(engine, "\"1h\"", "a", "b", "5h");
}

void check_power_state_oracle(const RunOutcome& outcome, const CollectingRecorder& recorder) {
  // p0: busy 0-2 h (100 W) = 200 Wh; idle 2-3 h (20 W) = 20 Wh; off 3-5 h (5 W) = 10 Wh;
  //     boots for b 5 h-5 h 10 min (150 W) = 25 Wh; busy 5 h 10 min-6 h 10 min = 100 Wh: 355 Wh.
  // p1: idle 0-1 h = 20 Wh; off 1 h-6 h 10 min (5 W x 31/6 h) = 25.8333 Wh: 45.8333 Wh.
  // Jobs 300 Wh; idle = 400.8333 - 300 = 100.8333 Wh (55 on p0, 45.8333 on p1). Off: 2 h +
  // 31/6 h; one boot.
  const RunSummary& s = outcome.summary;
  CHECK(s.makespan_s == Approx(6 * 3600 + 600).epsilon(1e-12));
  REQUIRE(s.hosts.size() == 2);
  CHECK(s.hosts[0].it_energy_j == Approx(355 * kWh).epsilon(1e-9));
  CHECK(s.hosts[1].it_energy_j == Approx((20 + 5 * 31.0 / 6) * kWh).epsilon(1e-9));
  CHECK(s.series[0].it_energy_j == Approx(300 * kWh).epsilon(1e-9));
  CHECK(s.series[kIdleSeries].it_energy_j == Approx((75 + 5 * 31.0 / 6) * kWh).epsilon(1e-9));
  CHECK(s.node_boots == 1);
  CHECK(s.node_off_hours == Approx(2 + 31.0 / 6).epsilon(1e-9));
  REQUIRE(recorder.jobs.size() == 2);
  CHECK(recorder.jobs[1].wait_s == Approx(600).epsilon(1e-12));  // the boot
  CHECK(recorder.jobs[1].start_s == Approx(5 * 3600 + 600).epsilon(1e-12));
  check_conservation(outcome, recorder);
}

}  // namespace

TEST_CASE("power states: idle nodes switch off and boot on demand (analytic)", "[lifecycle]") {
  CollectingRecorder recorder;
  check_power_state_oracle(run(power_states("analytic"), recorder), recorder);
}

TEST_CASE("power states: exec engine matches the oracle and SimGrid's plugin", "[lifecycle]") {
  CollectingRecorder recorder;
  const RunOutcome outcome = run(power_states("exec"), recorder);
  check_power_state_oracle(outcome, recorder);
  // SimGrid keeps a switched-off host on (idle): our simgrid_model_j mirrors exactly that.
  CHECK(outcome.plugin_max_rel_diff >= 0);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
}

namespace {
std::string failing_node(const std::string& engine) {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "failing-node.xml"
engine = ")" +
         engine + R"("
[grid.r]
intensity_g_per_kwh = 300
[[campaign]]
name = "two"
trials = 2
length = { distribution = "fixed", hours = 2 }
failures = { checkpoint_interval = "40min", max_retries = 1 }
)";
}

void check_failure_oracle(const RunOutcome& outcome, const CollectingRecorder& recorder) {
  // g1 fails at 1 h (state profile g1.state), back at 3 h. Job 1 on g1 saved one checkpoint
  // (40 min) and lost 20 min; its retry (80 min of work) waits for g0, free at 2 h: 2 h-3 h 20.
  // g0: busy 0-3 h 20 min (100 W) = 333.333 Wh.
  // g1: busy 0-1 h = 100 Wh; down 1-3 h (5 W) = 10 Wh; idle 3 h-3 h 20 (10 W) = 3.333 Wh.
  const RunSummary& s = outcome.summary;
  CHECK(s.makespan_s == Approx(3 * 3600 + 1200).epsilon(1e-12));
  REQUIRE(recorder.jobs.size() == 3);
  const JobRecord& failed = recorder.jobs[0];
  CHECK(failed.stop_reason == StopReason::node_failure);
  CHECK(failed.end_s == Approx(3600).epsilon(1e-12));
  CHECK(failed.wasted_gpu_hours == Approx(1.0 / 3).epsilon(1e-9));
  CHECK(failed.wasted_co2_g == Approx(100.0 / 3 / 1000 * 300).epsilon(1e-9));  // 33.3 Wh
  const JobRecord& retry = recorder.jobs[2];
  CHECK(retry.attempt == 1);
  CHECK(retry.trial == failed.trial);
  CHECK(retry.start_s == Approx(7200).epsilon(1e-12));
  CHECK(retry.end_s == Approx(7200 + 4800).epsilon(1e-12));
  CHECK(retry.host == 0);
  CHECK(s.hosts[0].it_energy_j == Approx(1000.0 / 3 * kWh).epsilon(1e-9));
  CHECK(s.hosts[1].it_energy_j == Approx((110 + 10.0 / 3) * kWh).epsilon(1e-9));
  CHECK(s.node_down_hours == Approx(2).epsilon(1e-9));
  REQUIRE(s.campaigns.size() == 1);
  CHECK(s.campaigns[0].crashes == 1);
  CHECK(s.campaigns[0].completed == 2);
  CHECK(s.campaigns[0].wasted_gpu_hours == Approx(1.0 / 3).epsilon(1e-9));
  check_conservation(outcome, recorder);
}
}  // namespace

TEST_CASE("node failures from a SimGrid state profile crash jobs to their checkpoint",
          "[lifecycle]") {
  CollectingRecorder recorder;
  check_failure_oracle(run(failing_node("analytic"), recorder), recorder);
}

TEST_CASE("node failures in the exec engine agree with the oracle and the plugin", "[lifecycle]") {
  CollectingRecorder recorder;
  const RunOutcome outcome = run(failing_node("exec"), recorder);
  check_failure_oracle(outcome, recorder);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
}

namespace {
std::string data_parallel(double gradient_mb) {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "dp-cluster.xml"
[grid.r]
intensity_g_per_kwh = 100
[[campaign]]
name = "dp"
phase = "training"
trials = 1
gpus_per_trial = 8
step_time = 1
gradient_mb = )" +
         std::to_string(gradient_mb) + R"(
length = { distribution = "fixed", hours = 1 }
)";
}
}  // namespace

TEST_CASE("a data-parallel job pays the ring all-reduce SimGrid measures on the network",
          "[lifecycle]") {
  // CM02 (no TCP factors) without cross-traffic (the 5 % of reverse ACK traffic): a ring phase
  // sends 1000 MB / 4 = 250 MB per link at 1 GB/s at once = 0.25 s; the all-reduce is 2 (4 - 1) = 6
  // phases = 1.5 s per 1 s step, so the job's 3,600 steps take 3,600 x 2.5 = 9,000 s.
  CollectingRecorder recorder;
  EngineOptions cm02;
  cm02.sg_cfg = {"network/model:CM02", "network/crosstraffic:0"};
  const RunOutcome outcome = run(data_parallel(1000), recorder, cm02);
  REQUIRE(recorder.jobs.size() == 1);
  const JobRecord& job = recorder.jobs[0];
  CHECK(job.nodes == 4);
  CHECK(job.end_s - job.start_s == Approx(9000).epsilon(1e-9));
  // 8 GPUs x 100 W x 9,000 s.
  CHECK(job.it_energy_j == Approx(8 * 100 * 9000.0).epsilon(1e-9));
  check_conservation(outcome, recorder);
}

TEST_CASE("a slower network makes the same data-parallel job longer", "[lifecycle]") {
  // SimGrid's default model (TCP factors, cross-traffic): the all-reduce costs more than the
  // ideal 1.5 s per step, and twice the gradient costs twice the transfer time.
  CollectingRecorder small;
  // One engine per process: run both jobs in one scenario on one platform.
  std::string text = data_parallel(500);
  text += R"([[campaign]]
name = "dp-large"
phase = "training"
trials = 1
gpus_per_trial = 8
step_time = 1
gradient_mb = 1000
length = { distribution = "fixed", hours = 1 }
)";
  const RunOutcome outcome = run(text, small);
  REQUIRE(small.jobs.size() == 2);
  const double first_s = small.jobs[0].end_s - small.jobs[0].start_s;
  const double second_s = small.jobs[1].end_s - small.jobs[1].start_s;
  // Per step: 1 s compute + all-reduce; the all-reduce part doubles with the gradient.
  CHECK(first_s > 3600 * 1.75);
  CHECK((second_s - 3600) == Approx(2 * (first_s - 3600)).epsilon(1e-6));
  check_conservation(outcome, small);
}

TEST_CASE("two jobs started at once each boot their own switched-off node", "[lifecycle]") {
  // Both nodes are off from 1 h; at 5 h two 1-h trials arrive together: each boots a node
  // (10 min at 150 W), then runs 1 h at 100 W. Per node: idle 0-1 h 20 Wh, off 1-5 h 20 Wh,
  // boot 25 Wh, busy 100 Wh: 165 Wh; both jobs wait 600 s.
  CollectingRecorder recorder;
  const RunOutcome outcome = run(R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "power-states.xml"
[grid.r]
intensity_g_per_kwh = 100
[scheduler]
power_off_after = "1h"
[[campaign]]
name = "pair"
trials = 2
submit_at = "5h"
length = { distribution = "fixed", hours = 1 }
)",
                                 recorder);
  const RunSummary& s = outcome.summary;
  CHECK(s.node_boots == 2);
  REQUIRE(recorder.jobs.size() == 2);
  for (const JobRecord& job : recorder.jobs) CHECK(job.wait_s == Approx(600).epsilon(1e-12));
  for (const HostTotals& host : s.hosts) CHECK(host.it_energy_j == Approx(165 * kWh).epsilon(1e-9));
  check_conservation(outcome, recorder);
}

namespace {
// power_off_after = 0: one 2-h trial at t = 0 on the two-node platform. p0 takes the job at
// t = 0 and must not be switched off first (no boot, no wait); p1 is idle from t = 0 and
// switches off at once. The 1-h trial submitted at 2 h finds p0 freed at that very instant and
// takes it without a boot (p0 was never idle for a positive time).
// p0: busy 0-2 h (100 W) = 200 Wh, busy 2-3 h = 100 Wh, then off: the run ends at 3 h.
// p1: off 0-3 h (5 W) = 15 Wh. Jobs 300 Wh; idle 15 Wh; no boot; off 3 h (p1 only).
void check_off_at_zero(const RunOutcome& outcome, const CollectingRecorder& recorder) {
  const RunSummary& s = outcome.summary;
  CHECK(s.node_boots == 0);
  REQUIRE(recorder.jobs.size() == 2);
  for (const JobRecord& job : recorder.jobs) CHECK(job.wait_s == 0);
  CHECK(recorder.jobs[0].start_s == 0);
  CHECK(recorder.jobs[1].start_s == Approx(2 * 3600).epsilon(1e-12));
  CHECK(recorder.jobs[1].host == recorder.jobs[0].host);
  CHECK(s.makespan_s == Approx(3 * 3600).epsilon(1e-12));
  CHECK(s.hosts[0].it_energy_j == Approx(300 * kWh).epsilon(1e-9));
  CHECK(s.hosts[1].it_energy_j == Approx(15 * kWh).epsilon(1e-9));
  CHECK(s.node_off_hours == Approx(3).epsilon(1e-9));
  check_conservation(outcome, recorder);
}

std::string off_at_zero(const std::string& engine) {
  return power_states_scenario(engine, "0", "first", "second", "2h");
}
}  // namespace

TEST_CASE("power_off_after = 0 never switches off a node that work takes at the same instant",
          "[lifecycle]") {
  CollectingRecorder recorder;
  check_off_at_zero(run(off_at_zero("analytic"), recorder), recorder);
}

TEST_CASE("power_off_after = 0 in the exec engine: same oracle, plugin agrees", "[lifecycle]") {
  CollectingRecorder recorder;
  const RunOutcome outcome = run(off_at_zero("exec"), recorder);
  check_off_at_zero(outcome, recorder);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
}

TEST_CASE("the scheduler lives on a host that never fails, even when the first one does",
          "[lifecycle]") {
  // failing-first-node.xml: g0 (the platform's first host) fails at 1 h and is back at 3 h. The
  // scheduler runs on g1; the job on g0 crashes to its 40-min checkpoint and its retry (80 min)
  // runs on g1 once g1's own 2-h job has ended.
  CollectingRecorder recorder;
  std::string text = failing_node("analytic");
  text.replace(text.find("failing-node.xml"), 16, "failing-first-node.xml");
  const RunOutcome outcome = run(text, recorder);
  REQUIRE(recorder.jobs.size() == 3);
  CHECK(recorder.jobs[0].stop_reason == StopReason::node_failure);
  CHECK(recorder.jobs[0].host == 0);
  CHECK(recorder.jobs[2].host == 1);
  CHECK(recorder.jobs[2].start_s == Approx(7200).epsilon(1e-12));
  CHECK(outcome.summary.node_down_hours == Approx(2).epsilon(1e-9));
  check_conservation(outcome, recorder);
}

TEST_CASE("work waiting for a failed node runs when its state profile brings it back",
          "[lifecycle]") {
  // A 2-GPU job submitted at 1.5 h needs both hosts; g1 is down from 1 h to 3 h, so the job
  // runs 3 h-4 h. g0: idle 0-3 h (10 W) 30 Wh + busy 100 Wh; g1: idle 0-1 h 10 Wh, down 1-3 h
  // (5 W) 10 Wh, busy 100 Wh: 250 Wh in all.
  CollectingRecorder recorder;
  const RunOutcome outcome = run(R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "failing-node.xml"
[grid.r]
intensity_g_per_kwh = 300
[[campaign]]
name = "two"
trials = 1
gpus_per_trial = 2
submit_at = "90min"
length = { distribution = "fixed", hours = 1 }
)",
                                 recorder);
  REQUIRE(recorder.jobs.size() == 1);
  CHECK(recorder.jobs[0].start_s == Approx(3 * 3600).epsilon(1e-12));
  CHECK(outcome.summary.total.it_energy_j == Approx(250 * kWh).epsilon(1e-12));
  CHECK(outcome.summary.jobs_pending == 0);
  check_conservation(outcome, recorder);
}

TEST_CASE("exec engine: a gang cut by a node failure stops its other executions at once",
          "[lifecycle]") {
  // A 2-GPU job on g0 + g1 from 0 h; g1 fails at 1 h, the job fails for good (no retry); a
  // 1-GPU job runs on g0 1 h-2 h. SimGrid must not keep the failed gang's execution on g0:
  // g0 = 100 Wh + 100 Wh, g1 = 100 Wh + 1 h down at 5 W; the plugin agrees with the meter.
  CollectingRecorder recorder;
  const RunOutcome outcome = run(R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "failing-node.xml"
engine = "exec"
[grid.r]
intensity_g_per_kwh = 300
[[campaign]]
name = "pair"
trials = 1
gpus_per_trial = 2
length = { distribution = "fixed", hours = 2 }
failures = { max_retries = 0 }
[[campaign]]
name = "single"
trials = 1
submit_at = "1h"
length = { distribution = "fixed", hours = 1 }
)",
                                 recorder);
  const RunSummary& s = outcome.summary;
  CHECK(s.hosts[0].it_energy_j == Approx(200 * kWh).epsilon(1e-12));
  CHECK(s.hosts[1].it_energy_j == Approx(105 * kWh).epsilon(1e-12));
  CHECK(s.campaigns[0].failed == 1);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
  check_conservation(outcome, recorder);
}
