#pragma once
// The demand CSV of a serving deployment: columns `timestamp` (ISO-8601 UTC) and
// `requests_per_s` (>= 0), rows strictly increasing in time. A row's rate holds until the next
// row; the last row holds for the file's median row spacing (an hour when there is one row),
// which is where the data ends. Errors are InputErrors "file:line:col: column: what".
#include <string>

#include "scenario/serving_spec.hpp"

namespace mlcycle {

// Reads `path` into a DemandSeries (path, rows and end; `key` and `hold_edges` are left as given).
DemandSeries read_demand_csv(const std::string& path);

}  // namespace mlcycle
