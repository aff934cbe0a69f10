#pragma once
// The fleet's on-board power as piecewise-constant segments, one local day at a time.
//
// Within local day D (clipped to the deployment [start_s, end_s)) the fleet has N(D) vehicles
// (workload/fleet_growth.hpp) and pattern p drives during its sessions
// (workload/driving_pattern.hpp). With versions (from_s, active_w, idle_w) of the on-board
// computer's power, the fleet's power at time t is
//   cohorts:     P(t) = d(t) * active_w(t) + (N(D) - d(t)) * idle_w(t),
//                d(t) = sum over patterns p driving at t of n_p(N(D))
//   per vehicle: P(t) = sum over joined vehicles v of (pattern v % P driving at t ? active_w(t)
//                                                                              : idle_w(t))
// Both give the same counts; the per-vehicle form adds the vehicles one by one (a check of the
// cohort arithmetic, O(vehicles) per segment). Segments end at session edges, version changes,
// day edges and the deployment edges, so power is constant within each.
#include <cstdint>
#include <vector>

#include "core/utc_time.hpp"
#include "scenario/fleet_spec.hpp"
#include "workload/fleet_growth.hpp"

namespace mlcycle {

struct OnboardSegment {
  double t0_s;  // seconds since the scenario start
  double t1_s;  // > t0_s
  double power_w;
  double vehicles;  // on the road (joined the fleet)
  double driving;   // of which driving
};

// The on-board computer's power from `from_s` on (the first version holds from the start).
struct PowerVersion {
  double from_s;
  double active_w;
  double idle_w;
};

class OnboardTimeline {
 public:
  OnboardTimeline(const FleetSpec& spec, UtcTime scenario_start, double start_s, double end_s,
                  std::uint64_t seed);

  // Appends the segments of `local_day` over [max(day start, start_s, from_s), min(day end,
  // end_s)), with the versions known now.
  void build_day(std::int64_t local_day, double from_s, std::vector<OnboardSegment>& out) const;
  // On-board energy of the whole of `local_day` inside the deployment.
  double day_energy_j(std::int64_t local_day) const;

  // Versions must come in non-decreasing `from_s`; an equal `from_s` replaces the earlier one.
  void add_version(double from_s, double active_w, double idle_w);

  double day_start_s(std::int64_t local_day) const;  // local midnight, scenario seconds
  std::int64_t day_of(double t_s) const;             // day_start_s(d) <= t_s < day_start_s(d+1)
  std::int64_t first_day() const { return first_day_; }
  std::int64_t last_day() const { return last_day_; }
  std::int64_t size_on(std::int64_t local_day) const { return growth_.size_on(local_day); }

 private:
  const PowerVersion& version_at(double t_s) const;

  DrivingSpec driving_;
  bool per_vehicle_;
  std::uint64_t seed_;
  std::int64_t scenario_unix_s_;
  double offset_s_;
  double start_s_;
  double end_s_;
  std::int64_t first_day_;
  std::int64_t last_day_;
  FleetGrowth growth_;
  std::vector<PowerVersion> versions_;
};

}  // namespace mlcycle
