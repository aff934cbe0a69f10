#pragma once
// A GPU power cap on a campaign's jobs (`power_cap = { limit = ... }` of a [[campaign]]): each
// GPU of its jobs draws at most the cap instead of its busy power, and computes slower by the
// platform's run-time curve (docs/carbon-aware.md, Power capping).
#include <optional>

#include "core/input_error.hpp"

namespace mlcycle {

struct PowerCapSpec {
  // Exactly one of the two: watts per GPU, or a fraction in (0, 1] of the GPU's busy power
  // (its share of the node's AllCores).
  std::optional<double> limit_w;
  std::optional<double> fraction;
  SourceLocation where;  // the `limit` key, for errors found once the platform is loaded
};

}  // namespace mlcycle
