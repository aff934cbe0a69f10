#include "workload/fleet_growth.hpp"

#include <algorithm>
#include <cmath>

namespace mlcycle {

std::int64_t local_day_of(double unix_s, double utc_offset_s) {
  return static_cast<std::int64_t>(std::floor((unix_s + utc_offset_s) / 86400));
}

std::int64_t month_index_of(std::int64_t local_day) {
  // Civil date of a day count (Howard Hinnant's civil_from_days), year and month only.
  const std::int64_t z = local_day + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return 12 * year + month - 1;
}

FleetGrowth::FleetGrowth(const FleetSpec& spec, std::int64_t start_local_day)
    : initial_(spec.vehicles),
      per_month_(spec.vehicles_per_month),
      max_(spec.max_vehicles ? *spec.max_vehicles : -1),
      start_month_(month_index_of(start_local_day)) {}

std::int64_t FleetGrowth::months_since_start(std::int64_t local_day) const {
  return std::max<std::int64_t>(0, month_index_of(local_day) - start_month_);
}

std::int64_t FleetGrowth::size_on(std::int64_t local_day) const {
  const std::int64_t n = initial_ + per_month_ * months_since_start(local_day);
  return max_ >= 0 ? std::min(n, std::max(max_, initial_)) : n;
}

std::int64_t FleetGrowth::join_month(std::int64_t v) const {
  if (max_ >= 0 && v >= std::max(max_, initial_)) return -1;
  if (v < initial_) return 0;
  if (per_month_ <= 0) return -1;
  return (v - initial_) / per_month_ + 1;
}

std::int64_t FleetGrowth::pattern_count(std::int64_t n, std::uint32_t pattern,
                                        std::uint32_t patterns) {
  const std::int64_t p = patterns;
  return n / p + (static_cast<std::int64_t>(pattern) < n % p ? 1 : 0);
}

}  // namespace mlcycle
