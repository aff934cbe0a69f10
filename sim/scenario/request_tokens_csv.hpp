#pragma once
// A segment's requests from a file (`tokens_file`, docs/llm-serving.md): one row per request,
// columns `input_tokens` and `output_tokens` (positive numbers; other columns are left alone),
// as a trace of a real service or a benchmark's dataset gives them. The segment takes their
// means, E[I O] and E[O^2] exactly (long answers to long prompts hold the most KV cache), and
// points of the prompt lengths (nearest rank, scenario/token_distribution.hpp). Errors are
// InputErrors "file:line:col: column: what"; a file without rows is one too.
#include <string>

#include "scenario/llm_spec.hpp"

namespace mlcycle {

// Fills segment.input_tokens, output_tokens, input_output_tokens, output_tokens_squared and
// input_points from `path`.
void read_request_tokens_csv(const std::string& path, RequestSegment& segment);

}  // namespace mlcycle
