#include "scenario/forecast_reader.hpp"

#include <cmath>

namespace mlcycle {

double positive_duration(TomlTableReader& t, std::string_view key, double fallback) {
  const std::optional<double> value = t.duration_s(key);
  if (!value) return fallback;
  if (*value <= 0) throw t.error_at(key, "must be a positive duration");
  return *value;
}

void read_forecast_keys(TomlTableReader& t, ForecastKeys& keys) {
  if (auto quality = t.string("forecast")) {
    const std::optional<ForecastQuality> parsed = parse_enum<ForecastQuality>(*quality);
    if (!parsed) throw t.error_at("forecast", not_one_of<ForecastQuality>(*quality, true));
    keys.forecast = *parsed;
  }
  const bool persistence = keys.forecast == ForecastQuality::persistence;
  const bool noisy = keys.forecast == ForecastQuality::noisy;
  if (!persistence && t.has("forecast_lag"))
    throw t.error_at("forecast_lag", "applies to forecast = \"persistence\" only");
  for (const char* key : {"forecast_error", "forecast_correlation"})
    if (!noisy && t.has(key)) throw t.error_at(key, "applies to forecast = \"noisy\" only");
  keys.forecast_lag_s = positive_duration(t, "forecast_lag", keys.forecast_lag_s);
  if (noisy) {
    if (!t.has("forecast_error"))
      throw t.error_here("missing key 'forecast_error' (relative sd of the forecast, e.g. 0.1)");
    const double error = *t.number("forecast_error");
    if (!(error >= 0) || !std::isfinite(error))
      throw t.error_at("forecast_error", "must be a relative standard deviation of at least 0");
    keys.forecast_error = error;
    const std::optional<double> correlation = t.duration_s("forecast_correlation");
    if (correlation && *correlation < 0)
      throw t.error_at("forecast_correlation", "must be a duration of at least 0");
    keys.forecast_correlation_s = correlation.value_or(keys.forecast_correlation_s);
  }
  if (t.has("expected_length")) keys.expected_length_s = positive_duration(t, "expected_length", 0);
}

}  // namespace mlcycle
