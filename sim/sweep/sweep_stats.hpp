#pragma once
// Summary statistics of one headline column over the replicates of a sweep point.
#include <cstddef>
#include <vector>

namespace mlcycle {

struct SummaryStats {
  std::size_t n = 0;  // finite values counted
  double mean = 0;
  double stddev = 0;    // sample standard deviation (n - 1); NaN when n < 2
  double ci95_low = 0;  // mean -/+ t(0.975, n - 1) * stddev / sqrt(n); NaN when n < 2
  double ci95_high = 0;
};

// Ignores NaN and infinite values; with none left every field but n is NaN.
SummaryStats summarize(const std::vector<double>& values);

}  // namespace mlcycle
