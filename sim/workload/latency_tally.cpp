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
}

double LatencyTally::mean_s() const {
  if (!(mean_weight_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (mean_infinite_) return std::numeric_limits<double>::infinity();
  return weighted_sum_s_ / mean_weight_;
}

double LatencyTally::quantile_s(double q) {
  if (!(quantile_weight_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (!sorted_) {
    std::sort(points_.begin(), points_.end());
    // Sum the weights at each latency, so that a negative weight cancels its equal.
    std::size_t out = 0;
    for (std::size_t i = 0; i < points_.size(); ++i) {
      if (out > 0 && points_[out - 1].first == points_[i].first)
        points_[out - 1].second += points_[i].second;
      else
        points_[out++] = points_[i];
    }
    points_.resize(out);
    sorted_ = true;
  }
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
