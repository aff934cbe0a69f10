#pragma once
// A scenario's carbon- and power-aware policies switched off, for the counterfactual pass of a
// policy comparison: the same scenario and seed, so the same trials, lengths and draws.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace mlcycle {

// A campaign placed by the grid (round-robin is the baseline, blind to it).
inline bool places_by_grid(const CampaignSpec& campaign) {
  return campaign.placement && campaign.placement->policy != PlacementPolicy::round_robin;
}

// A campaign under a policy: it shifts its jobs in time or space, or caps their GPUs' power.
inline bool under_policy(const CampaignSpec& campaign) {
  return campaign.shift.has_value() || campaign.power_cap.has_value() || places_by_grid(campaign);
}

// A serving deployment routed by the grid (nearest is the baseline, blind to it).
inline bool routes_by_grid(const DeploymentSpec& deployment) {
  return deployment.kind == DeploymentKind::serving && deployment.serving.routing &&
         deployment.serving.routing->policy != RoutingPolicy::nearest;
}

// A serving deployment under a policy: power-capped, or routed by the grid.
inline bool under_policy(const DeploymentSpec& deployment) {
  return (deployment.kind == DeploymentKind::serving && deployment.serving.power_cap.has_value()) ||
         routes_by_grid(deployment);
}

inline bool has_policies(const Scenario& scenario) {
  return !scenario.cluster_power_caps.empty() ||
         std::any_of(scenario.campaigns.begin(), scenario.campaigns.end(),
                     [](const CampaignSpec& c) { return under_policy(c); }) ||
         std::any_of(scenario.deployments.begin(), scenario.deployments.end(),
                     [](const DeploymentSpec& d) { return under_policy(d); });
}

// The scenario with each `[power_cap.<cluster>]` given to the campaigns and serving
// deployments on that cluster without a cap of their own (`campaign_clusters` and
// `deployment_clusters` index `cluster_names`, as the platform resolved them). A cluster the
// platform does not have is an InputError at its table.
Scenario with_cluster_caps(const Scenario& scenario, const std::vector<std::string>& cluster_names,
                           const std::vector<std::uint32_t>& campaign_clusters,
                           const std::vector<std::uint32_t>& deployment_clusters);

inline Scenario without_policies(const Scenario& scenario) {
  Scenario baseline = scenario;
  for (CampaignSpec& campaign : baseline.campaigns) {
    campaign.shift.reset();
    campaign.power_cap.reset();
    if (campaign.placement) campaign.placement->policy = PlacementPolicy::round_robin;
  }
  for (DeploymentSpec& deployment : baseline.deployments) {
    deployment.serving.power_cap.reset();
    if (deployment.serving.routing) deployment.serving.routing->policy = RoutingPolicy::nearest;
  }
  baseline.cluster_power_caps.clear();
  return baseline;
}

}  // namespace mlcycle
