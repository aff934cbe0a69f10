#pragma once
// Fleet size over local calendar days, and which vehicles have joined.
//
// The fleet starts with `vehicles` (indices 0 .. vehicles-1) at the deployment start and gains
// `vehicles_per_month` at local midnight (UTC + utc_offset_hours) of the 1st of every calendar
// month after the start, up to `max_vehicles`:
//   months(D) = month_index(D) - month_index(D_start)      month_index = 12 * year + month - 1
//   N(D)      = min(max_vehicles, vehicles + vehicles_per_month * months(D))
// Local rather than UTC midnight: a vehicle then joins at a day boundary of its own driving
// pattern, so the fleet size is constant within each local day. Joining follows the vehicle
// index: vehicle v joins in month k(v) = 0 for v < vehicles, else (v - vehicles) / g + 1.
// Vehicles of one pattern and one join month are a cohort. A vehicle's power does not depend on
// when it joined, so the cohorts of a pattern add up to
//   n_p(N) = floor(N / P) + (p < N mod P ? 1 : 0)     vehicles of pattern p among the first N.
#include <cstdint>

#include "core/utc_time.hpp"
#include "scenario/fleet_spec.hpp"

namespace mlcycle {

// Local day (days since 1970-01-01 in local time) of a UTC instant given in unix seconds.
std::int64_t local_day_of(double unix_s, double utc_offset_s);

// 12 * year + (month - 1) of a local day.
std::int64_t month_index_of(std::int64_t local_day);

class FleetGrowth {
 public:
  FleetGrowth(const FleetSpec& spec, std::int64_t start_local_day);

  std::int64_t months_since_start(std::int64_t local_day) const;
  // Vehicles on the road on `local_day` (on or after the start day).
  std::int64_t size_on(std::int64_t local_day) const;
  // Month (since the start) in which vehicle `v` joins; -1 when it never does (max_vehicles).
  std::int64_t join_month(std::int64_t v) const;
  // Vehicles of `pattern` among the first `n` vehicles, out of `patterns`.
  static std::int64_t pattern_count(std::int64_t n, std::uint32_t pattern, std::uint32_t patterns);

 private:
  std::int64_t initial_;
  std::int64_t per_month_;
  std::int64_t max_;  // -1: no limit
  std::int64_t start_month_;
};

}  // namespace mlcycle
