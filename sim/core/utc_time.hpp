#pragma once
// UTC instants at the edges of the program (scenario start, output attributes). Inside the
// simulation every time is seconds since the scenario start.
#include <cstdint>
#include <string>

namespace mlcycle {

struct UtcTime {
  std::int64_t unix_s = 0;  // seconds since 1970-01-01T00:00:00Z
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

UtcTime make_utc(int year, unsigned month, unsigned day, int hour, int minute, int second);

// "2020-01-01T00:00:00Z"; fractions of a second are dropped.
std::string format_iso8601(UtcTime t, double offset_s = 0);

}  // namespace mlcycle
