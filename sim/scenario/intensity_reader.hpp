#pragma once
// A carbon intensity in a scenario (a policy's threshold): g/kWh as a number, or a string with
// its unit (g/kWh, kg/kWh, kg/MWh, lbs/MWh). Any other unit is a mistake worth naming: a
// threshold of 0.2 meant as kg/kWh would otherwise never be reached.
#include <string_view>

#include "scenario/toml_reader.hpp"

namespace mlcycle {

// The value of `key` in g/kWh, at least 0; an InputError at the key otherwise.
double read_intensity_g_per_kwh(TomlTableReader& t, std::string_view key);

}  // namespace mlcycle
