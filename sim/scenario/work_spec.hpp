#pragma once
// A campaign's trials sized by compute instead of hours: `work = { flops = ... }` or
// `work = { params = N, tokens = D }` (6 N D, Kaplan et al. 2020), with an optional attention
// term, and a model FLOP utilization. Equations: docs/hardware.md.
#include <optional>

#include "core/input_error.hpp"

namespace mlcycle {

struct WorkSpec {
  double flops = 0;   // given directly (0: from params and tokens)
  double params = 0;  // N, the model's parameters
  double tokens = 0;  // D, training tokens
  // Attention (all three or none): 6 x layers x context x d_model FLOPs per token more.
  double layers = 0;
  double context = 0;
  double d_model = 0;
  std::optional<double> mfu;  // none: the cluster accelerator's catalog MFU
  SourceLocation where;       // the `work` table
  SourceLocation mfu_where;

  // Training FLOPs of one trial: 6 N D + 6 layers context d_model D (or `flops`).
  double total_flops() const {
    if (flops > 0) return flops;
    return 6 * params * tokens + 6 * layers * context * d_model * tokens;
  }
};

}  // namespace mlcycle
