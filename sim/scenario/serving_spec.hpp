#pragma once
// A datacenter inference service ([[deployment]] with kind = "serving"): its request demand, the
// replicas that serve it and the autoscaler that sizes them. Read and checked by
// read_serving(); the model is in workload/serving_load.hpp, the equations there and in
// workload/demand_profile.hpp, workload/replica_model.hpp and workload/autoscaler.hpp.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"
#include "scenario/llm_spec.hpp"
#include "scenario/power_cap_spec.hpp"

namespace mlcycle {

// A `demand.file` CSV (columns `timestamp`, ISO UTC, and `requests_per_s`), read at load time.
// A row's rate holds from its timestamp to the next row; the last row holds for the file's
// median row spacing (one hour for a single row): that is where the data ends.
struct DemandSeries {
  std::string path;                 // resolved against the scenario file's directory
  std::string key;                  // "deployment[0].demand.file", for coverage errors
  std::vector<double> time_unix_s;  // strictly increasing
  std::vector<double> requests_per_s;
  std::vector<int> line;  // 1-based line of each row
  double end_unix_s = 0;  // last row + median spacing
  // Times outside [first row, end_unix_s): the nearest edge's rate, instead of an error.
  bool hold_edges = false;
};

struct DemandSpec {
  // Without a file: base_rps * diurnal[local hour] * weekly[local weekday, Monday first].
  double base_rps = 0;
  std::array<double, 24> diurnal{};  // all 1 (flat) unless given
  std::array<double, 7> weekly{};
  double utc_offset_hours = 0;  // local time = UTC + offset, for the diurnal and weekly shape
  DemandSeries file;            // with rows (a file was given): replaces base_rps and profiles
  double monthly_growth = 0;    // (1 + g)^(months since the deployment start); > -1
  double noise_sd = 0;          // sd of ln(noise) per step; 0: no noise

  DemandSpec() {
    diurnal.fill(1.0);
    weekly.fill(1.0);
  }
};

struct ReplicaSpec {
  std::uint32_t gpus = 1;  // GPUs one replica holds
  std::uint32_t batch_size = 8;
  double latency_base_ms = 50;  // L(b) = latency_base_ms + b * latency_per_item_ms
  double latency_per_item_ms = 10;
  // Watts of one whole replica (all its GPUs); unset: the platform's, given by the integrator.
  std::optional<double> idle_w;
  std::optional<double> busy_w;
  std::string key;       // "deployment[0].replica", for the power check against the defaults
  SourceLocation where;  // the replica table (the deployment when absent)
  // An LLM in tokens: latency, capacity and power come from the model and the GPU instead
  // (batch_size and the latencies are then unused; gpus = its tensor_parallel).
  std::optional<LlmServingSpec> llm;
};

struct AutoscalerSpec {
  double target_utilization = 0.6;  // in (0, 1]
  std::uint32_t min_replicas = 1;   // 0 allowed: the service may scale to zero
  std::uint32_t max_replicas = 16;
  double scale_up_delay_s = 120;
  double scale_down_cooldown_s = 600;
};

// Carbon-aware serving: a service with replicas in several clusters (`clusters = [...]`,
// possibly in different grid regions), its requests arriving at the first one's region. Each
// step the router fills the clusters in its order, each up to the rate its largest replica set
// serves at the target utilization; requests served away from the first cluster take
// `added_latency_ms` more (per cluster, 0 for the first). See docs/spatial-shifting.md.
enum class RoutingPolicy : std::uint8_t { nearest, lowest_now };
inline constexpr EnumName<RoutingPolicy> kRoutingPolicyNames[] = {
    {RoutingPolicy::nearest, "nearest"}, {RoutingPolicy::lowest_now, "lowest-now"}};
constexpr std::span<const EnumName<RoutingPolicy>> enum_names(RoutingPolicy) {
  return kRoutingPolicyNames;
}

struct RoutingSpec {
  RoutingPolicy policy = RoutingPolicy::nearest;
  std::vector<double> added_latency_ms;  // per listed cluster
  SourceLocation where;
};

struct ServingSpec {
  DemandSpec demand;
  ReplicaSpec replica;
  AutoscalerSpec autoscaler;
  double step_s = 60;  // demand, autoscaler and power are constant within a step
  // Served requests of a step count as late when the response time exceeds this; unset: never.
  std::optional<double> latency_target_ms;
  // A GPU power cap on its replicas: a capped replica draws less and serves slower (its batch
  // latency x the curve's factor); none: uncapped.
  std::optional<PowerCapSpec> power_cap;
  // With two or more `clusters` of the deployment: how requests are routed between them.
  std::optional<RoutingSpec> routing;
};

}  // namespace mlcycle
