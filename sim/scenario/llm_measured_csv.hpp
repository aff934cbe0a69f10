#pragma once
// Measured operating points of LLM replicas (a deployment's `llm.measured`, docs/llm-serving.md),
// one row per model, GPU, tensor-parallel degree and batch:
//   model,gpu,tensor_parallel,batch,output_tokens_per_s|requests_per_s,power_w[,ttft_s][,tpot_s]
// `batch` is the mean number of sequences in flight (for a run at a request rate, its mean
// concurrency: requests/s x latency), the throughput the replica's, in output tokens or in
// requests a second (one of the two columns), and `power_w` the mean power of all its GPUs
// there. Other columns (a source, notes) are left alone. Every row is checked; of the rows of
// one model, GPU and degree the throughput must grow strictly with the batch (the model inverts
// it). Power may wobble: published measurements do, by 10 % between neighbouring points.
// Errors are InputErrors "file:line:col: column: what".
#include <cstdint>
#include <string>

#include "core/input_error.hpp"
#include "scenario/llm_spec.hpp"

namespace mlcycle {

// The rows of `model` on `gpu` at `tensor_parallel`, sorted by batch. When the file has none,
// an InputError at `where` / `key` (the scenario's `model`) listing what the file holds.
LlmMeasuredTable read_llm_measured_csv(const std::string& path, const std::string& model,
                                       const std::string& gpu, std::uint32_t tensor_parallel,
                                       const SourceLocation& where, const std::string& key);

}  // namespace mlcycle
