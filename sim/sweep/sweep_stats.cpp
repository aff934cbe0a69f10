#include "sweep/sweep_stats.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace mlcycle {

SummaryStats summarize(const std::vector<double>& values) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  SummaryStats stats{0, nan, nan, nan, nan};
  double sum = 0;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    ++stats.n;
    sum += v;
  }
  if (stats.n == 0) return stats;
  const double n = static_cast<double>(stats.n);
  stats.mean = sum / n;
  if (stats.n < 2) return stats;
  double squares = 0;  // two passes: no cancellation when the spread is small against the mean
  for (double v : values)
    if (std::isfinite(v)) squares += (v - stats.mean) * (v - stats.mean);
  stats.stddev = std::sqrt(squares / (n - 1));
  const boost::math::students_t t_distribution(n - 1);
  const double t = boost::math::quantile(t_distribution, 0.975);
  const double half_width = t * stats.stddev / std::sqrt(n);
  stats.ci95_low = stats.mean - half_width;
  stats.ci95_high = stats.mean + half_width;
  return stats;
}

}  // namespace mlcycle
