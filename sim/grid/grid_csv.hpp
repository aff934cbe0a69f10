#pragma once
// Readers of grid CSV files: intensity traces in our plain format and in the layouts of the
// usual public exports, and generation mixes (`<source>_mw` columns). Columns are chosen by
// name, never by position. Bad data is an InputError naming the file, the line and the column.
#include <optional>
#include <string>

#include "grid/time_series.hpp"

namespace mlcycle {

struct TraceColumns {
  std::string time_column = "timestamp";
  std::string value_column = "carbon_intensity_g_per_kwh";
  double to_g_per_kwh = 1.0;           // multiplies every value (lbs/MWh -> g/kWh: 0.45359237)
  std::string quantity = "intensity";  // what the values are, in messages
};

// Presets: "plain" (timestamp, carbon_intensity_g_per_kwh), "electricitymaps" ("Datetime (UTC)",
// "Carbon Intensity gCO2eq/kWh (LCA)"), "watttime" (point_time, value in lbs/MWh).
std::optional<TraceColumns> trace_format(const std::string& name);

IntensitySeries read_intensity_csv(const std::string& path, const TraceColumns& columns);
GenerationMix read_generation_mix_csv(const std::string& path,
                                      const std::string& time_column = "timestamp");

}  // namespace mlcycle
