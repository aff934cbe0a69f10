#pragma once
// The driving sessions of one pattern on one local calendar day.
//
// A fleet has `patterns` daily patterns; vehicle v follows pattern v % patterns. For pattern p
// and local day D (days since 1970-01-01 in local time, UTC + utc_offset_hours), the sessions
// are drawn from their own stream make_stream(seed, purpose(p, D)), so a day's sessions do not
// depend on which days were evaluated before, nor in which order:
//   n      = sessions_per_day (Monday-Friday) or weekend_sessions_per_day (Saturday, Sunday)
//   start  ~ Uniform[first_start_h, last_start_h)      (exactly first_start_h when they are equal)
//   length ~ LogNormal with mean m = session_hours_mean and sd s = session_hours_sd:
//            sigma^2 = ln(1 + s^2 / m^2), mu = ln(m) - sigma^2 / 2; s = 0 gives exactly m;
//            then at least 1 minute (also when s = 0).
// The lognormal keeps lengths positive and right-skewed like trip lengths while matching the
// given mean and sd. Sessions are sorted by start; a session that would begin before the previous
// one ends is pushed to that end (a vehicle drives one session at a time), and every session is
// clipped at local midnight (a session pushed past midnight is dropped). Hours driven per day
// are a result of these draws, near n x m when sessions rarely collide.
#include <cstdint>
#include <vector>

#include "scenario/fleet_spec.hpp"

namespace mlcycle {

struct DrivingSession {
  double start_s;  // seconds after local midnight, in [0, 86400)
  double end_s;    // > start_s, <= 86400
};

// Monday = 0 ... Sunday = 6 of a local day counted from 1970-01-01 (a Thursday).
int weekday_of(std::int64_t local_day);
bool is_weekend(std::int64_t local_day);

// The stream purpose of pattern `pattern` on `local_day`; distinct for every (pattern, day).
std::uint64_t driving_purpose(std::uint32_t pattern, std::int64_t local_day);

// Sorted, non-overlapping sessions of `pattern` on `local_day` under `seed`.
std::vector<DrivingSession> driving_sessions(const DrivingSpec& spec, std::uint64_t seed,
                                             std::uint32_t pattern, std::int64_t local_day);

}  // namespace mlcycle
