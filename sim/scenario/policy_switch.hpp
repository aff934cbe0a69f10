#pragma once
// A scenario's carbon-aware policies switched off, for the counterfactual pass of a policy
// comparison: the same scenario and seed, so the same trials, lengths and draws.
#include <algorithm>

#include "scenario/scenario.hpp"

namespace mlcycle {

inline bool shifts_work(const Scenario& scenario) {
  return std::any_of(scenario.campaigns.begin(), scenario.campaigns.end(),
                     [](const CampaignSpec& c) { return c.shift.has_value(); });
}

inline Scenario without_policies(const Scenario& scenario) {
  Scenario baseline = scenario;
  for (CampaignSpec& campaign : baseline.campaigns) campaign.shift.reset();
  return baseline;
}

}  // namespace mlcycle
