#pragma once
// Durations in scenario files: a number of seconds, or a string with a unit ("90min", "1.5h",
// "172d", "2w", "1y"). A year is 365 days: horizons are calendar-free spans in seconds.
#include <optional>
#include <string>

namespace mlcycle {

// Returns nullopt when the text is not a duration; negative values are accepted here and
// rejected by the caller, which knows whether zero or negative makes sense.
std::optional<double> parse_duration_s(const std::string& text);

// "3.5 h", "12 d": a short human form for summaries.
std::string format_duration(double time_s);

}  // namespace mlcycle
