#pragma once
// Life-cycle emission factors per generation source (g CO2e/kWh), in named sets, and the
// mapping from the source names found in generation-mix files to those factors.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlcycle {

struct EmissionFactor {
  double g_per_kwh = 0;
  std::string citation;
};

// Names of the built-in sets: "ipcc-ar5-2014" (default) and "ipcc-srren-2011".
std::vector<std::string> emission_factor_set_names();
bool is_emission_factor_set(const std::string& name);

// The factor of `source` (a mix column without `_mw`, e.g. "hard_coal", "wind_offshore",
// "hydro_run_of_river") in `set`; nullopt when the set has no value for it. Pumped storage and
// imports are not generation sources and have no factor here (see mix_intensity.hpp).
std::optional<EmissionFactor> emission_factor(const std::string& set, const std::string& source);

}  // namespace mlcycle
