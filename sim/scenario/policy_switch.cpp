#include "scenario/policy_switch.hpp"

namespace mlcycle {

Scenario with_cluster_caps(const Scenario& scenario, const std::vector<std::string>& cluster_names,
                           const std::vector<std::uint32_t>& campaign_clusters,
                           const std::vector<std::uint32_t>& deployment_clusters) {
  Scenario capped = scenario;
  for (const ClusterPowerCap& cluster_cap : scenario.cluster_power_caps) {
    const auto found = std::find(cluster_names.begin(), cluster_names.end(), cluster_cap.cluster);
    if (found == cluster_names.end()) {
      std::string known;
      for (const std::string& name : cluster_names) known += (known.empty() ? "" : ", ") + name;
      throw InputError(
          cluster_cap.where, "power_cap." + cluster_cap.cluster,
          "unknown cluster '" + cluster_cap.cluster + "' (the platform has: " + known + ")");
    }
    const auto cluster = static_cast<std::uint32_t>(found - cluster_names.begin());
    for (std::size_t c = 0; c < capped.campaigns.size(); ++c) {
      CampaignSpec& campaign = capped.campaigns[c];
      if (campaign.power_cap) continue;
      const bool listed = std::find(campaign.clusters.begin(), campaign.clusters.end(),
                                    cluster_cap.cluster) != campaign.clusters.end();
      if (listed)
        throw InputError(cluster_cap.where, "power_cap." + cluster_cap.cluster,
                         "campaign '" + campaign.name +
                             "' places its jobs over several clusters and cannot be capped (a "
                             "cap's run-time factor depends on the cluster a job lands on)");
      if (campaign_clusters.at(c) != cluster) continue;
      if (cluster_cap.cap.policy == CapPolicy::carbon_cap && campaign.shift &&
          campaign.shift->policy == ShiftPolicy::suspend_resume)
        throw InputError(cluster_cap.where, "power_cap." + cluster_cap.cluster,
                         "carbon-cap and the suspend-resume shift of campaign '" + campaign.name +
                             "' both act while the grid is dirty: use one");
      campaign.power_cap = cluster_cap.cap;
    }
    for (std::size_t d = 0; d < capped.deployments.size(); ++d) {
      DeploymentSpec& deployment = capped.deployments[d];
      if (!deployment.serving.power_cap &&
          std::find(deployment.clusters.begin(), deployment.clusters.end(), cluster_cap.cluster) !=
              deployment.clusters.end())
        throw InputError(cluster_cap.where, "power_cap." + cluster_cap.cluster,
                         "deployment '" + deployment.name +
                             "' serves from several clusters and cannot be capped (a cap's "
                             "factors depend on each cluster's GPUs)");
      if (deployment.kind == DeploymentKind::serving && !deployment.serving.power_cap &&
          deployment_clusters.at(d) == cluster)
        deployment.serving.power_cap = cluster_cap.cap;
    }
  }
  return capped;
}

}  // namespace mlcycle
