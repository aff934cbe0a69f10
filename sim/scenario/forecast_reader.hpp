#pragma once
// Reader of the forecast keys (`forecast`, `forecast_lag`, `forecast_error`,
// `forecast_correlation`, `expected_length`) of a forecast-min shift or a lowest-forecast
// placement: each checked against the forecast kind it belongs to.
#include "scenario/forecast_keys.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

void read_forecast_keys(TomlTableReader& t, ForecastKeys& keys);
// `key` as a duration above 0 (`fallback` when absent).
double positive_duration(TomlTableReader& t, std::string_view key, double fallback);

}  // namespace mlcycle
