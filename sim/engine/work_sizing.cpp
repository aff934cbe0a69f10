#include "engine/work_sizing.hpp"

#include <cmath>

#include "core/limits.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

const AcceleratorSpec& accelerator_of(const Scenario& scenario, const LoadedPlatform& platform,
                                      std::uint32_t cluster, const SourceLocation& where,
                                      const std::string& key) {
  const std::string& id = platform.cluster_accelerators.at(cluster);
  const std::string& name = platform.cluster_names.at(cluster);
  if (id.empty())
    throw InputError(where, key,
                     "cluster '" + name +
                         "' names no accelerator: add <prop id=\"accelerator\" value=\"...\"/> "
                         "(a catalog id) to it, or generate it with [[cluster]]");
  const AcceleratorSpec* spec = scenario.catalog.accelerator(id);
  if (!spec)
    throw InputError(where, key,
                     "cluster '" + name + "' has accelerator '" + id +
                         "', not in the catalog (known: " + scenario.catalog.accelerator_ids() +
                         ")");
  return *spec;
}

}  // namespace

Scenario with_work_lengths(const Scenario& scenario, const LoadedPlatform& platform,
                           std::vector<WorkRate>& rates) {
  Scenario sized = scenario;
  rates.assign(scenario.campaigns.size(), WorkRate{});
  for (std::size_t c = 0; c < scenario.campaigns.size(); ++c) {
    CampaignSpec& campaign = sized.campaigns[c];
    if (!campaign.work) continue;
    const std::string key = "campaign[" + std::to_string(c) + "].work";
    std::vector<std::uint32_t> clusters = platform.campaign_cluster_lists.at(c);
    if (clusters.empty()) clusters = {platform.campaign_clusters.at(c)};
    const AcceleratorSpec& gpu =
        accelerator_of(scenario, platform, clusters[0], campaign.work->where, key);
    for (std::uint32_t cluster : clusters)
      if (&accelerator_of(scenario, platform, cluster, campaign.work->where, key) != &gpu)
        throw InputError(campaign.work->where, key,
                         "its clusters hold different accelerators: a trial's length would "
                         "depend on where it runs");
    WorkRate& rate = rates[c];
    rate.peak_flops = gpu.training_peak_flops();
    rate.mfu = campaign.work->mfu.value_or(gpu.mfu);
    const double flops = campaign.work->total_flops();
    const double seconds =
        compute_seconds(flops, campaign.gpus_per_trial, rate.peak_flops, rate.mfu);
    if (!std::isfinite(flops) || !std::isfinite(seconds) || seconds > limits::kMaxDuration_s)
      throw InputError(campaign.work->where, key,
                       "a trial would compute for more than " +
                           std::string(limits::kMaxDurationText) + " on " +
                           std::to_string(campaign.gpus_per_trial) + " GPUs of '" + gpu.id + "'");
    campaign.length = TrialLengthSpec{};
    campaign.length.distribution = LengthDistribution::fixed;
    campaign.length.hours = seconds / units::kSecondsPerHour;
  }
  return sized;
}

Scenario with_replay_speeds(const Scenario& scenario, const LoadedPlatform& platform) {
  Scenario sped = scenario;
  for (std::size_t c = 0; c < sped.campaigns.size(); ++c) {
    CampaignSpec& campaign = sped.campaigns[c];
    if (!campaign.replay || !campaign.replay->speed_from_catalog) continue;
    ReplaySpec& replay = *campaign.replay;
    const std::string key = "replay." + campaign.name + ".speed";
    const AcceleratorSpec& simulated = accelerator_of(
        scenario, platform, platform.campaign_clusters.at(c), replay.speed_where, key);
    for (auto& [type, speed] : replay.speed_of_type) {
      const auto mapped = replay.gpu_types.find(type);
      const std::string& id = mapped == replay.gpu_types.end() ? type : mapped->second;
      const AcceleratorSpec* logged = scenario.catalog.accelerator(id);
      if (!logged)
        throw InputError(
            replay.speed_where, key,
            type.empty() ? std::string("a job names no GPU type: give 'logged_gpu' (a catalog id)")
            : id != type
                ? "gpu_types maps " + in_quotes(type) + " to " + in_quotes(id) +
                      ", not in the catalog (known: " + scenario.catalog.accelerator_ids() + ")"
                : "logged GPU type " + in_quotes(type) +
                      " is not in the catalog: map it with gpu_types = { " + type +
                      " = \"ID\" } (known: " + scenario.catalog.accelerator_ids() + ")");
      speed = simulated.training_peak_flops() / logged->training_peak_flops();
    }
  }
  return sped;
}

}  // namespace mlcycle
