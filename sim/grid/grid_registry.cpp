#include "grid/grid_registry.hpp"

namespace mlcycle {

GridRegistry::GridRegistry(const std::vector<GridRegionSpec>& specs) {
  for (const GridRegionSpec& spec : specs) {
    names_.push_back(spec.name);
    switch (spec.kind) {
      case GridKind::constant:
        signals_.push_back(std::make_unique<ConstantIntensity>(spec.intensity_g_per_kwh));
        break;
    }
  }
}

GridRegistry::GridRegistry(std::vector<std::string> names,
                           std::vector<std::unique_ptr<IntensitySignal>> signals)
    : names_(std::move(names)), signals_(std::move(signals)) {}

std::optional<std::size_t> GridRegistry::find(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return i;
  return std::nullopt;
}

}  // namespace mlcycle
