#pragma once
// Request-weighted latencies of a service: each point is a latency that `weight` requests saw
// (a step's served requests of one segment). The quantiles are weighted nearest-rank: the
// smallest latency whose points, with all smaller ones, hold at least q of the weight. A point
// added with a negative weight takes back part of an equal one (a step cut short at the end of
// a run); the weights at one latency are summed before ranking.
#include <limits>
#include <utility>
#include <vector>

namespace mlcycle {

class LatencyTally {
 public:
  void add(double latency_s, double weight);
  double weight() const { return weight_; }
  double mean_s() const;  // NaN without weight
  // q in [0, 1]; NaN without weight. Sorts the points (once per batch of additions).
  double quantile_s(double q);

 private:
  std::vector<std::pair<double, double>> points_;  // (latency_s, weight)
  double weight_ = 0;
  double weighted_sum_s_ = 0;
  bool sorted_ = true;
};

}  // namespace mlcycle
