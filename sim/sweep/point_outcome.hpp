#pragma once
// How one run of a sweep ended: done with its headline results, or failed with its error.
#include <string>

#include "accounting/run_results.hpp"

namespace mlcycle {

enum class PointStatus { done, failed };

struct PointOutcome {
  PointStatus status = PointStatus::failed;
  double wall_time_s = 0;
  std::string error;  // the run's one-line error when it failed
  RunResults results;
};

}  // namespace mlcycle
