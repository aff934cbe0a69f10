#pragma once
// An LLM replica from measured operating points (a deployment's `llm.measured`;
// scenario/llm_measured_csv.hpp reads them, docs/llm-serving.md gives the equations). The rows
// give the throughput T_i and the power P_i of the replica's GPUs at a mean batch b_i; an
// origin row (0, 0, S) is added, S = TP x idle_w, the idle power of GPUs holding the model.
// The nodes' own power, TP x host_w, is added to every figure (a table measures GPUs only).
// At an arrival rate lambda the replica must serve r = lambda (a table in requests) or
// r = lambda O (in output tokens, O the mix's mean); between rows everything is linear in r:
//   f = (r - T_{i-1}) / (T_i - T_{i-1}),   b = b_{i-1} + f (b_i - b_{i-1}),
//   P = P_{i-1} + f (P_i - P_{i-1})
// so a rate between two measured points lands exactly between them. The capacity is the last
// row's throughput (a measured steady state: not overloaded at it); past it the replica stays
// there and the queue grows. TTFT and TPOT are the table's, linear in the batch (the first
// row's below it); without a tpot_s column, Little's law on the decode gives TPOT = b / (lambda
// O), an overestimate where `batch` counts requests queued or in prefill too (a concurrency
// measured as requests/s x latency does); without ttft_s, TTFT is unknown (NaN). The
// table holds for the request mix it was measured with: the scenario's tokens scale a table in
// requests into tokens, nothing more.
#include <cstdint>

#include "scenario/llm_spec.hpp"
#include "workload/llm_server.hpp"

namespace mlcycle {

class MeasuredLlmReplica final : public LlmServer {
 public:
  // `replica` gives the tensor-parallel degree, each GPU's idle_w and host_w, and the key and
  // place for messages: InputError when the GPUs' idle power is more than a row's.
  MeasuredLlmReplica(const LlmMeasuredTable& table, const LlmReplicaSpec& replica);

  double capacity_per_s(const TokenMix& mix) const override;
  // std::invalid_argument for a negative or non-finite rate, or a mix without positive tokens.
  LlmOperatingPoint at(double requests_per_s, const TokenMix& mix) const override;
  // The table's TTFT is whole: the wait is all of it.
  double first_token_s(double wait_s, double) const override { return wait_s; }

 private:
  // A latency column (ttft_s or tpot_s) at `batch`: linear between rows, flat outside them.
  double latency_at(double batch, double LlmMeasuredPoint::*column) const;

  LlmMeasuredTable table_;
  double gpu_idle_w_;  // S: the replica's GPUs idle
  double host_w_;      // their nodes' own power (LlmReplicaSpec::host_w), added to every figure
};

}  // namespace mlcycle
