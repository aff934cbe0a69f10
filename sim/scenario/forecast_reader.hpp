#pragma once
// Reader of the forecast keys (`forecast`, `forecast_lag`, `forecast_error`,
// `forecast_correlation`, `expected_length`) of a forecast-min shift or a lowest-forecast
// placement: each checked against the forecast kind it belongs to.
#include "scenario/forecast_keys.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

void read_forecast_keys(TomlTableReader& t, ForecastKeys& keys);

}  // namespace mlcycle
