#include "workload/serving_load.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlcycle {

namespace {

// The number of steps start + k * step (k = 0, 1, ...) that begin before end.
std::uint64_t step_count(double start_s, double end_s, double step_s) {
  if (!(end_s > start_s)) return 0;
  auto n = static_cast<std::uint64_t>(std::ceil((end_s - start_s) / step_s));
  while (n > 1 && start_s + static_cast<double>(n - 1) * step_s >= end_s) --n;
  while (start_s + static_cast<double>(n) * step_s < end_s) ++n;
  return n;
}

double seconds_or_never(std::optional<double> ms) {
  return ms ? *ms / 1000.0 : std::numeric_limits<double>::infinity();
}

}  // namespace

ServingLoad::ServingLoad(const ServingSpec& spec, ReplicaPowerDefaults defaults,
                         UtcTime scenario_start, double start_s, double end_s, std::uint64_t seed,
                         std::optional<ServingCap> cap, double added_latency_s)
    : replica_(spec.replica, defaults),
      cap_(cap),
      capped_replica_(!cap                 ? std::nullopt
                      : cap->llm_cap_w > 0 ? std::optional<ReplicaModel>(replica_.capped_llm(
                                                 cap->llm_cap_w, cap->latency_factor))
                                           : std::optional<ReplicaModel>(replica_.capped(
                                                 cap->latency_factor, cap->busy_saving_w))),
      demand_(spec.demand, scenario_start, start_s, end_s),
      noise_(spec.demand.noise_sd, seed),
      autoscaler_(spec.autoscaler, (capped_replica_ ? *capped_replica_ : replica_).capacity_per_s(),
                  spec.step_s),
      step_s_(spec.step_s),
      start_s_(start_s),
      end_s_(end_s),
      steps_(step_count(start_s, end_s, spec.step_s)),
      // The reader keeps max_replicas * gpus <= 1,000,000.
      reserved_gpus_(spec.autoscaler.max_replicas * spec.replica.gpus),
      late_above_s_(spec.latency_target_ms ? *spec.latency_target_ms / 1000.0
                                           : std::numeric_limits<double>::infinity()),
      ttft_above_s_(
          seconds_or_never(spec.replica.llm ? spec.replica.llm->ttft_target_ms : std::nullopt)),
      tpot_above_s_(
          seconds_or_never(spec.replica.llm ? spec.replica.llm->tpot_target_ms : std::nullopt)),
      added_latency_s_(added_latency_s) {}

bool ServingLoad::is_late(const ReplicaModel& replica, double utilization,
                          const std::optional<LlmOperatingPoint>& llm_point) const {
  if (!llm_point) return replica.response_time_s(utilization) + added_latency_s_ > late_above_s_;
  // An LLM step is late when its mean time to first token (a request routed from elsewhere
  // waits its added latency first) or its time per output token misses the target.
  return llm_point->overloaded || llm_point->ttft_s + added_latency_s_ > ttft_above_s_ ||
         llm_point->tpot_s > tpot_above_s_;
}

double ServingLoad::next_duration_s() const {
  if (k_ >= steps_) return 0;
  return (k_ + 1 == steps_ ? end_s_ : step_start_s(k_ + 1)) - step_start_s(k_);
}

std::optional<double> ServingLoad::peek_offered() {
  if (k_ >= steps_) return std::nullopt;
  if (!peeked_offered_) {
    const double to_s = k_ + 1 == steps_ ? end_s_ : step_start_s(k_ + 1);
    peeked_offered_ = demand_.requests(step_start_s(k_), to_s) * noise_.factor(k_);
  }
  return peeked_offered_;
}

std::optional<ServingStep> ServingLoad::next() {
  const std::optional<double> offered = peek_offered();
  if (!offered) return std::nullopt;
  return next_routed(*offered);
}

ServingStep ServingLoad::next_routed(double offered) {
  const std::uint64_t k = k_++;
  peeked_offered_.reset();
  const double from_s = step_start_s(k);
  const double to_s = k + 1 == steps_ ? end_s_ : step_start_s(k + 1);
  const double duration_s = to_s - from_s;

  ServingStep step{};
  step.time_s = from_s;
  step.duration_s = duration_s;
  step.offered = offered;
  const double rate_per_s = step.offered / duration_s;
  const bool capped = cap_ && (!cap_->schedule || cap_->schedule->capped_at(from_s));
  const ReplicaModel& replica = capped ? *capped_replica_ : replica_;
  if (cap_) autoscaler_.set_capacity_per_replica_per_s(replica.capacity_per_s());
  if (k == 0)
    autoscaler_.start(rate_per_s);
  else
    autoscaler_.begin_step(k);
  step.replicas_active = autoscaler_.active();
  step.replicas_loading = autoscaler_.loading();

  const double capacity = step.replicas_active * replica.capacity_per_s() * duration_s;
  step.served = std::min(step.offered, capacity);
  step.dropped = step.offered - step.served;
  step.utilization = capacity > 0 ? step.served / capacity : 0.0;
  // An LLM replica's steady state at this load, worked out once for power, lateness and
  // latencies.
  const std::optional<LlmOperatingPoint> llm_point = replica.llm_at(step.utilization);
  const bool late = step.served > 0 && is_late(replica, step.utilization, llm_point);
  step.late = late ? step.served : 0.0;
  step.power_w =
      step.replicas_active * (llm_point ? llm_point->power_w : replica.power_w(step.utilization)) +
      step.replicas_loading * replica.idle_w();
  step.static_w = (step.replicas_active + step.replicas_loading) * replica.idle_w();
  if (replica.is_llm()) {
    const TokenMix& mix = replica.mix();
    step.input_tokens = step.served * mix.input_tokens;
    step.output_tokens = step.served * mix.output_tokens;
    if (step.served > 0) {
      step.wait_s = llm_point->wait_s;
      step.tpot_s = llm_point->tpot_s;
    }
    stats_.input_tokens += step.input_tokens;
    stats_.output_tokens += step.output_tokens;
  }

  const std::uint32_t held = step.replicas_active + step.replicas_loading;
  stats_.offered += step.offered;
  stats_.served += step.served;
  stats_.dropped += step.dropped;
  stats_.late += step.late;
  stats_.replica_seconds += held * duration_s;
  stats_.max_replicas_used = std::max(stats_.max_replicas_used, held);
  stats_.energy_it_j += step.power_w * duration_s;
  step.replica_capacity_per_s = replica.capacity_per_s();
  step.capped = capped;
  stats_.busy_replica_seconds += step.served / replica.capacity_per_s();

  autoscaler_.end_step(k, rate_per_s);
  return step;
}

}  // namespace mlcycle
