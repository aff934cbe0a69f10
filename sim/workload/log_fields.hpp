#pragma once
// Field parsers shared by the job-log importers (sacct_reader, swf_reader): durations as Slurm
// prints them and plain numbers, each answering nullopt on text it cannot read, so that the
// importer reports the field where it stands.
#include <cstdint>
#include <optional>
#include <string_view>

namespace mlcycle {

// The longest time or duration a log may state: 1,000 years (a larger one is an error, not a
// job). Unix times are bounded likewise, by the end of year 9999.
inline constexpr double kMaxLogSeconds = 1000 * 365.25 * 86400;
inline constexpr double kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// Slurm's "[D-]HH:MM:SS", "MM:SS", "D-HH:MM", "D-HH" (sacct's Elapsed and Timelimit),
// fractional seconds allowed.
// Seconds; nullopt for anything else (UNLIMITED, Partition_Limit, ...).
std::optional<double> parse_slurm_duration_s(std::string_view text);

// A finite decimal number ("12", "-1", "3.5", "1e3"); nullopt otherwise.
std::optional<double> parse_log_number(std::string_view text);

// A whole number of at most 2^32 - 1 (GPU and node counts); nullopt otherwise, negatives
// included.
std::optional<std::uint32_t> parse_log_count(std::string_view text);

}  // namespace mlcycle
