#pragma once
// The policy block of `mlcycle run`'s summary: a run with carbon-aware policies against its
// counterfactual pass (policies off, same seed).
#include <ostream>

#include "accounting/policy_comparison.hpp"

namespace mlcycle {

void print_policy_comparison(std::ostream& out, const PolicyComparison& comparison);

}  // namespace mlcycle
