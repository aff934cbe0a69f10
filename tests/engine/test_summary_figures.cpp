// What the summary counts for deployments, through run_simulation on two-hosts.xml against hand
// oracles: serving GPUs reserved vs at work, phase shares of GPU-hours held, deployments counted
// apart from jobs, and the crossover rule (docs/model.md) when nothing was overtaken.
#include <catch2/catch.hpp>

#include <cmath>

#include "accounting/summary_figures.hpp"
#include "collecting_recorder.hpp"
#include "engine/simulation.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mlcycle;

namespace {

RunOutcome run(const std::string& text) {
  CollectingRecorder recorder;
  Scenario scenario = load_scenario_text(text, std::string(MLCYCLE_TEST_DATA) + "/run.toml");
  return run_simulation(scenario, recorder, EngineOptions{});
}

// Two fixed 1-GPU replicas (0.5 s per request: mu = 2 requests/s each) for 10 h at `rps`
// requests/s, from `start_at`; `campaigns` follow.
std::string service(double rps, const std::string& start_at, const std::string& campaigns) {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "two-hosts.xml"
[grid.r]
intensity_g_per_kwh = 300
[[deployment]]
name = "api"
kind = "serving"
duration = "10h"
start_at = ")" +
         start_at + R"("
replica = { gpus = 1, batch_size = 1, latency_base_ms = 0, latency_per_item_ms = 500 }
autoscaler = { min_replicas = 2, max_replicas = 2 }
demand = { base_rps = )" +
         std::to_string(rps) + "}\n" + campaigns;
}

const std::string kExploreAndTrain = R"(
[[campaign]]
name = "explore"
trials = 1
length = { distribution = "fixed", hours = 1 }
[[campaign]]
name = "train"
phase = "training"
trials = 1
length = { distribution = "fixed", hours = 2 }
)";

constexpr int kInference = static_cast<int>(Phase::inference);

}  // namespace

TEST_CASE("serving GPUs: the reservation is held whole, its activity is served / capacity",
          "[summary_figures]") {
  // 1 request/s on 2 replicas of mu = 2/s: u = 1 / (2 x 2) = 0.25. Reserved: 2 GPUs x 10 h =
  // 20 GPU-h, all held by the 2 fixed replicas (100 %). At work: 36,000 served / 2 per s =
  // 18,000 replica-s = 5 GPU-h = 25 % of the reservation.
  // Capacity: explore 1 GPU x 1 h, train 1 GPU x 2 h, serving 20 GPU-h = 23 GPU-h held of
  // 4 GPUs x 10 h = 40: shares 1/23, 2/23, 20/23; 17 idle GPU-h; utilization 23/40 = 0.575
  // reserved, (1 + 2 + 5)/40 = 0.2 active.
  const RunOutcome outcome = run(service(1, "0h", kExploreAndTrain));
  const RunSummary& s = outcome.summary;
  REQUIRE(s.deployments.size() == 1);
  const DeploymentResult& d = s.deployments[0];
  CHECK(d.reserved_gpus == 2);
  CHECK(d.gpu_hours == Approx(20).epsilon(1e-12));
  CHECK(d.busy_gpu_hours == Approx(5).epsilon(1e-12));
  CHECK(d.reserved_utilization == Approx(1).epsilon(1e-12));
  CHECK(d.activity_utilization == Approx(0.25).epsilon(1e-12));
  CHECK(s.makespan_s == Approx(36000).epsilon(1e-12));
  CHECK(s.mean_utilization == Approx(23.0 / 40).epsilon(1e-12));
  CHECK(mean_activity_utilization(s) == Approx(0.2).epsilon(1e-12));
  const auto shares = gpu_hours_shares(s);
  CHECK(shares[0] == Approx(1.0 / 23).epsilon(1e-12));
  CHECK(shares[1] == Approx(2.0 / 23).epsilon(1e-12));
  CHECK(shares[2] == Approx(20.0 / 23).epsilon(1e-12));
  CHECK(idle_gpu_hours(s) == Approx(17).epsilon(1e-12));
  // The deployment is counted as one, apart from the 2 jobs.
  CHECK(s.series[kInference].jobs == 0);
  CHECK(s.series[kInference].deployments == 1);
  CHECK(s.total.jobs == 2);
  CHECK(s.total.deployments == 1);
  // Development leads (105 W, then 52.5 W, IT, against the service's 2 x (12.5 + 0.25 x 40) =
  // 45 W) until training ends at 2 h: 105 x 1 + 52.5 x 1 = 157.5 Wh; inference catches up at
  // 157.5 / 45 = 3.5 h (same PUE and intensity for both).
  CHECK(crossover_state(s) == CrossoverState::crossed);
  CHECK(s.crossover_s == Approx(3.5 * 3600).epsilon(1e-12));
}

TEST_CASE("a service with no development has no crossover (NaN), even starting at 12 h",
          "[summary_figures]") {
  // Before the rule, the lead of the service over nothing turned positive at its start: 43,200.
  const RunOutcome outcome = run(service(1, "12h", ""));
  const RunSummary& s = outcome.summary;
  CHECK(std::isnan(s.crossover_s));
  CHECK(crossover_state(s) == CrossoverState::no_development);
}

TEST_CASE("inference leading from the first instant overtakes nothing: no crossover",
          "[summary_figures]") {
  // 4 requests/s on 2 replicas of mu = 2/s: u = 1, 2 x 52.5 = 105 W from t = 0, against a
  // training job's 52.5 W from t = 0: inference is never behind, so nothing was overtaken
  // (the crossover used to be printed as the start, 2020-01-01T00:00:00Z).
  const RunOutcome outcome = run(service(4, "0h", R"(
[[campaign]]
name = "train"
phase = "training"
trials = 1
length = { distribution = "fixed", hours = 1 }
)"));
  const RunSummary& s = outcome.summary;
  CHECK(s.series[1].co2_g > 0);
  CHECK(std::isnan(s.crossover_s));
  CHECK(crossover_state(s) == CrossoverState::inference_led);
  REQUIRE(s.deployments.size() == 1);
  CHECK(s.deployments[0].activity_utilization == Approx(1).epsilon(1e-12));
}
