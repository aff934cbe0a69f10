#pragma once
// Request-weighted latencies of a service: each point is a latency that `weight` requests saw
// (a step's served requests of one segment). The quantiles are weighted nearest-rank: the
// smallest latency whose points, with all smaller ones, hold at least q of the weight. A point
// added with a negative weight takes back part of an equal one (a step cut short at the end of
// a run); the weights at one latency are summed before ranking. The mean and the quantiles
// may be fed apart: a segment whose prompts vary gives its mean TTFT exactly (prefill is linear
// in the tokens) and its spread as points of its prompt-length bands.
#include <limits>
#include <utility>
#include <vector>

namespace mlcycle {

class LatencyTally {
 public:
  // Both the mean and the quantiles.
  void add(double latency_s, double weight) {
    add_to_mean(latency_s, weight);
    add_to_quantiles(latency_s, weight);
  }
  void add_to_mean(double latency_s, double weight);
  void add_to_quantiles(double latency_s, double weight);
  double weight() const { return quantile_weight_; }
  double mean_s() const;  // NaN without weight; infinite when an infinite latency was added
  // q in [0, 1]; NaN without weight. Sorts the points (once per batch of additions).
  double quantile_s(double q);

 private:
  std::vector<std::pair<double, double>> points_;  // (latency_s, weight)
  double quantile_weight_ = 0;
  double mean_weight_ = 0;
  double weighted_sum_s_ = 0;
  bool mean_infinite_ = false;
  bool sorted_ = true;
};

}  // namespace mlcycle
