#pragma once
// Token counts that vary from request to request (a segment's `input_tokens = { dist = ... }`,
// docs/llm-serving.md), summed up as the serving model needs them: the mean, the mean square
// (for E[O^2] in the batch's context) and the values at kTokenQuantiles equal-weight quantiles,
// the midpoints (j + 1/2) / K (for the spread of prefill times, hence of TTFT). Plain math, no
// sampling: a run stays deterministic without drawing a token.
#include <vector>

namespace mlcycle {

inline constexpr int kTokenQuantiles = 16;

struct TokenMoments {
  double mean = 0;
  double mean_square = 0;
  std::vector<double> quantiles;  // kTokenQuantiles values, increasing
};

// Lognormal of mean m and standard deviation sd (> 0): sigma^2 = ln(1 + sd^2 / m^2),
// mu = ln m - sigma^2 / 2; E[X^2] = sd^2 + m^2. std::invalid_argument unless m > 0, sd > 0.
TokenMoments lognormal_tokens(double mean, double sd);

// Uniform on [low, high]: mean (low + high) / 2, E[X^2] = (low^2 + low high + high^2) / 3.
// std::invalid_argument unless 0 < low <= high.
TokenMoments uniform_tokens(double low, double high);

}  // namespace mlcycle
