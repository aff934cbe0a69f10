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
      // Added within sweep schema 1 with LLM serving (docs/llm-serving.md).
      "output_tokens",
      "j_per_output_token",
      "ttft_p50_s",
      "ttft_p99_s",
      "tpot_p50_s",
      "tpot_p99_s",
      "serving_static_energy_share",
  };
  return names;
}

}  // namespace mlcycle
