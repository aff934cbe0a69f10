#pragma once
// When a carbon-cap campaign's GPUs are capped, and what that does to a job's clock. The
// schedule is an interface of the workload wing that the accounting wing implements from the
// grid (as release_policy.hpp), so the grid's signals stay out of `workload`.
//
// A job's progress is counted in uncapped run seconds: it advances at 1 per second while the
// job runs uncapped and at 1 / ratio while capped, ratio = (run time per unit of work capped) /
// (uncapped) >= 1. Wall time and progress convert exactly on the schedule's steps.
namespace mlcycle {

class CapSchedule {
 public:
  virtual ~CapSchedule() = default;
  virtual bool capped_at(double time_s) const = 0;
  // The first time after `time_s` at which capped_at may change (infinity: never).
  virtual double next_change_after_s(double time_s) const = 0;
};

// The time at which a job that starts at `from_s` has made `progress_s` of progress.
double capped_wall_end_s(const CapSchedule& schedule, double ratio, double from_s,
                         double progress_s);
// The progress a job makes over [from_s, to_s].
double capped_progress_s(const CapSchedule& schedule, double ratio, double from_s, double to_s);
// The first time in (time_s, until_s) at which capped_at differs from its value at time_s;
// infinity if none.
double next_cap_switch_s(const CapSchedule& schedule, double time_s, double until_s);

}  // namespace mlcycle
