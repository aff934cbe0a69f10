#include "workload/cap_schedule.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/special_values.hpp"

namespace mlcycle {

namespace {

// The schedule's next change after `t`, which must lie after it (a signal that does not advance
// would loop forever).
double next_change_s(const CapSchedule& schedule, double t) {
  const double next = schedule.next_change_after_s(t);
  if (!(next > t)) throw std::logic_error("CapSchedule: next change not after the time asked");
  return next;
}
}  // namespace

double capped_wall_end_s(const CapSchedule& schedule, double ratio, double from_s,
                         double progress_s) {
  double t = from_s;
  double left_s = progress_s;
  while (left_s > 0) {
    const double seconds_per_progress = schedule.capped_at(t) ? ratio : 1.0;
    const double next_s = next_change_s(schedule, t);
    const double needed_s = left_s * seconds_per_progress;
    if (next_s == kNever || t + needed_s <= next_s) return t + needed_s;
    left_s -= (next_s - t) / seconds_per_progress;
    t = next_s;
  }
  return t;
}

double capped_progress_s(const CapSchedule& schedule, double ratio, double from_s, double to_s) {
  double progress_s = 0;
  for (double t = from_s; t < to_s;) {
    const double seconds_per_progress = schedule.capped_at(t) ? ratio : 1.0;
    const double next_s = std::min(to_s, next_change_s(schedule, t));
    progress_s += (next_s - t) / seconds_per_progress;
    t = next_s;
  }
  return progress_s;
}

double next_cap_switch_s(const CapSchedule& schedule, double time_s, double until_s) {
  const bool capped = schedule.capped_at(time_s);
  for (double t = next_change_s(schedule, time_s); t < until_s; t = next_change_s(schedule, t))
    if (schedule.capped_at(t) != capped) return t;
  return kNever;
}

}  // namespace mlcycle
