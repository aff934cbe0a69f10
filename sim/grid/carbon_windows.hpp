#pragma once
// Exact searches over a window of a piecewise-constant signal (usually a grid's carbon
// intensity), for carbon-aware scheduling: when to start a deferrable job, and the best it could
// have done. Each search walks the signal's breakpoints (next_change_after_s), never a time grid,
// so a short dip between two grid points is never missed and the result does not depend on a
// sampling step. Cost is linear in the breakpoints the window spans (a 7-day window of a 15-min
// trace: 672), times the cost of one signal query.
//
// Times are seconds since the scenario start. All functions throw std::invalid_argument on
// non-finite times or a reversed window, and std::logic_error if the signal's
// next_change_after_s does not move forward (which would otherwise loop forever).
#include "grid/step_signal.hpp"

namespace mlcycle {

// The earliest t in [from_s, latest_s] with value_at(t) <= threshold; latest_s when there is
// none, so that a job whose slack runs out starts anyway. Requires from_s <= latest_s.
double first_time_at_or_below_s(const StepSignal& signal, double from_s, double threshold,
                                double latest_s);

struct BestStart {
  double start_s;
  double integral;  // signal.integral(start_s, start_s + length_s), bit for bit
};

// The start s in [earliest_s, latest_s] minimising F(s) = integral(s, s + length_s); among
// equally good starts, the earliest. F is piecewise linear in s with kinks only where s or
// s + length_s crosses a breakpoint, so the minimum is at one of these candidates: the two
// window ends, the breakpoints b in (earliest_s, latest_s), and b - length_s for the breakpoints
// b in (earliest_s + length_s, latest_s + length_s). Each candidate is evaluated with
// signal.integral (not an incremental update, which would drift from what the accounting later
// charges). Cost: one integral per candidate, i.e. O(breakpoints in the window + breakpoints in
// the window shifted by length_s). length_s == 0 gives {earliest_s, 0}.
// Because ties go to the earliest start, the result is non-decreasing in earliest_s when
// latest_s - earliest_s and length_s stay fixed (a sliding window never moves its choice back).
BestStart best_start(const StepSignal& signal, double earliest_s, double latest_s, double length_s);

// The time-weighted p-th percentile (p in [0, 100]) of the signal over [t0_s, t1_s]: the
// smallest value v such that the signal is <= v for at least p% of the window. Exact: the
// window is cut at breakpoints into (value, duration) pieces, sorted by value. p = 0 gives the
// window's minimum, p = 100 its maximum. Requires t0_s < t1_s.
double time_weighted_percentile(const StepSignal& signal, double t0_s, double t1_s,
                                double percentile);

}  // namespace mlcycle
