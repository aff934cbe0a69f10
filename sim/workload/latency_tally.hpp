#pragma once
// Request-weighted latencies of a service: each point is a latency that `weight` requests saw
// (a step's served requests of one segment). The quantiles are weighted nearest-rank: the
// smallest latency whose points, with all smaller ones, hold at least q of the weight. A point
// added with a negative weight takes back part of an equal one (a step cut short at the end of
// a run); the weights at one latency are summed before ranking. The mean and the quantiles
// may be fed apart: a segment whose prompts vary gives its mean TTFT exactly (prefill is linear
// in the tokens) and its spread as points of its prompt-length bands.
// Memory stays bounded: past kCompactAbove points the tally sorts them and merges those within
// kRelativeResolution of a smaller one into it (weights summed), so a year of minute steps with
// varying prompts (12 million points) keeps a few hundred thousand. Quantiles are then within
// that relative resolution, 1e-4, of the exact ones; the mean stays exact (a running sum).
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
  std::size_t points() const { return points_.size(); }  // held now (after any merging)
  double mean_s() const;  // NaN without weight; infinite when an infinite latency was added
  // q in [0, 1]; NaN without weight. Sorts the points (once per batch of additions).
  double quantile_s(double q);

  static constexpr std::size_t kCompactAbove = std::size_t{1} << 20;
  static constexpr double kRelativeResolution = 1e-4;

 private:
  void sort_and_merge(double relative_resolution);

  std::vector<std::pair<double, double>> points_;  // (latency_s, weight)
  double quantile_weight_ = 0;
  double mean_weight_ = 0;
  double weighted_sum_s_ = 0;
  bool mean_infinite_ = false;
  bool sorted_ = true;
  std::size_t compact_at_ = kCompactAbove;
};

}  // namespace mlcycle
