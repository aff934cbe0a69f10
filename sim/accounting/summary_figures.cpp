#include "accounting/summary_figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/special_values.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {
constexpr int kInference = static_cast<int>(Phase::inference);
}  // namespace

CrossoverState crossover_state(const RunSummary& s) {
  const double inference_g = s.series[kInference].co2_g;
  const double development_g = s.series[0].co2_g + s.series[1].co2_g;
  if (!(s.series[kInference].energy_j > 0)) return CrossoverState::no_inference;
  if (!(development_g > 0)) return CrossoverState::no_development;
  if (std::isfinite(s.crossover_s)) return CrossoverState::crossed;
  return inference_g > development_g ? CrossoverState::inference_led : CrossoverState::never;
}

const char* crossover_state_name(CrossoverState state) {
  return enum_name(state).data();
}

std::array<double, kPhaseCount> gpu_hours_shares(const RunSummary& s) {
  double held = 0;
  for (int k = 0; k < kPhaseCount; ++k) held += s.series[k].gpu_hours;
  std::array<double, kPhaseCount> shares{};
  for (int k = 0; k < kPhaseCount; ++k) shares[k] = held > 0 ? s.series[k].gpu_hours / held : kNaN;
  return shares;
}

double idle_gpu_hours(const RunSummary& s) {
  double held = 0;
  for (int k = 0; k < kPhaseCount; ++k) held += s.series[k].gpu_hours;
  const double capacity = static_cast<double>(s.total_gpus) * s.makespan_s / units::kSecondsPerHour;
  return std::max(0.0, capacity - held);
}

bool has_serving(const RunSummary& s) {
  for (const DeploymentResult& d : s.deployments)
    if (d.kind == "serving" && d.gpu_hours > 0) return true;
  return false;
}

double mean_activity_utilization(const RunSummary& s) {
  const double capacity = static_cast<double>(s.total_gpus) * s.makespan_s / units::kSecondsPerHour;
  if (!(capacity > 0)) return kNaN;
  double idle_in_reservations = 0;  // reserved GPU-hours no replica worked
  for (const DeploymentResult& d : s.deployments) {
    if (d.kind != "serving" || !(d.gpu_hours > 0)) continue;
    if (std::isnan(d.busy_gpu_hours)) return kNaN;
    idle_in_reservations += d.gpu_hours - d.busy_gpu_hours;
  }
  return s.mean_utilization - idle_in_reservations / capacity;
}

namespace {

// The larger of a running maximum (NaN: none yet) and a service's figure (NaN: none).
double worst(double so_far, double value) {
  if (std::isnan(value)) return so_far;
  return std::isnan(so_far) ? value : std::max(so_far, value);
}

}  // namespace

DeploymentTotals deployment_totals(const RunSummary& s) {
  DeploymentTotals t{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  double energy_j = 0, co2_g = 0, llm_energy_j = 0, static_j = 0, it_j = 0;
  for (const DeploymentResult& d : s.deployments) {
    if (d.kind == "fleet") {
      t.vehicle_days = (std::isnan(t.vehicle_days) ? 0 : t.vehicle_days) + d.vehicle_days;
      continue;
    }
    if (std::isnan(t.served)) t.served = t.dropped = t.late = 0;
    t.served += d.served;
    t.dropped += d.dropped;
    t.late += d.late;
    energy_j += d.energy_j;
    co2_g += d.co2_g;
    static_j += d.static_energy_j;  // NaN from files written before it: the share is NaN
    it_j += d.it_energy_j;
    if (std::isnan(d.j_per_output_token)) continue;  // not an LLM service
    t.output_tokens = (std::isnan(t.output_tokens) ? 0 : t.output_tokens) + d.output_tokens;
    llm_energy_j += d.energy_j;
    t.ttft_p50_s = worst(t.ttft_p50_s, d.ttft_p50_s);
    t.ttft_p99_s = worst(t.ttft_p99_s, d.ttft_p99_s);
    t.tpot_p50_s = worst(t.tpot_p50_s, d.tpot_p50_s);
    t.tpot_p99_s = worst(t.tpot_p99_s, d.tpot_p99_s);
  }
  if (t.served > 0) {
    t.wh_per_request = energy_j / 3600.0 / t.served;
    t.co2_g_per_request = co2_g / t.served;
  }
  if (t.output_tokens > 0) t.j_per_output_token = llm_energy_j / t.output_tokens;
  if (it_j > 0) t.static_energy_share = static_j / it_j;
  return t;
}

}  // namespace mlcycle
