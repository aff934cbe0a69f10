#include "workload/replica_model.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace mlcycle {

namespace {
std::string watts(double w) {
  std::string text = std::to_string(w);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + " W";
}
}  // namespace

namespace {

// The LLM replica with its GPUs' watts: the scenario's, else the platform's (per replica). A
// measured table gives the power above idle itself.
std::shared_ptr<const LlmServer> make_llm(const LlmServingSpec& llm, const TokenMix& mix,
                                          ReplicaPowerDefaults defaults) {
  LlmReplicaSpec replica = llm.replica;
  const double gpus = replica.tensor_parallel;
  replica.host_w = defaults.overhead_w / gpus;
  replica.idle_w = llm.idle_w.value_or(defaults.idle_w / gpus - replica.host_w);
  if (llm.measured) return std::make_shared<const MeasuredLlmReplica>(*llm.measured, replica);
  replica.busy_w = llm.busy_w.value_or(defaults.busy_w / gpus - replica.host_w);
  if (replica.busy_w < replica.idle_w)
    throw InputError(replica.where, replica.key + ".busy_w",
                     std::string(llm.busy_w ? "busy_w " : "busy_w (the platform's) ") +
                         watts(replica.busy_w) + " per GPU is less than idle_w " +
                         watts(replica.idle_w) + ": give both idle_w and busy_w");
  auto roofline = std::make_shared<const LlmReplica>(llm.model, replica);
  if (!(roofline->capacity_per_s(mix) > 0))
    throw InputError(llm.replica.where, llm.replica.key,
                     "not one request fits: a sequence of the mix holds " +
                         std::to_string(static_cast<long long>(mix.batch_context_tokens)) +
                         " tokens of context on average, more than the " +
                         std::to_string(static_cast<long long>(roofline->kv_capacity_tokens())) +
                         " the KV cache holds");
  return roofline;
}

}  // namespace

ReplicaModel::ReplicaModel(const ReplicaSpec& spec, ReplicaPowerDefaults defaults)
    : ReplicaModel(spec.llm ? ReplicaModel(*spec.llm, defaults) : ReplicaModel(spec, defaults, 0)) {
}

ReplicaModel::ReplicaModel(const LlmServingSpec& llm, ReplicaPowerDefaults defaults)
    : batch_latency_s_(0),
      capacity_per_s_(0),
      idle_w_(0),
      busy_w_(0),
      mix_(token_mix(llm.segments)),
      llm_(make_llm(llm, mix_, defaults)) {
  settle_llm();
}

void ReplicaModel::settle_llm() {
  capacity_per_s_ = llm_->capacity_per_s(mix_);
  const LlmOperatingPoint full = llm_->at(capacity_per_s_, mix_);
  batch_latency_s_ = full.ttft_s;
  idle_w_ = llm_->at(0, mix_).power_w;
  busy_w_ = full.power_w;
}

ReplicaModel ReplicaModel::capped_llm(double cap_w, double time_factor) const {
  const auto* roofline = dynamic_cast<const LlmReplica*>(llm_.get());
  if (!roofline)
    throw std::logic_error(
        "only a roofline LLM replica takes a power cap (the engine refuses "
        "one on a measured table)");
  ReplicaModel model = *this;
  model.llm_ = std::make_shared<const LlmReplica>(roofline->capped(cap_w, time_factor));
  model.settle_llm();
  return model;
}

ReplicaModel::ReplicaModel(const ReplicaSpec& spec, ReplicaPowerDefaults defaults, int)
    : batch_latency_s_((spec.latency_base_ms + spec.batch_size * spec.latency_per_item_ms) /
                       1000.0),
      capacity_per_s_(spec.batch_size / batch_latency_s_),
      idle_w_(spec.idle_w.value_or(defaults.idle_w)),
      busy_w_(spec.busy_w.value_or(defaults.busy_w)) {
  if (spec.batch_size == 0 || spec.latency_base_ms < 0 || spec.latency_per_item_ms < 0 ||
      !(capacity_per_s_ > 0) || !std::isfinite(capacity_per_s_))
    throw std::invalid_argument("serving replica: throughput must be positive and finite");
  if (!(idle_w_ >= 0) || !std::isfinite(idle_w_) || !std::isfinite(busy_w_))
    throw std::invalid_argument("serving replica: watts must be finite and non-negative");
  if (busy_w_ < idle_w_) {
    const char* from = !spec.busy_w ? "busy_w (the platform's) " : "busy_w ";
    const char* of = !spec.idle_w ? " the platform's idle_w " : " idle_w ";
    throw InputError(spec.where, spec.key + ".busy_w",
                     std::string(from) + watts(busy_w_) + " is less than" + of + watts(idle_w_) +
                         ": give both idle_w and busy_w");
  }
}

double ReplicaModel::power_w(double utilization) const {
  if (llm_) return llm_->at(utilization * capacity_per_s_, mix_).power_w;
  return idle_w_ + utilization * (busy_w_ - idle_w_);
}

std::optional<LlmOperatingPoint> ReplicaModel::llm_at(double utilization) const {
  if (!llm_) return std::nullopt;
  return llm_->at(utilization * capacity_per_s_, mix_);
}

ReplicaModel ReplicaModel::capped(double latency_factor, double busy_saving_w) const {
  if (llm_) throw std::logic_error("an LLM replica has no power cap (the reader refuses one)");
  ReplicaModel model = *this;
  model.batch_latency_s_ *= latency_factor;
  model.capacity_per_s_ /= latency_factor;
  model.busy_w_ -= busy_saving_w;
  if (model.busy_w_ < model.idle_w_)
    throw std::logic_error("capped serving replica: busy power below idle power");
  return model;
}

double ReplicaModel::response_time_s(double utilization) const {
  if (utilization >= 1) return std::numeric_limits<double>::infinity();
  if (llm_) return llm_at(utilization)->ttft_s;
  return batch_latency_s_ / (1 - utilization);
}

}  // namespace mlcycle
