#pragma once
// Timestamps as data files write them (grid traces, demand CSVs), read to seconds since the
// Unix epoch. Shared by every CSV reader, so it sits in core.
#include <optional>
#include <string_view>

namespace mlcycle {

// ISO-8601 UTC: "2020-01-01T00:00:00Z", "2020-01-01 00:00:00" (no offset: UTC),
// "2020-01-01T01:00:00+01:00", optional fractional seconds. Seconds since the Unix epoch.
std::optional<double> parse_utc_timestamp(std::string_view text);

}  // namespace mlcycle
