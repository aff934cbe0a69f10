// Inference deployments through run_simulation, one SimGrid engine per test process: a
// serving deployment with fixed replicas and a fleet of identical vehicles on a constant grid
// against hand oracles, cohort vs per-vehicle fleets, and the exact crossover time.
#include <catch2/catch.hpp>

#include <array>

#include "collecting_recorder.hpp"
#include "engine/simulation.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/conservation.hpp"

using namespace mlcycle;
using mlcycle::testing::check_conservation;
using mlcycle::testing::EnergyBooks;

namespace {

RunOutcome run(const std::string& text, CollectingRecorder& recorder) {
  Scenario scenario = load_scenario_text(text, std::string(MLCYCLE_TEST_DATA) + "/run.toml");
  return run_simulation(scenario, recorder, EngineOptions{});
}

constexpr double kWh = 3600.0;

// Two fixed replicas of 1 GPU on two-hosts.xml serving 1 request/s (0.5 s per request) for 10 h;
// `simulation_extra` goes into [simulation].
std::string fixed_service(const std::string& simulation_extra) {
  return "[simulation]\nstart = 2020-01-01T00:00:00Z\nplatform = \"two-hosts.xml\"\n" +
         simulation_extra + R"([grid.r]
intensity_g_per_kwh = 300
[[deployment]]
name = "api"
kind = "serving"
duration = "10h"
replica = { gpus = 1, batch_size = 1, latency_base_ms = 0, latency_per_item_ms = 500 }
autoscaler = { min_replicas = 2, max_replicas = 2 }
demand = { base_rps = 1 }
)";
}

}  // namespace

TEST_CASE("a constant-rate service with fixed replicas draws replicas x power x time",
          "[deployment]") {
  // two-hosts.xml: 2 hosts x 2 GPUs, Idle 10, Epsilon 20, AllCores 100, overhead 5, PUE 1.5.
  // Replica defaults: idle (20 + 5) / 2 = 12.5 W, busy (100 + 5) / 2 = 52.5 W per GPU.
  // mu = 1 / 0.5 s = 2 requests/s per replica; 2 replicas, 1 request/s: u = 0.25,
  // P = 12.5 + 0.25 x 40 = 22.5 W per replica, 45 W for the deployment, over 10 h = 450 Wh IT,
  // 675 Wh facility, 202.5 g at 300 g/kWh; 36,000 requests. Host h0 holds both replicas and
  // draws exactly their 45 W; h1 idles at 10 + 5 = 15 W (150 Wh).
  CollectingRecorder recorder;
  const RunOutcome outcome = run(fixed_service(""), recorder);
  const RunSummary& s = outcome.summary;
  REQUIRE(s.deployments.size() == 1);
  const DeploymentResult& d = s.deployments[0];
  CHECK(d.it_energy_j == Approx(450 * kWh).epsilon(1e-12));
  CHECK(d.energy_j == Approx(675 * kWh).epsilon(1e-12));
  CHECK(d.co2_g == Approx(202.5).epsilon(1e-12));
  CHECK(d.served == Approx(36000).epsilon(1e-12));
  CHECK(d.dropped == 0);
  CHECK(d.wh_per_request == Approx(675.0 / 36000).epsilon(1e-12));
  CHECK(s.makespan_s == Approx(36000).epsilon(1e-12));
  CHECK(s.hosts[0].it_energy_j == Approx(450 * kWh).epsilon(1e-12));
  CHECK(s.hosts[1].it_energy_j == Approx(150 * kWh).epsilon(1e-12));
  CHECK(s.series[static_cast<int>(Phase::inference)].energy_j == Approx(675 * kWh).epsilon(1e-12));
  CHECK(s.series[kIdleSeries].it_energy_j == Approx(150 * kWh).epsilon(1e-9));
  // Conservation: deployments + jobs + idle = trace = hosts.
  check_conservation(s, recorder.jobs, recorder.bins);
  // The per-source trace series: no campaign, one deployment holding 2 replicas throughout.
  double source_j = 0;
  for (const TraceBin& b : recorder.bins) {
    REQUIRE(b.source_energy_j.size() == 1);
    source_j += b.source_energy_j[0];
    CHECK(b.deployment_replicas.at(0) == Approx(2).epsilon(1e-12));
  }
  CHECK(source_j == Approx(d.energy_j).epsilon(1e-12));
}

