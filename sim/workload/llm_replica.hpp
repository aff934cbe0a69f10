#pragma once
// One replica of an LLM service, from first principles (issue 14; docs/llm-serving.md has every
// equation with its sources). A replica of TP GPUs holds the weights, W = N x bytes per
// parameter, and a KV cache in the rest of its memory:
//   usable memory     M = TP x memory x (1 - reserve)
//   KV capacity       K = (M - W) / kv_bytes_per_token           tokens of context
// Its achieved rates are F = TP x peak FLOP/s x compute_efficiency and
// B = TP x bandwidth x bandwidth_efficiency. A prompt of I tokens is prefilled at F:
//   prefill           t_p(I) = 2 N_active I / F
// A decode step makes one token for each of the b sequences in the batch; it reads the weights
// and the batch's KV cache (S tokens of context in all), and does 2 N_active FLOPs a token:
//   decode step       t_d(b, S) = max((W + S kv) / B, 2 N_active b / F)
// memory-bound while the first term is larger, compute-bound past the crossover batch.
// Continuous batching (LlmReplica::at): requests arrive at rate lambda with the mix's mean I and
// O tokens; a sequence in the batch holds c tokens of context on average (TokenMix). Prefills
// take the share rho_p = lambda t_p(I) of the time; decode must make lambda O tokens a second in
// the rest, so the batch b solves b / t_d(b, b c) = k = lambda O / (1 - rho_p), that is
//   b = k A / (1 - k beta)    with A = W / B, beta = c kv / B   (memory-bound branch)
// up to the batch limit b_max = min(max_batch, K / c). Decode throughput b / t_d stops growing
// at b_sat = min(b_max, crossover), so the capacity is the lambda there:
//   lambda_max = 1 / (t_p(I) + O t_d(b_sat) / b_sat).
// Below one sequence (k t_d(1) < 1) the replica decodes one at a time and idles between.
// Power follows activity, not reservation: each GPU draws idle + (busy - idle) x a, where a is
// 1 while prefilling and delta + (1 - delta) r while decoding, r being the compute-bound share
// of the step (2 N_active b / F over t_d) and delta the decode_power_fraction: a memory-bound
// step leaves most of the GPU's compute idle, and its power does not grow with the batch.
// Under a GPU power cap c (LlmReplicaSpec::cap_w) F is divided by the platform curve's time
// factor, and each phase draws min(its power, c): prefill min(busy, c), decode
// min(idle + (busy - idle)(delta + (1 - delta) r), c).
#include "scenario/llm_spec.hpp"
#include "workload/llm_server.hpp"

namespace mlcycle {

class LlmReplica final : public LlmServer {
 public:
  // InputError at replica.where when the weights do not fit in the usable memory (the
  // message says how much is missing), or leave room for less than one token of KV cache;
  // std::invalid_argument for figures a reader would have refused (zero or negative).
  LlmReplica(const LlmModelSpec& model, const LlmReplicaSpec& replica);

  double weight_bytes() const { return weight_bytes_; }
  double usable_memory_bytes() const { return usable_bytes_; }
  double kv_capacity_tokens() const { return kv_capacity_tokens_; }
  double achieved_flops_per_s() const { return flops_per_s_; }
  double achieved_bytes_per_s() const { return bytes_per_s_; }

  double prefill_s(double input_tokens) const;
  // `context_tokens` in the whole batch (S above).
  double decode_step_s(double batch, double context_tokens) const;
  // The batch at which a step turns compute-bound, each sequence holding `context_per_sequence`
  // tokens; infinity when it never does (the KV reads grow faster than the FLOPs).
  double crossover_batch(double context_per_sequence) const;
  // min(max_batch, K / context_per_sequence): the KV cache bounds the batch.
  double batch_limit(double context_per_sequence) const;
  // 0 when not one sequence of the mix fits in the KV cache.
  double capacity_per_s(const TokenMix& mix) const override;
  // std::invalid_argument for a negative or non-finite rate, or a mix without positive tokens.
  LlmOperatingPoint at(double requests_per_s, const TokenMix& mix) const override;
  // The same replica under a GPU power cap (LlmReplicaSpec::cap_w, cap_time_factor).
  LlmReplica capped(double cap_w, double time_factor) const;
  // The wait, then the prompt's prefill.
  double first_token_s(double wait_s, double input_tokens) const override {
    return wait_s + prefill_s(input_tokens);
  }

 private:
  // Where the batch stops gaining throughput: min(batch_limit, crossover_batch).
  double saturation_batch(double context_per_sequence) const;

  LlmModelSpec model_;
  LlmReplicaSpec replica_;
  double weight_bytes_;
  double usable_bytes_;
  double kv_capacity_tokens_;
  double flops_per_s_;
  double bytes_per_s_;
};

}  // namespace mlcycle
