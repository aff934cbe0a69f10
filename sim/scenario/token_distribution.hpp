#pragma once
// Token counts that vary from request to request (a segment's `input_tokens = { dist = ... }`
// or `tokens_file`, docs/llm-serving.md), summed up as the serving model needs them: the mean,
// the mean square (for E[O^2] in the batch's context), and points of the distribution for the
// spread of prefill times, hence of TTFT. Plain math, no sampling: a run stays deterministic
// without drawing a token.
//
// The points: the probability bands below, finer in the tail, each represented by the quantile
// at its upper end and weighted by its width. So the nearest-rank p50, p90, p99 and p99.9 of the
// points are exactly the distribution's own. The last band (to 1) stands at the 0.9995 quantile
// where the distribution has no maximum, at the maximum where it has one.
#include <array>
#include <vector>

#include "scenario/llm_spec.hpp"

namespace mlcycle {

inline constexpr std::array<double, 24> kTokenBandEnds = {
    0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4,  0.45, 0.5,   0.55,  0.6,
    0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0};

struct TokenMoments {
  double mean = 0;
  double mean_square = 0;
  std::vector<TokenPoint> points;  // one per band, increasing; weights sum to 1
};

// Lognormal of mean m and standard deviation sd (> 0): sigma^2 = ln(1 + sd^2 / m^2),
// mu = ln m - sigma^2 / 2; E[X^2] = sd^2 + m^2. An sd too small for sigma to differ from 0 is
// a fixed count. std::invalid_argument unless m > 0, sd > 0, both finite.
TokenMoments lognormal_tokens(double mean, double sd);

// Uniform on [low, high]: mean (low + high) / 2, E[X^2] = (low^2 + low high + high^2) / 3.
// std::invalid_argument unless 0 < low <= high.
TokenMoments uniform_tokens(double low, double high);

// The points of sorted values (a file of requests): at each band's end, the nearest rank, the
// smallest value with at least that share of the values at or below it.
std::vector<TokenPoint> empirical_points(const std::vector<double>& sorted_values);

}  // namespace mlcycle
