#pragma once
// An LLM served in tokens (issue 14): the model, one replica of it, and its requests, as the
// first-principles serving model takes them (workload/llm_replica.hpp has the equations,
// docs/llm-serving.md their sources and defaults). Plain figures: a reader fills them from a
// scenario and the hardware catalog.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"

namespace mlcycle {

struct LlmModelSpec {
  double params = 0;              // N: every weight, all held in the replica's memory
  double active_params = 0;       // N_active: the weights each token goes through (MoE < N)
  double bytes_per_param = 2;     // 2 for BF16/FP16, 1 for FP8/INT8, 0.5 for INT4
  double kv_bytes_per_token = 0;  // KV cache of one token of context, all layers
};

// KV cache of one token: a key and a value vector per layer and KV head (grouped-query
// attention shares them between query heads).
constexpr double kv_bytes_per_token(std::uint32_t layers, std::uint32_t kv_heads,
                                    std::uint32_t head_dim, double bytes_per_value) {
  return 2.0 * layers * kv_heads * head_dim * bytes_per_value;
}

struct LlmReplicaSpec {
  std::uint32_t tensor_parallel = 1;  // GPUs of one replica, the model split across them
  // Per GPU, from the hardware catalog (or given).
  double peak_flops = 0;          // dense BF16/FP16 FLOP/s
  double memory_bytes = 0;        // HBM
  double memory_bytes_per_s = 0;  // HBM bandwidth
  // Watts of one GPU holding the model, doing nothing, and at full activity; a deployment
  // takes the platform's where the scenario gives none (LlmServingSpec).
  double idle_w = 0;
  double busy_w = 0;
  // Per GPU, its share of the node's own power (CPU, DRAM, NIC: the platform's node overhead),
  // drawn whatever the load; the engine fills it.
  double host_w = 0;
  // A GPU power cap (power_cap; none: infinite): each GPU draws at most cap_w and computes
  // cap_time_factor times slower, the platform's power_cap_curve at cap_w / busy_w. Memory
  // reads are not slowed: the engine keeps the cap above a memory-bound decode step's draw.
  double cap_w = std::numeric_limits<double>::infinity();
  double cap_time_factor = 1;
  // Achieved fractions of the peaks: FLOP/s in prefill and compute-bound decode steps, bytes/s
  // in memory-bound ones (docs/llm-serving.md gives the defaults and their sources).
  double compute_efficiency = 0.5;
  double bandwidth_efficiency = 0.6;
  // A GPU's power above idle while a memory-bound decode step runs, as a share of its busy
  // minus idle power (prefill and compute-bound steps draw all of it).
  double decode_power_fraction = 0.35;
  double memory_reserve = 0.1;    // share of memory kept for activations and the runtime
  std::uint32_t max_batch = 256;  // sequences decoded at once, at most
  std::string key;                // "deployment[0].llm", for messages
  SourceLocation where;
};

// Tokens of one request, at most: far past any context that exists, near enough to keep every
// product of token counts and moments finite.
inline constexpr double kMaxRequestTokens = 1e8;

// A prompt length standing for `weight` of a segment's requests (scenario/token_distribution.hpp).
struct TokenPoint {
  double tokens = 0;
  double weight = 0;
};

// A class of requests (chat, long context, reasoning): its share of the requests and its mean
// tokens in and out. Tokens given as a distribution or a file of requests also carry the moments
// the batch's context needs, E[I O] and E[O^2] (NaN: fixed counts, I O and O^2), and points of
// the prompt lengths' distribution, whose prefills spread the TTFT (empty: the mean only).
struct RequestSegment {
  double share = 1;
  double input_tokens = 0;
  double output_tokens = 0;
  std::string name;  // "chat", "reasoning": for messages and outputs
  double input_output_tokens = std::numeric_limits<double>::quiet_NaN();
  double output_tokens_squared = std::numeric_limits<double>::quiet_NaN();
  std::vector<TokenPoint> input_points;
};

// One measured operating point of a replica (a row of an operating-point CSV, the shape LLM
// energy leaderboards publish): at a mean of `batch` sequences in flight, the replica serves
// `throughput_per_s` (output tokens, or requests: LlmMeasuredTable says which) and its GPUs
// draw `power_w` in all. TTFT and TPOT are NaN where the table has no such column.
struct LlmMeasuredPoint {
  double batch = 0;
  double throughput_per_s = 0;
  double power_w = 0;
  double ttft_s = std::numeric_limits<double>::quiet_NaN();
  double tpot_s = std::numeric_limits<double>::quiet_NaN();
  int line = 0;  // in the CSV, for messages
};

// The rows of one model, GPU and tensor-parallel degree, in increasing batch, the throughput
// growing strictly with it (scenario/llm_measured_csv.hpp checks).
struct LlmMeasuredTable {
  std::string path;
  std::vector<LlmMeasuredPoint> points;
  bool throughput_in_requests = false;  // requests_per_s; else output_tokens_per_s
  bool has_ttft = false;
  bool has_tpot = false;
};

// A serving deployment's `llm` table: the replica derived from the model and the GPU instead of
// a given latency and power (scenario/llm_reader.hpp reads it, docs/llm-serving.md).
struct LlmServingSpec {
  LlmModelSpec model;
  LlmReplicaSpec replica;        // peak, memory and bandwidth filled from the catalog's `gpu`
  std::string gpu;               // the catalog's accelerator id; empty when the figures are given
  SourceLocation gpu_where;      // the `gpu` key
  std::optional<double> idle_w;  // per GPU; unset: the platform's
  std::optional<double> busy_w;
  std::vector<RequestSegment> segments;
  // A step's served requests are late when its mean TTFT or TPOT exceeds its target.
  std::optional<double> ttft_target_ms;
  std::optional<double> tpot_target_ms;
  // Measured operating points instead of the roofline (`measured`, with `model` naming the
  // rows): then `model` is only that name, and the replica's figures come from the table.
  std::string model_name;
  std::optional<LlmMeasuredTable> measured;
};

}  // namespace mlcycle
