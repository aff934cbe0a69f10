#pragma once
// The lifecycle phases every joule is attributed to, plus the idle series of the trace.
#include <array>
#include <cstdint>
#include <string_view>

#include "core/enum_names.hpp"

namespace mlcycle {

enum class Phase : std::uint8_t { experimentation = 0, training = 1, inference = 2 };
inline constexpr int kPhaseCount = 3;

// Trace series: the phases, then the idle energy of powered hosts.
inline constexpr int kSeriesCount = kPhaseCount + 1;
inline constexpr int kIdleSeries = kPhaseCount;
inline constexpr std::array<std::string_view, kSeriesCount> kSeriesNames{
    "experimentation", "training", "inference", "idle"};

// The phases' names are the first series names (the trace's enum and columns use both).
inline constexpr EnumName<Phase> kPhaseNames[] = {{Phase::experimentation, kSeriesNames[0]},
                                                  {Phase::training, kSeriesNames[1]},
                                                  {Phase::inference, kSeriesNames[2]}};
constexpr std::span<const EnumName<Phase>> enum_names(Phase) {
  return kPhaseNames;
}

}  // namespace mlcycle
