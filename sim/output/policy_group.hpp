#pragma once
// The trace's /policy group: a run with carbon-aware policies against its counterfactual pass
// (same scenario and seed, policies off). Absent from runs without policies. Schema in
// docs/hdf5-schema.md.
#include <hdf5.h>

#include <optional>

#include "accounting/policy_comparison.hpp"

namespace mlcycle {

void write_policy_group(hid_t root, const PolicyComparison& comparison);

// The group read back (`mlcycle info`); none when the file has no /policy. Throws
// std::runtime_error naming the attribute when one is missing.
std::optional<PolicyComparison> read_policy_group(hid_t root);

}  // namespace mlcycle
