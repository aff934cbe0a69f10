#include "engine/power_cap_setup.hpp"

#include <algorithm>
#include <sstream>

#include "accounting/gpu_power_cap.hpp"
#include "engine/platform_loader.hpp"

namespace mlcycle {

namespace {

std::string watts(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value << " W";
  return out.str();
}

// One host of a capped campaign's cluster: the cap must bind between idle and busy power.
void check_cap_on_host(const PowerCapSpec& cap, const HostPowerModel& host,
                       const PowerCapCurve& curve, const std::string& key,
                       const std::string& cluster) {
  const double busy_w = gpu_busy_board_w(host);
  const double idle_share_w = host.epsilon_w / host.cores;
  const std::string gpu = "cluster '" + cluster + "' (host " + host.name + ")";
  if (cap.limit_w && *cap.limit_w > busy_w)
    throw InputError(cap.where, key,
                     watts(*cap.limit_w) + " is above the busy power of a GPU of " + gpu + ", " +
                         watts(busy_w) +
                         " (AllCores / GPUs): a cap must be at most the busy power");
  const CappedGpu capped = capped_gpu(host, cap, curve);
  if (capped.board_w <= idle_share_w)
    throw InputError(cap.where, key,
                     "a cap of " + watts(capped.board_w) + " per GPU is not above the idle share " +
                         watts(idle_share_w) + " (Epsilon / GPUs) of a GPU of " + gpu);
  if (capped.fraction < curve.min_fraction()) {
    std::ostringstream message;
    message << "a cap of " << capped.fraction << " of the busy power (" << watts(capped.board_w)
            << " of " << watts(busy_w) << ") is below the lowest point of the power_cap_curve of "
            << gpu << ", " << curve.min_fraction();
    throw InputError(cap.where, key, message.str());
  }
}

}  // namespace

std::uint32_t intern_cap_curve(std::vector<PowerCapCurve>& curves, const char* raw,
                               const std::string& file, const std::string& host) {
  if (!raw) return 0;
  std::string error;
  std::optional<PowerCapCurve> curve = PowerCapCurve::parse(raw, error);
  if (!curve)
    throw InputError(SourceLocation{file, 0, 0}, "host " + host + ": power_cap_curve", error);
  const auto it = std::find(curves.begin(), curves.end(), *curve);
  if (it != curves.end()) return static_cast<std::uint32_t>(it - curves.begin());
  curves.push_back(std::move(*curve));
  return static_cast<std::uint32_t>(curves.size() - 1);
}

std::vector<std::optional<CampaignPowerCap>> resolve_power_caps(const Scenario& scenario,
                                                                const LoadedPlatform& platform) {
  std::vector<std::optional<CampaignPowerCap>> caps(scenario.campaigns.size());
  for (std::size_t c = 0; c < scenario.campaigns.size(); ++c) {
    const CampaignSpec& campaign = scenario.campaigns[c];
    if (!campaign.power_cap) continue;
    const std::string key = "campaign[" + std::to_string(c) + "].power_cap.limit";
    const std::uint32_t cluster = platform.campaign_clusters.at(c);
    CampaignPowerCap cap{*campaign.power_cap, 1};
    for (std::uint32_t host : platform.clusters.at(cluster).hosts) {
      const HostPowerModel& model = platform.hosts[host];
      const PowerCapCurve& curve = platform.cap_curves.at(model.cap_curve);
      check_cap_on_host(cap.spec, model, curve, key, platform.cluster_names[cluster]);
      cap.time_factor = std::max(cap.time_factor, capped_gpu(model, cap.spec, curve).time_factor);
    }
    caps[c] = cap;
  }
  return caps;
}

}  // namespace mlcycle
