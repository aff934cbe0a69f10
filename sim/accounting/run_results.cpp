#include "accounting/run_results.hpp"

namespace mlcycle {

const std::vector<std::string>& headline_names() {
  static const std::vector<std::string> names = {
      "energy_j_experimentation",
      "energy_j_training",
      "energy_j_inference",
      "energy_j_idle",
      "energy_j_total",
      "co2_g_experimentation",
      "co2_g_training",
      "co2_g_inference",
      "co2_g_idle",
      "co2_g_total",
      "inference_share",
      "crossover_s",
      "makespan_s",
      "peak_power_w",
      "cost",
      "gpu_hours",
      "mean_utilization",
      // Added within sweep schema 1: NaN for run files written before them.
      "mean_activity_utilization",
      "inference_gpu_hours_share",
      "requests_served",
      "requests_dropped",
      "requests_late",
      "wh_per_request",
      "co2_g_per_request",
      "vehicle_days",
  };
  return names;
}

}  // namespace mlcycle
