#pragma once
// `mlcycle check SWEEP.toml`: a sweep file is checked as the sweep would run it, its base
// scenario and then every point, before hours of runs are spent on it. Each point is checked by
// an `mlcycle check` child with the point's settings, so each platform load has its own SimGrid
// engine.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlcycle {

struct SweepCheckReport {
  std::size_t points = 0;
  std::uint32_t replicates = 1;
  std::string scenario_path;
};

// The first failing point is an InputError naming the point and its settings.
SweepCheckReport check_sweep(const std::string& sweep_path,
                             const std::vector<std::string>& overrides);

}  // namespace mlcycle
