#pragma once
// The scenario's grid regions, by index: each region's intensity over simulation time (and an
// optional marginal intensity), built from its [grid.<region>] table. Hosts name their region;
// the engine resolves the name once, and the accounting works with indices.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grid/step_signal.hpp"
#include "grid/step_timeline.hpp"
#include "grid/time_series.hpp"
#include "scenario/grid_spec.hpp"

namespace mlcycle {

// How a region's signal was made, for the trace's /grid group.
struct GridRegionInfo {
  std::string kind;    // constant, trace, mix, synthetic
  std::string source;  // file path, synthetic model name, or "scenario" for a constant
  std::vector<std::string> mix_sources;  // mix and synthetic: generation columns
  // Generation (MW per mix source) behind the step whose origin is `row`; empty when the step
  // has no data row (a constant, a linearly filled gap).
  std::function<std::vector<double>(std::int64_t row)> generation_mw;
};

class GridRegistry {
 public:
  // Reads every data file of the scenario's regions; throws InputError on bad data. The start
  // places the signals on the simulation's clock; the seed drives synthetic grids.
  GridRegistry(const std::vector<GridRegionSpec>& grids, std::int64_t start_unix_s,
               std::uint64_t seed);
  // Regions with ready-made signals (tests).
  GridRegistry(std::vector<std::string> names, std::vector<std::unique_ptr<StepSignal>> signals);
  ~GridRegistry();

  std::size_t size() const { return regions_.size(); }
  const std::string& name(std::size_t region) const { return regions_[region].name; }
  const StepSignal& signal(std::size_t region) const { return *regions_[region].signal; }
  std::shared_ptr<const StepSignal> shared_signal(std::size_t region) const {
    return regions_[region].signal;
  }
  // The timeline behind a region (nullptr for constant and hand-made signals).
  std::shared_ptr<const StepTimeline> timeline(std::size_t region) const {
    return regions_[region].timeline;
  }
  const StepSignal* marginal(std::size_t region) const { return regions_[region].marginal.get(); }
  const GridRegionInfo& info(std::size_t region) const { return regions_[region].info; }
  std::optional<std::size_t> find(const std::string& name) const;

 private:
  struct Region {
    std::string name;
    std::shared_ptr<const StepSignal> signal;
    std::shared_ptr<const StepTimeline> timeline;
    std::shared_ptr<const StepSignal> marginal;
    GridRegionInfo info;
  };
  std::vector<Region> regions_;
};

}  // namespace mlcycle
