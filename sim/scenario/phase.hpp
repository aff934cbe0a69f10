#pragma once
// The lifecycle phases every joule is attributed to, plus the idle series of the trace.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mlcycle {

enum class Phase : std::uint8_t { experimentation = 0, training = 1, inference = 2 };
inline constexpr int kPhaseCount = 3;

// Trace series: the phases, then the idle energy of powered hosts.
inline constexpr int kSeriesCount = kPhaseCount + 1;
inline constexpr int kIdleSeries = kPhaseCount;
inline constexpr std::array<std::string_view, kSeriesCount> kSeriesNames{
    "experimentation", "training", "inference", "idle"};

inline std::string_view phase_name(Phase phase) {
  return kSeriesNames[static_cast<int>(phase)];
}

inline std::optional<Phase> parse_phase(std::string_view text) {
  for (int i = 0; i < kPhaseCount; ++i)
    if (kSeriesNames[i] == text) return static_cast<Phase>(i);
  return std::nullopt;
}

}  // namespace mlcycle
