#pragma once
// When a campaign's jobs are submitted (`arrival = {...}` of a [[campaign]]). Times are
// seconds since the scenario start; the process begins at the campaign's submit time.
//   all-at-start: every job at the submit time.
//   rate:         one job every 3600 / rate_per_hour seconds, or exponential gaps with that
//                 mean when poisson = true.
//   researcher:   per_day jobs on each working day, uniformly within working hours of local
//                 time (UTC + utc_offset_hours).
// See workload/arrival_process.hpp for the exact rules.
#include <vector>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"

namespace mlcycle {

struct ArrivalSpec {
  enum class Pattern { all_at_start, rate, researcher } pattern = Pattern::all_at_start;
  double rate_per_hour = 0;  // rate
  bool poisson = false;      // rate: exponential gaps (seeded) instead of a fixed interval
  // researcher
  double per_day = 0;  // an integer: exactly that many per working day; else a Poisson mean
  double day_start_h = 9, day_end_h = 18;       // local working window [start, end)
  double utc_offset_hours = 0;                  // local time = UTC + offset
  std::vector<int> weekdays = {1, 2, 3, 4, 5};  // ISO: 1 = Monday ... 7 = Sunday
  SourceLocation where;
};
inline constexpr EnumName<ArrivalSpec::Pattern> kArrivalPatternNames[] = {
    {ArrivalSpec::Pattern::all_at_start, "all-at-start"},
    {ArrivalSpec::Pattern::rate, "rate"},
    {ArrivalSpec::Pattern::researcher, "researcher"}};
constexpr std::span<const EnumName<ArrivalSpec::Pattern>> enum_names(ArrivalSpec::Pattern) {
  return kArrivalPatternNames;
}

}  // namespace mlcycle