TEST_CASE(
    "identical vehicles on a constant grid: N x P x Q x days x intensity, cohorts = "
    "per vehicle, exact crossover",
    "[deployment]") {
  // Training: one 1-GPU job of 1 h on two-hosts.xml: 52.5 W x 1.5 x 1 h = 78.75 Wh = 23.625 g.
  // Then two identical fleets (cohorts, and per vehicle) of N = 100 EVs, one 2 h drive a day at
  // 08:00 local, P = 500 W, standby 0, charger efficiency 1, for 10 days + 5 h (so the 10th
  // night's window 22:00-06:00 is whole and nothing is driven after it):
  // grid energy = 100 x 500 W x 2 h x 10 = 1,000 kWh per fleet -> 300 kg at 300 g/kWh.
  // Each window draws 100 x 1 kWh / 8 h = 12.5 kW per fleet. Inference overtakes training on
  // the first night: 2 fleets x 12.5 kW x 300 g/kWh = 2.083333 g/s, so 23.625 g are passed
  // 11.34 s after 22:00 on 2020-01-01.
  CollectingRecorder recorder;
  const std::string fleet = R"(
kind = "fleet"
after = "develop"
duration = "245h"
source = "ev"
vehicles = 100
active_w = 500
idle_w = 0
driving = { sessions_per_day = 1, weekend_sessions_per_day = 1, session_hours_mean = 2, session_hours_sd = 0, first_start_h = 8, last_start_h = 8, patterns = 3 }
ev = { charger_efficiency = 1, charge_start_h = 22, charge_hours = 8 }
)";
  const RunOutcome outcome = run(R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "two-hosts.xml"
[grid.r]
intensity_g_per_kwh = 300
[[stage]]
name = "develop"
[[campaign]]
name = "train"
stage = "develop"
phase = "training"
trials = 1
length = { distribution = "fixed", hours = 1 }
[[deployment]]
name = "cohorts")" + fleet + R"(
[[deployment]]
name = "per-vehicle"
per_vehicle = true)" + fleet,
                                 recorder);
  const RunSummary& s = outcome.summary;
  REQUIRE(s.deployments.size() == 2);
  for (const DeploymentResult& d : s.deployments) {
    CHECK(d.energy_j == Approx(1000 * 3.6e6).epsilon(1e-12));
    CHECK(d.co2_g == Approx(300000).epsilon(1e-12));
    CHECK(d.driving_hours == Approx(100 * 2 * 10).epsilon(1e-12));
    CHECK(d.start_s == Approx(3600).epsilon(1e-12));
  }
  CHECK(s.deployments[0].co2_g == s.deployments[1].co2_g);
  CHECK(s.series[1].co2_g == Approx(23.625).epsilon(1e-12));
  CHECK(s.crossover_s == Approx(22 * 3600 + 23.625 / (2 * 12500 * 300 / 3.6e6)).epsilon(1e-12));
  // Fleets draw outside the hosts: hosts + fleets = trace, and the rest is conserved too.
  const EnergyBooks books = check_conservation(s, recorder.jobs, recorder.bins);
  CHECK(books.fleets_j == Approx(2 * 1000 * 3.6e6).epsilon(1e-12));
  // Per-source series: the training campaign, then the two fleets.
  std::array<double, 3> source_g{};
  for (const TraceBin& b : recorder.bins)
    for (std::size_t i = 0; i < 3; ++i) source_g[i] += b.source_co2_g.at(i);
  CHECK(source_g[0] == Approx(23.625).epsilon(1e-12));
  CHECK(source_g[1] == Approx(300000).epsilon(1e-12));
  CHECK(source_g[2] == Approx(300000).epsilon(1e-12));
}

TEST_CASE("a service cut by the horizon counts the requests of the time it ran", "[deployment]") {
  // 1 request/s on 2 fixed replicas, 1-min steps, horizon 90 s inside the second step: 90
  // requests served (not the 120 of two whole steps), 2 replicas x 90 s = 0.05 replica-hours.
  CollectingRecorder recorder;
  const RunOutcome outcome = run(fixed_service("horizon = 90\n"), recorder);
  REQUIRE(outcome.summary.deployments.size() == 1);
  const DeploymentResult& d = outcome.summary.deployments[0];
  CHECK(d.served == Approx(90).epsilon(1e-12));
  CHECK(d.replica_hours == Approx(0.05).epsilon(1e-12));
  CHECK(d.it_energy_j == Approx(45 * 90.0).epsilon(1e-12));  // 45 W for 90 s
}

TEST_CASE("a fleet-only scenario needs no platform: the same oracle, no host, no cluster",
          "[deployment]") {
  // N = 100 EVs, one 2-h drive a day at 08:00, P = 500 W, charger efficiency 1, for 246 h: ten
  // drives (the 11th would start at 248 h) and ten night windows, the last 238 h-246 h, whole:
  // 100 x 500 W x 2 h x 10 = 1,000 kWh -> 300 kg at 300 g/kWh. No [simulation] platform: the
  // scheduler actor runs on a host of mlcycle's own that is not part of the accounted platform.
  CollectingRecorder recorder;
  const RunOutcome outcome = run(R"([simulation]
start = 2020-01-01T00:00:00Z
[grid.r]
intensity_g_per_kwh = 300
[[deployment]]
name = "cars"
kind = "fleet"
duration = "246h"
source = "ev"
vehicles = 100
active_w = 500
idle_w = 0
driving = { sessions_per_day = 1, weekend_sessions_per_day = 1, session_hours_mean = 2, session_hours_sd = 0, first_start_h = 8, last_start_h = 8, patterns = 3 }
ev = { charger_efficiency = 1, charge_start_h = 22, charge_hours = 8 }
)",
                                 recorder);
  const RunSummary& s = outcome.summary;
  CHECK(s.hosts.empty());
  CHECK(s.total_gpus == 0);
  CHECK(outcome.cluster_names.empty());
  REQUIRE(s.deployments.size() == 1);
  CHECK(s.deployments[0].energy_j == Approx(1000 * 3.6e6).epsilon(1e-12));
  CHECK(s.deployments[0].co2_g == Approx(300000).epsilon(1e-12));
  CHECK(s.total.co2_g == Approx(300000).epsilon(1e-12));
  CHECK(s.makespan_s == Approx(246 * 3600).epsilon(1e-12));
  CHECK(recorder.trace_energy_j() == Approx(1000 * 3.6e6).epsilon(1e-12));
  check_conservation(s, recorder.jobs, recorder.bins);
}
