#pragma once
// Embedded grids that need no data file: generation-mix models (capacities, diurnal and seasonal
// shapes, seeded noise) whose output goes through the same mix -> intensity code as a mix CSV.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mlcycle {

class SyntheticGrid {
 public:
  virtual ~SyntheticGrid() = default;

  // nullptr when `name` is not a built-in grid.
  static std::unique_ptr<SyntheticGrid> make(const std::string& name, std::uint64_t seed);
  static std::vector<std::string> names();

  // Source names as in mix CSVs ("gas", "solar", "wind_onshore", ...): they take the factors of
  // the scenario's factor set.
  virtual const std::vector<std::string>& sources() const = 0;
  // Factors (g CO2e/kWh) for sources of this model that no factor set has (e.g. a grid-average
  // pseudo-source); the scenario can still override them.
  virtual std::vector<std::pair<std::string, double>> own_factors_g_per_kwh() const { return {}; }
  virtual double step_s() const = 0;  // resolution of the generated rows (3600)
  // Appends one row per step whose start lies in [from_unix_s, to_unix_s): the step starts at
  // multiples of step_s() since the epoch. Calls must cover contiguous, increasing ranges (the
  // seeded noise is a sequence); the rows depend only on the seed and the first call's start.
  virtual void generate(double from_unix_s, double to_unix_s, std::vector<double>& time_unix_s,
                        std::vector<double>& mw) = 0;
};

}  // namespace mlcycle
