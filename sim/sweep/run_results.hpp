#pragma once
// The headline results of one run, as a sweep table row reports them.
#include <string>
#include <vector>

namespace mlcycle {

// Names of the headline columns, in table order; every value is a double (NaN when unknown).
const std::vector<std::string>& headline_names();

struct RunResults {
  std::vector<double> headline;  // in headline_names() order
};

enum class PointStatus { done, failed };

struct PointOutcome {
  PointStatus status = PointStatus::failed;
  double wall_time_s = 0;
  std::string error;  // the run's one-line error when it failed
  RunResults results;
};

}  // namespace mlcycle
