#pragma once
// The headline results of one run, as a sweep table row reports them.
#include <string>
#include <vector>

namespace mlcycle {

// Names of the headline columns, in table order; every value is a double (NaN when unknown).
// They are /summary attributes of a run file, or derived from /summary/by_series.
const std::vector<std::string>& headline_names();

struct RunResults {
  std::vector<double> headline;  // in headline_names() order
};

}  // namespace mlcycle
