#include "grid/carbon_windows.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mlcycle {

namespace {

void require_finite(double value, const char* what, const char* function) {
  if (!std::isfinite(value))
    throw std::invalid_argument(std::string(function) + ": " + what + " must be finite");
}

// The signal's next breakpoint after t_s. A signal that does not move forward would make every
// walk below loop forever, so it is a programming error, reported as such.
double next_breakpoint_s(const StepSignal& signal, double t_s) {
  const double next_s = signal.next_change_after_s(t_s);
  if (!(next_s > t_s))
    throw std::logic_error("carbon windows: the signal's next change does not come after " +
                           std::to_string(t_s) + " s");
  return next_s;
}

}  // namespace

double first_time_at_or_below_s(const StepSignal& signal, double from_s, double threshold,
                                double latest_s) {
  const char* fn = "first_time_at_or_below_s";
  require_finite(from_s, "from_s", fn);
  require_finite(latest_s, "latest_s", fn);
  if (from_s > latest_s)
    throw std::invalid_argument("first_time_at_or_below_s: from_s " + std::to_string(from_s) +
                                " is after latest_s " + std::to_string(latest_s));
  // The value holds from each breakpoint to the next (right-continuous), so the first time the
  // value is low enough is from_s itself or a breakpoint.
  for (double t_s = from_s; t_s < latest_s; t_s = next_breakpoint_s(signal, t_s))
    if (signal.value_at(t_s) <= threshold) return t_s;
  // Reached latest_s: there either way (at or below there, or the slack has run out).
  return latest_s;
}

BestStart best_start(const StepSignal& signal, double earliest_s, double latest_s,
                     double length_s) {
  const char* fn = "best_start";
  require_finite(earliest_s, "earliest_s", fn);
  require_finite(latest_s, "latest_s", fn);
  require_finite(length_s, "length_s", fn);
  if (latest_s < earliest_s)
    throw std::invalid_argument("best_start: latest_s " + std::to_string(latest_s) +
                                " is before earliest_s " + std::to_string(earliest_s));
  if (length_s < 0)
    throw std::invalid_argument("best_start: length_s " + std::to_string(length_s) +
                                " is negative");
  if (length_s == 0) return {earliest_s, 0.0};

  BestStart best{earliest_s, signal.integral(earliest_s, earliest_s + length_s)};
  // Candidates are visited in strictly increasing order and only a strictly smaller integral
  // replaces the best, so ties keep the earliest start.
  double last_s = earliest_s;
  auto consider = [&](double s) {
    if (s <= last_s || s >= latest_s) return;  // a repeat, or rounding pushed b - length_s out
    last_s = s;
    const double integral = signal.integral(s, s + length_s);
    if (integral < best.integral) best = {s, integral};
  };

  // Two cursors merged in order: breakpoints the start crosses, and breakpoints the end
  // crosses (the start then being b - length_s). Nothing is stored, so a long window costs no
  // memory.
  const double end_limit_s = latest_s + length_s;
  double start_b_s = next_breakpoint_s(signal, earliest_s);
  double end_b_s = next_breakpoint_s(signal, earliest_s + length_s);
  while (start_b_s < latest_s || end_b_s < end_limit_s) {
    const bool start_left = start_b_s < latest_s;
    const bool end_left = end_b_s < end_limit_s;
    if (start_left && (!end_left || start_b_s <= end_b_s - length_s)) {
      consider(start_b_s);
      start_b_s = next_breakpoint_s(signal, start_b_s);
    } else {
      consider(end_b_s - length_s);
      end_b_s = next_breakpoint_s(signal, end_b_s);
    }
  }
  if (latest_s > last_s) {
    const double integral = signal.integral(latest_s, end_limit_s);
    if (integral < best.integral) best = {latest_s, integral};
  }
  return best;
}

double time_weighted_percentile(const StepSignal& signal, double t0_s, double t1_s,
                                double percentile) {
  const char* fn = "time_weighted_percentile";
  require_finite(t0_s, "t0_s", fn);
  require_finite(t1_s, "t1_s", fn);
  if (!(t1_s > t0_s))
    throw std::invalid_argument("time_weighted_percentile: the window [" + std::to_string(t0_s) +
                                ", " + std::to_string(t1_s) + "] s is empty");
  if (!(percentile >= 0 && percentile <= 100))
    throw std::invalid_argument("time_weighted_percentile: percentile " +
                                std::to_string(percentile) + " is outside [0, 100]");

  std::vector<std::pair<double, double>> pieces;  // (value, duration_s)
  double total_s = 0;
  for (double t_s = t0_s; t_s < t1_s;) {
    const double next_s = std::min(next_breakpoint_s(signal, t_s), t1_s);
    pieces.emplace_back(signal.value_at(t_s), next_s - t_s);
    total_s += next_s - t_s;
    t_s = next_s;
  }
  std::sort(pieces.begin(), pieces.end());
  // Multiply before dividing: 30% of a whole number of seconds stays exact.
  const double target_s = total_s * percentile / 100;
  double below_s = 0;
  for (const auto& [value, duration_s] : pieces) {
    below_s += duration_s;
    if (below_s >= target_s) return value;
  }
  // Only rounding (summing in value order, not time order) can get here, at p close to 100.
  return pieces.back().first;
}

}  // namespace mlcycle
