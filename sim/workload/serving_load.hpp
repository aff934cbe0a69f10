#pragma once
// A datacenter inference service over [start_s, end_s), in steps of `step_s` (the last one may
// be shorter). Everything is constant inside a step, so each step is exact arithmetic, with no
// per-request work. For step k of length D with n active and m loading replicas:
//   offered  = (integral of lambda over the step) * noise_k        (workload/demand_profile.hpp)
//   capacity = n * mu * D                                          (workload/replica_model.hpp)
//   served   = min(offered, capacity),   dropped = offered - served
//   u        = served / capacity         (0 when n = 0)
//   late     = served if R(u) = L(b) / (1 - u) exceeds latency_target_ms (u >= 1: R infinite),
//              else 0; never without a target. An LLM replica: served if the mean TTFT or
//              TPOT at u (workload/llm_replica.hpp) exceeds its target, or u >= 1
//   power_w  = n * P(u) + m * idle_w     IT power of the replicas' GPU hosts (no PUE)
// and the autoscaler (workload/autoscaler.hpp) then sizes the next steps from offered / D.
// replica_seconds counts held replicas (active and loading) and max_replicas_used their peak:
// both hold GPUs. energy_it_j = sum of power_w * D.
#include <cstdint>
#include <limits>
#include <optional>

#include "core/utc_time.hpp"
#include "scenario/serving_spec.hpp"
#include "workload/autoscaler.hpp"
#include "workload/cap_schedule.hpp"
#include "workload/demand_profile.hpp"
#include "workload/replica_model.hpp"

namespace mlcycle {

struct ServingStep {
  double time_s;      // step start, seconds since the scenario start
  double duration_s;  // the step's length
  std::uint32_t replicas_active;
  std::uint32_t replicas_loading;
  double power_w;
  double offered;  // requests
  double served;
  double dropped;
  double late;
  double utilization;
  double replica_capacity_per_s;  // requests per second one replica serves in this step
  bool capped;                    // the power cap held in this step
  // The idle power of the replicas held (the driver adds its reservation's parked slots): the
  // static part of power_w, drawn whatever the load.
  double static_w = 0;
  // An LLM replica's step (NaN otherwise): tokens of the served requests, the mean wait before
  // a prefill starts, and the time per output token (workload/llm_replica.hpp).
  double input_tokens = std::numeric_limits<double>::quiet_NaN();
  double output_tokens = std::numeric_limits<double>::quiet_NaN();
  double wait_s = std::numeric_limits<double>::quiet_NaN();
  double tpot_s = std::numeric_limits<double>::quiet_NaN();
};

// A GPU power cap on the replicas: batch latency x latency_factor, busy power less
// busy_saving_w (a whole replica), in every step or (carbon-cap) in the steps whose start the
// schedule caps. The autoscaler sizes replicas with the capacity in force.
struct ServingCap {
  double latency_factor = 1;
  double busy_saving_w = 0;
  const CapSchedule* schedule = nullptr;  // nullptr: always
  // An LLM replica's cap, watts a GPU (0: none); latency_factor is then its compute's time
  // factor and busy_saving_w unused (ReplicaModel::capped_llm).
  double llm_cap_w = 0;
};

struct ServingStats {
  double offered = 0, served = 0, dropped = 0, late = 0;
  // Replica-seconds of work, served / capacity summed step by step (with a cap the capacity
  // changes; without one the driver divides the total instead, as it always did).
  double busy_replica_seconds = 0;
  double replica_seconds = 0;
  std::uint32_t max_replicas_used = 0;
  double energy_it_j = 0;                      // sum of power_w * duration_s
  double static_energy_j = 0;                  // sum of static_w * duration_s (the driver's steps)
  double input_tokens = 0, output_tokens = 0;  // LLM replicas
};

class ServingLoad {
 public:
  // Times are seconds since `scenario_start`. `seed` drives the demand noise only: give each
  // deployment its own (e.g. mix_seed(scenario seed) ^ mix_seed(deployment index)).
  // Throws InputError when a demand file does not cover [start_s, end_s) or when the replica's
  // watts in force have busy_w < idle_w.
  // `added_latency_s`: what every request served here waits beyond R(u) (a request routed from
  // another region), counted against the latency target.
  ServingLoad(const ServingSpec& spec, ReplicaPowerDefaults defaults, UtcTime scenario_start,
              double start_s, double end_s, std::uint64_t seed,
              std::optional<ServingCap> cap = std::nullopt, double added_latency_s = 0);

  std::optional<ServingStep> next();  // in time order; nullopt after the last step
  // A service over several clusters: the next step's requests (demand x noise, nullopt after
  // the last step) and length, then that step with the `offered` requests routed here.
  std::optional<double> peek_offered();
  double next_duration_s() const;
  double next_start_s() const { return step_start_s(k_); }
  ServingStep next_routed(double offered);
  ServingStats stats() const { return stats_; }
  // max_replicas * gpus: what the deployment reserves on its cluster for its whole duration.
  std::uint32_t reserved_gpus() const { return reserved_gpus_; }

  double capacity_per_replica_per_s() const { return replica_.capacity_per_s(); }
  const ReplicaModel& replica() const { return replica_; }
  // The replica model `step` ran with: the capped one in a capped step.
  const ReplicaModel& replica_of(const ServingStep& step) const {
    return step.capped ? *capped_replica_ : replica_;
  }
  std::uint64_t steps() const { return steps_; }

 private:
  ReplicaModel replica_;
  std::optional<ServingCap> cap_;
  std::optional<ReplicaModel> capped_replica_;
  DemandProfile demand_;
  StepNoise noise_;
  Autoscaler autoscaler_;
  double step_s_;
  double start_s_;
  double end_s_;
  std::uint64_t steps_;
  std::uint32_t reserved_gpus_;
  std::uint64_t k_ = 0;
  std::optional<double> peeked_offered_;  // of step k_
  double late_above_s_;                   // latency target in seconds; infinite without one
  double ttft_above_s_;                   // an LLM replica's targets, the same way
  double tpot_above_s_;
  double added_latency_s_;
  ServingStats stats_;

  bool is_late(const ReplicaModel& replica, double utilization,
               const std::optional<LlmOperatingPoint>& llm_point) const;
  double step_start_s(std::uint64_t k) const { return start_s_ + static_cast<double>(k) * step_s_; }
};

}  // namespace mlcycle
