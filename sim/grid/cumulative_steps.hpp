#pragma once
// A step signal copied into arrays with its running integral, for many window minima over one
// signal: the lower bound of a policy comparison asks, for every deferrable job (a million in
// a large campaign), for the least integral over the job's length among the starts of its
// window. On the arrays each candidate start costs O(1) instead of a search of the signal.
#include <memory>
#include <vector>

#include "grid/step_signal.hpp"

namespace mlcycle {

class CumulativeSteps {
 public:
  // Copies `signal` from time 0 on, step by step as far as asked (it may never end).
  explicit CumulativeSteps(std::shared_ptr<const StepSignal> signal);

  // min over s in [earliest_s, latest_s] of the integral over [s, s + length_s]: the minimum of
  // a piecewise-linear function of s, at a window end or where s or s + length_s crosses a
  // step. Times >= 0. Equal to StepSignal::best_start's integral up to rounding (running sums
  // instead of the signal's own integrals).
  double least_window_integral(double earliest_s, double latest_s, double length_s);

 private:
  void extend_to(double time_s);
  std::size_t step_at(double time_s) const;  // the step holding at time_s (extended)
  double cumulative(std::size_t step, double time_s) const {
    return cumulative_[step] + value_[step] * (time_s - start_s_[step]);
  }

  std::shared_ptr<const StepSignal> signal_;
  std::vector<double> start_s_;  // step k holds value_[k] on [start_s_[k], start_s_[k + 1])
  std::vector<double> value_;
  std::vector<double> cumulative_;  // integral over [0, start_s_[k]]
  bool ended_ = false;              // the last step holds forever
};

}  // namespace mlcycle
