#pragma once
// What a carbon-aware policy believes the grid will do: the forecast keys shared by temporal
// shifting (`shift = { policy = "forecast-min", ... }`) and spatial placement (`placement =
// { policy = "lowest-forecast", ... }`), with the run length they plan for.
#include <cstdint>
#include <optional>
#include <span>

#include "core/enum_names.hpp"

namespace mlcycle {

// perfect: the signal itself; persistence: the signal one lag earlier; noisy: the signal
// times a seeded, hour-correlated error.
enum class ForecastQuality : std::uint8_t { perfect, persistence, noisy };
inline constexpr EnumName<ForecastQuality> kForecastQualityNames[] = {
    {ForecastQuality::perfect, "perfect"},
    {ForecastQuality::persistence, "persistence"},
    {ForecastQuality::noisy, "noisy"}};
constexpr std::span<const EnumName<ForecastQuality>> enum_names(ForecastQuality) {
  return kForecastQualityNames;
}

struct ForecastKeys {
  ForecastQuality forecast = ForecastQuality::perfect;
  double forecast_lag_s = 86400;               // persistence: same time yesterday
  double forecast_error = 0;                   // noisy: relative sd of the multiplicative error
  double forecast_correlation_s = 6 * 3600.0;  // noisy: correlation time of the error
  // The run length planned for (default: the campaign's expected trial length; a job's true
  // length is not known to a real scheduler).
  std::optional<double> expected_length_s;
};

}  // namespace mlcycle
