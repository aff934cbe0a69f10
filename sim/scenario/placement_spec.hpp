#pragma once
// Spatial shifting (`clusters = [...]` and `placement = {...}` of a [[campaign]]): each job of
// the campaign is placed on one of several clusters, possibly in different grid regions, when
// it becomes the campaign's next job. See docs/carbon-aware.md for the rules.
#include <cstdint>
#include <span>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"
#include "scenario/forecast_keys.hpp"

namespace mlcycle {

// round-robin: the k-th job placed goes to cluster k mod n (the baseline, blind to the grid);
// lowest-now: the cluster of lowest PUE x intensity at the time of placement; lowest-forecast:
// the cluster of lowest forecast CO2e over the job's expected run.
enum class PlacementPolicy : std::uint8_t { round_robin, lowest_now, lowest_forecast };
inline constexpr EnumName<PlacementPolicy> kPlacementPolicyNames[] = {
    {PlacementPolicy::round_robin, "round-robin"},
    {PlacementPolicy::lowest_now, "lowest-now"},
    {PlacementPolicy::lowest_forecast, "lowest-forecast"}};
constexpr std::span<const EnumName<PlacementPolicy>> enum_names(PlacementPolicy) {
  return kPlacementPolicyNames;
}

struct PlacementSpec : ForecastKeys {  // forecast keys: lowest-forecast only
  PlacementPolicy policy = PlacementPolicy::round_robin;
  // Data each job placed away from the campaign's first cluster (where its data lives) moves
  // there before it runs, over the platform's route, holding its GPUs meanwhile.
  double data_gb = 0;
  SourceLocation where;
};

}  // namespace mlcycle
