#include "workload/latency_tally.hpp"

#include <algorithm>
#include <cmath>

namespace mlcycle {

void LatencyTally::add_to_mean(double latency_s, double weight) {
  if (weight == 0) return;
  mean_weight_ += weight;
  // An infinite latency (a saturated step) makes the mean infinite, not its sum.
  if (std::isfinite(latency_s))
    weighted_sum_s_ += weight * latency_s;
  else if (weight > 0)
    mean_infinite_ = true;
}

void LatencyTally::add_to_quantiles(double latency_s, double weight) {
  if (weight == 0) return;
  points_.emplace_back(latency_s, weight);
  quantile_weight_ += weight;
  sorted_ = false;
  if (points_.size() >= compact_at_) {
    sort_and_merge(kRelativeResolution);
    // Points too spread to merge much: wait for twice as many before sorting again.
    compact_at_ = std::max(kCompactAbove, 2 * points_.size());
  }
}

// Sorted by latency; a point within `relative_resolution` of the first of its run joins it
// (0: only equal latencies, so a negative weight cancels its equal).
void LatencyTally::sort_and_merge(double relative_resolution) {
  std::sort(points_.begin(), points_.end());
  std::size_t out = 0;
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < points_.size(); ++i) {
    if (out > 0) {
      const double first = points_[run_start].first;
      const double latency = points_[i].first;
      if (latency == first ||
          (std::isfinite(latency) && latency - first <= relative_resolution * std::abs(first))) {
        points_[out - 1].second += points_[i].second;
        continue;
      }
    }
    points_[out] = points_[i];
    run_start = out++;
  }
  points_.resize(out);
  sorted_ = true;
}

double LatencyTally::mean_s() const {
  if (!(mean_weight_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (mean_infinite_) return std::numeric_limits<double>::infinity();
  return weighted_sum_s_ / mean_weight_;
}

double LatencyTally::quantile_s(double q) {
  if (!(quantile_weight_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  // Sum the weights at each latency, so that a negative weight cancels its equal.
  if (!sorted_) sort_and_merge(0);
  const double needed = std::clamp(q, 0.0, 1.0) * quantile_weight_;
  double cumulative = 0;
  for (const auto& [latency_s, w] : points_) {
    if (w <= 0) continue;
    cumulative += w;
    if (cumulative >= needed) return latency_s;
  }
  return points_.back().first;
}

}  // namespace mlcycle
