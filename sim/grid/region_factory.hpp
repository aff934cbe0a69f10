#pragma once
// Turns one [grid.<region>] table and its data into signals over simulation time.
#include <cstdint>
#include <memory>
#include <optional>

#include "grid/grid_csv.hpp"
#include "grid/grid_registry.hpp"

namespace mlcycle {

// What a region's data files gave, in absolute UTC time (before coverage rules).
struct RegionData {
  std::optional<double> constant_g_per_kwh;
  std::optional<IntensitySeries> series;     // trace, or a mix turned into intensity
  std::shared_ptr<const GenerationMix> mix;  // mix only
};

struct BuiltRegion {
  std::shared_ptr<const StepSignal> signal;
  std::shared_ptr<const StepTimeline> timeline;  // nullptr for a constant
  std::shared_ptr<const StepSignal> marginal;
  GridRegionInfo info;
};

// The trace columns of a region: its format preset, then its explicit keys.
TraceColumns trace_columns_of(const GridRegionSpec& spec);

BuiltRegion make_region(const GridRegionSpec& spec, RegionData data, std::int64_t start_unix_s,
                        std::uint64_t seed);

}  // namespace mlcycle
