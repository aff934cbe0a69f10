#pragma once
// Figures derived from a RunSummary, computed one way for everything that reports them: the
// printed summary (`mlcycle run` and `mlcycle info`), the trace's /summary attributes and the
// sweep table's columns (docs/model.md, "Shares, utilization and the crossover").
#include <array>

#include "accounting/run_records.hpp"
#include "core/enum_names.hpp"

namespace mlcycle {

// Why the crossover is what it is. `crossed` is the only state with a finite crossover_s.
enum class CrossoverState {
  no_inference,    // inference drew nothing: nothing to compare
  no_development,  // experimentation and training drew nothing: nothing to overtake
  crossed,         // inference, having been behind, overtook development at crossover_s
  inference_led,   // inference was never behind: it led from its first instant
  never,           // development led and inference had not caught up by the end
};
// The words of /summary's `crossover` attribute and the sweep table.
inline constexpr EnumName<CrossoverState> kCrossoverStateNames[] = {
    {CrossoverState::no_inference, "no_inference"},
    {CrossoverState::no_development, "no_development"},
    {CrossoverState::crossed, "crossed"},
    {CrossoverState::inference_led, "inference_led"},
    {CrossoverState::never, "never"}};
constexpr std::span<const EnumName<CrossoverState>> enum_names(CrossoverState) {
  return kCrossoverStateNames;
}
// From the totals alone: without a crossover, inference ending ahead means it was never behind
// (the cumulative lead is continuous, so having been behind and ending ahead is a crossing).
CrossoverState crossover_state(const RunSummary& summary);
// enum_name() as a C string (the table's names are literals): "crossed", "never", ...
const char* crossover_state_name(CrossoverState state);

// Each phase's share of the GPU-hours held by the three phases (jobs, and serving
// reservations whole): what operators state as "10 : 20 : 70". NaN when nothing was held.
std::array<double, kPhaseCount> gpu_hours_shares(const RunSummary& summary);
// GPU-hours of the platform held by nothing (switched-off and failed nodes included).
double idle_gpu_hours(const RunSummary& summary);

// mean_utilization with each serving reservation counted by its activity_utilization instead of
// whole: GPUs at work / (GPUs x span). NaN when a serving deployment lacks its activity figure.
double mean_activity_utilization(const RunSummary& summary);
bool has_serving(const RunSummary& summary);

// Over the deployments of each kind, for sweep tables: NaN where the run has no such deployment.
struct DeploymentTotals {
  double served, dropped, late;  // serving requests, summed
  double wh_per_request;         // serving facility Wh / requests served
  double co2_g_per_request;      // serving g CO2e / requests served
  double vehicle_days;           // fleets, summed
  // LLM services (NaN without one): output tokens summed, their facility energy over them, and
  // the worst service's TTFT and TPOT quantiles (quantiles of services do not add up).
  double output_tokens, j_per_output_token;
  double ttft_p50_s, ttft_p99_s, tpot_p50_s, tpot_p99_s;
  double static_energy_share;  // serving: static over IT energy (reservations' idle power)
};
DeploymentTotals deployment_totals(const RunSummary& summary);

}  // namespace mlcycle
