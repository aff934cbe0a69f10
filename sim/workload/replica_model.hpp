#pragma once
// One replica of a served model (it holds `gpus` GPUs and runs batches of `batch_size`).
//   batch latency        L(b) = latency_base_ms + b * latency_per_item_ms
//   capacity             mu = b / L(b)                      requests per second per replica
//   power at utilization P(u) = idle_w + u * (busy_w - idle_w),  u in [0, 1]
//   response time        R(u) = L(b) / (1 - u)   for u < 1; infinite for u >= 1
// R is the simplest queueing form (M/M/1-like growth of the wait with load, the service time
// being one full batch); it needs no sampling, so a step's lateness is exact arithmetic.
// idle_w is drawn whenever the model sits in GPU memory, loading included; watts are those of
// the whole replica.
// With `llm` (ReplicaSpec::llm) the replica is an LLM in tokens (workload/llm_replica.hpp, or
// workload/llm_measured.hpp for measured operating points):
// mu is its capacity for the segments' mix, P(u) and the latencies are those of its steady
// state at u x mu requests a second, and the idle watts are its GPUs'.
#include <memory>
#include <optional>

#include "scenario/serving_spec.hpp"
#include "workload/llm_measured.hpp"
#include "workload/llm_replica.hpp"

namespace mlcycle {

// A replica's watts where the scenario gives none: the integrator takes them from the
// platform's GPU hosts (for all `gpus` of the replica, not per GPU).
struct ReplicaPowerDefaults {
  double idle_w;
  double busy_w;
  // The part of both that is the nodes' own power (CPU, DRAM: node_overhead_w's share of the
  // replica's GPUs). An LLM replica's GPU figures exclude it and add it back as static power.
  double overhead_w = 0;
};

class ReplicaModel {
 public:
  // InputError (at the replica table) when the watts in force have busy_w < idle_w;
  // std::invalid_argument for a spec the reader would have refused (zero throughput).
  ReplicaModel(const ReplicaSpec& spec, ReplicaPowerDefaults defaults);
  // An LLM replica (spec.llm); InputError at the llm table when the model does not fit or
  // not one sequence of the mix fits its KV cache.
  ReplicaModel(const LlmServingSpec& llm, ReplicaPowerDefaults defaults);

  double batch_latency_s() const { return batch_latency_s_; }
  double capacity_per_s() const { return capacity_per_s_; }
  double idle_w() const { return idle_w_; }
  double busy_w() const { return busy_w_; }
  double power_w(double utilization) const;
  double response_time_s(double utilization) const;
  bool is_llm() const { return llm_ != nullptr; }
  const LlmServer* llm() const { return llm_.get(); }  // nullptr without llm
  const TokenMix& mix() const { return mix_; }
  // An LLM replica's steady state at `utilization` of its capacity (nullopt without llm).
  std::optional<LlmOperatingPoint> llm_at(double utilization) const;
  // The replica under a GPU power cap: each batch takes `latency_factor` times longer (so it
  // serves that much less) and at full load it draws `busy_saving_w` less; idle is unchanged.
  // The caller has checked that the capped busy power stays at or above idle.
  ReplicaModel capped(double latency_factor, double busy_saving_w) const;
  // An LLM replica (from first principles) under a GPU cap of `cap_w` a GPU, computing
  // `time_factor` times slower (LlmReplicaSpec::cap_w): capacity, latencies and power anew.
  ReplicaModel capped_llm(double cap_w, double time_factor) const;

 private:
  ReplicaModel(const ReplicaSpec& spec, ReplicaPowerDefaults defaults, int latency_and_power);
  void settle_llm();  // capacity, latency and watts from llm_

  double batch_latency_s_;
  double capacity_per_s_;
  double idle_w_;
  double busy_w_;
  TokenMix mix_;
  std::shared_ptr<const LlmServer> llm_;  // shared: models are copied (capped())
};

}  // namespace mlcycle
