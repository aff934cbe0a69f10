#pragma once
// The state of one [[deployment]] while the DeploymentDriver runs it (shared by the driver's
// files: deployment_driver.cpp, deployment_serving.cpp).
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "accounting/power_meter.hpp"
#include "engine/deployment_driver.hpp"
#include "workload/fleet_load.hpp"
#include "workload/latency_tally.hpp"
#include "workload/request_router.hpp"
#include "workload/serving_load.hpp"

namespace mlcycle {

// A serving deployment's replicas in one cluster: its reservation, its serving model and the
// step it takes next.
struct ServingRegion {
  std::uint32_t cluster = 0;
  std::optional<ServingLoad> serving;
  JobStart reservation;          // its GPUs, as the meter's job (own power)
  std::optional<ActiveJob> job;  // the reservation in the meter, while it serves
  double parked_replica_w = 0;   // a reserved replica slot without a replica
  double room_per_s = 0;         // requests/s its largest replica set serves at the target
  double next_power_w = 0;
  std::uint32_t next_replicas = 0;     // held in the next step
  std::optional<ServingStep> pending;  // the next step, fetched ahead
};

struct DeploymentDriver::Running {
  enum class State { waiting, starting, running, done } state = State::waiting;
  double start_s =
      std::numeric_limits<double>::infinity();  // known once its stage finished (or its start_at)
  double end_s = std::numeric_limits<double>::infinity();
  std::vector<ServingRegion> regions;     // serving: one per cluster holding replicas
  const RequestRouter* router = nullptr;  // serving over several clusters
  std::optional<FleetLoad> fleet;
  std::uint32_t load = 0;
  double next_s = std::numeric_limits<double>::infinity();  // the next step
  double next_power_w = 0;
  double active_w = 0, idle_w = 0;  // fleet powers in force
  std::uint32_t max_replicas = 0;
  std::optional<ServingStep> current;  // serving: the step in force (all regions)
  double current_away = 0;             // of it, the requests served away from the first
  ServingStats applied;                // serving: the steps in force so far, whole
  double applied_away = 0;
  // An LLM service: its requests' times to first token and per output token, one point per
  // step, region and segment; and the regions' steps in force (a cut last step is taken back).
  LatencyTally ttft;
  LatencyTally tpot;
  std::vector<ServingStep> current_regions;
  std::vector<std::size_t> order;  // scratch of the router
};

}  // namespace mlcycle
