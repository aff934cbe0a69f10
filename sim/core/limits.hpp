#pragma once
// Ranges every scenario value must fall in. They exist so that an extreme value (a typo, a
// fuzzer's 1e308) is refused with a located message instead of hanging the run or filling the
// disk with trace bins; each is far beyond any legitimate study (docs/scenarios.md, "Limits").
#include <cstdint>

namespace mlcycle::limits {

// A platform: at most 4,000,000 hosts (SimGrid 3.32 needs about 30 s and 3.4 GB for 10^6) of
// at most 4,096 cores (GPUs) each.
inline constexpr std::uint64_t kMaxHosts = 4'000'000;
inline constexpr std::int64_t kMaxCoresPerHost = 4096;

// Any duration or offset: at most 1,000 years of 365 days (3.1536e10 s).
inline constexpr double kMaxDuration_s = 1000.0 * 365 * 86400;
inline constexpr const char* kMaxDurationText = "1000 years";

// The trace: bins of at least 1 s, at most 10^8 bins in a run (at the default 1-h step that is
// 11,400 years; at 1 s, 3.2 years). A run that would need more stops with an input error.
inline constexpr double kMinTraceStep_s = 1.0;
inline constexpr double kMaxTraceBins = 1e8;

// Serving deployments advance in steps of at least 1 s.
inline constexpr double kMinServingStep_s = 1.0;

// Trials of one campaign and configurations of one search: at most 10^12 (a million-trial
// campaign simulates in seconds; 10^12 would take weeks, but stays exact in doubles).
inline constexpr std::uint64_t kMaxTrials = 1'000'000'000'000ULL;

// Arrivals: at most 1,000 jobs a second (3.6e6 an hour, or a working day); a researcher pattern
// submits at least 0.001 jobs a working day (else the search for the next one never ends).
inline constexpr double kMaxArrivalsPerHour = 3.6e6;
inline constexpr double kMaxArrivalsPerDay = 3.6e6;
inline constexpr double kMinArrivalsPerDay = 1e-3;

// A serving replica's latency terms: at most 10^9 ms (11.6 days) per batch or per item.
inline constexpr double kMaxLatency_ms = 1e9;

// Fleet sizes (vehicles, vehicles_per_month, max_vehicles): at most 10^12.
inline constexpr std::int64_t kMaxVehicles = 1'000'000'000'000;

// The latest simulated time a run may reach: the trace-bin limit at this step, capped by the
// duration limit.
inline double max_run_span_s(double trace_step_s) {
  const double by_bins_s = kMaxTraceBins * trace_step_s;
  return by_bins_s < kMaxDuration_s ? by_bins_s : kMaxDuration_s;
}

}  // namespace mlcycle::limits
