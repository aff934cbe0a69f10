// carbon-cap: a running job's cap engages and releases as its region's intensity crosses the
// threshold; its progress runs on the schedule's clock (cap_schedule.hpp).
#include <algorithm>

#include "workload/lifecycle_core.hpp"

namespace mlcycle {

// The job's next crossing before its planned end, if any.
void LifecycleCore::arm_cap_switch(std::uint32_t index, double now_s) {
  const Slot& slot = *slots_[index];
  const double end_s = planned_end_s(slot);
  const double switch_s = next_cap_switch_s(*schedule_of(slot), now_s, end_s);
  if (switch_s < end_s)
    push(switch_s, EventKind::cap_switch, slot.start.request.job_id, index, slot.generation);
}

void LifecycleCore::cap_switch_if_current(const Event& event, double now_s) {
  auto& entry = slots_[event.target];
  if (!entry || entry->generation != event.generation || entry->state != JobState::running) return;
  Slot& slot = *entry;
  slot.start.cap_engaged = schedule_of(slot)->capped_at(now_s);
  effects_.job_cap_switched(event.target, slot.start, now_s, planned_end_s(slot) - now_s);
  arm_cap_switch(event.target, now_s);
}

double LifecycleCore::progress_s(const Slot& slot, double now_s) const {
  const CapSchedule* schedule = schedule_of(slot);
  if (!schedule) return now_s - slot.launch_s;
  return capped_progress_s(*schedule, slot.cap_ratio, slot.launch_s, now_s);
}

double LifecycleCore::wall_span_s(const Slot& slot, double now_s, double progress) const {
  const CapSchedule* schedule = schedule_of(slot);
  if (!schedule) return progress;
  const double from_progress_s = std::max(0.0, progress_s(slot, now_s) - progress);
  return now_s - capped_wall_end_s(*schedule, slot.cap_ratio, slot.launch_s, from_progress_s);
}

}  // namespace mlcycle
