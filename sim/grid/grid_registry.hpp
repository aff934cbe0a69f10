#pragma once
// The scenario's grid regions, by index. Hosts name their region; the engine resolves the
// name once, and the accounting works with indices.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grid/intensity_signal.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

class GridRegistry {
 public:
  explicit GridRegistry(const std::vector<GridRegionSpec>& specs);
  // Regions with ready-made signals (tests, and data sources that build their own).
  GridRegistry(std::vector<std::string> names,
               std::vector<std::unique_ptr<IntensitySignal>> signals);

  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t region) const { return names_[region]; }
  const IntensitySignal& signal(std::size_t region) const { return *signals_[region]; }
  std::optional<std::size_t> find(const std::string& name) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<IntensitySignal>> signals_;
};

}  // namespace mlcycle
