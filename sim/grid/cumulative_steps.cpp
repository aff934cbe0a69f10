#include "grid/cumulative_steps.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mlcycle {

CumulativeSteps::CumulativeSteps(std::shared_ptr<const StepSignal> signal)
    : signal_(std::move(signal)) {
  start_s_.push_back(0);
  value_.push_back(signal_->value_at(0));
  cumulative_.push_back(0);
}

void CumulativeSteps::extend_to(double time_s) {
  while (!ended_ && start_s_.back() <= time_s) {
    const double from_s = start_s_.back();
    const double next_s = signal_->next_change_after_s(from_s);
    if (!std::isfinite(next_s)) {
      ended_ = true;
      break;
    }
    if (next_s <= from_s) throw std::logic_error("CumulativeSteps: a signal went backwards");
    cumulative_.push_back(cumulative_.back() + value_.back() * (next_s - from_s));
    start_s_.push_back(next_s);
    value_.push_back(signal_->value_at(next_s));
  }
}

std::size_t CumulativeSteps::step_at(double time_s) const {
  const auto after = std::upper_bound(start_s_.begin(), start_s_.end(), time_s);
  return static_cast<std::size_t>(after - start_s_.begin()) - 1;
}

double CumulativeSteps::least_window_integral(double earliest_s, double latest_s, double length_s) {
  if (!(earliest_s >= 0 && latest_s >= earliest_s && length_s >= 0))
    throw std::invalid_argument("least_window_integral: need 0 <= earliest <= latest, length >= 0");
  extend_to(latest_s + length_s);
  // Two cursors: the step holding at s and the one holding at s + length; candidates in
  // increasing order are the window's ends and each step start that s or s + length crosses.
  std::size_t at_start = step_at(earliest_s);
  std::size_t at_end = step_at(earliest_s + length_s);
  const std::size_t steps = start_s_.size();
  double least = INFINITY;
  double s = earliest_s;
  while (true) {
    const double value = cumulative(at_end, s + length_s) - cumulative(at_start, s);
    least = std::min(least, value);
    if (s >= latest_s) break;
    const double next_start = at_start + 1 < steps ? start_s_[at_start + 1] : INFINITY;
    const double next_end = at_end + 1 < steps ? start_s_[at_end + 1] - length_s : INFINITY;
    const double next = std::min({next_start, next_end, latest_s});
    if (next_start <= next) ++at_start;
    if (next_end <= next) ++at_end;
    s = next;
  }
  return least;
}

}  // namespace mlcycle
