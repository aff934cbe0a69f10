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

ReplicaModel::ReplicaModel(const ReplicaSpec& spec, ReplicaPowerDefaults defaults)
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

ReplicaModel ReplicaModel::capped(double latency_factor, double busy_saving_w) const {
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
  return batch_latency_s_ / (1 - utilization);
}

}  // namespace mlcycle
