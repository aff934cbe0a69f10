#include "engine/power_cap_setup.hpp"

#include <algorithm>
#include <sstream>

#include "accounting/gpu_power_cap.hpp"
#include "engine/platform_loader.hpp"
#include "workload/replica_model.hpp"

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

double capped_replica_saving_w(const PowerCapSpec& cap, const ReplicaSpec& replica,
                               const HostPowerModel& host, const ReplicaPowerDefaults& defaults,
                               std::size_t index) {
  const double saving_w = replica.gpus * (gpu_busy_board_w(host) - capped_board_w(host, cap));
  const double idle_w = replica.idle_w.value_or(defaults.idle_w);
  const double busy_w = replica.busy_w.value_or(defaults.busy_w);
  if (busy_w - saving_w < idle_w) {
    std::ostringstream message;
    message << "the capped replica would draw " << busy_w - saving_w << " W at full load ("
            << busy_w << " W less " << saving_w << " W), less than its idle power " << idle_w
            << " W: raise the cap or give a lower idle_w";
    throw InputError(cap.where, "deployment[" + std::to_string(index) + "].power_cap.limit",
                     message.str());
  }
  return saving_w;
}

LlmGpuCap llm_gpu_cap(const PowerCapSpec& cap, const LlmServingSpec& llm,
                      const HostPowerModel& host, const PowerCapCurve& curve, std::size_t index) {
  const std::string key = "deployment[" + std::to_string(index) + "].power_cap.limit";
  if (llm.measured)
    throw InputError(cap.where, key,
                     "a measured table has no rows under a power cap: cap a replica derived "
                     "from the model (no `measured`), or measure capped rows");
  // The GPU's own watts, as the replica takes them (workload/replica_model.cpp).
  const double idle_w = llm.idle_w.value_or(host.epsilon_w / host.cores);
  const double busy_w = llm.busy_w.value_or(host.all_cores_w / host.cores);
  const double cap_w = cap.limit_w ? *cap.limit_w : *cap.fraction * busy_w;
  if (cap_w > busy_w)
    throw InputError(cap.where, key,
                     watts(cap_w) + " is above the busy power of a GPU of the replica, " +
                         watts(busy_w) + ": a cap must be at most the busy power");
  if (!(cap_w > idle_w))
    throw InputError(
        cap.where, key,
        "a cap of " + watts(cap_w) + " a GPU is not above its idle power, " + watts(idle_w));
  const double decode_w = idle_w + llm.replica.decode_power_fraction * (busy_w - idle_w);
  if (cap_w < decode_w)
    throw InputError(cap.where, key,
                     "a cap of " + watts(cap_w) + " a GPU is below a memory-bound decode step's " +
                         watts(decode_w) +
                         " (idle + decode_power_fraction x (busy - idle)): the model slows "
                         "compute under a cap, not memory reads");
  const double fraction = cap_w / busy_w;
  if (fraction < curve.min_fraction()) {
    std::ostringstream message;
    message << "a cap of " << fraction << " of the GPU's busy power (" << watts(cap_w) << " of "
            << watts(busy_w) << ") is below the lowest point of the power_cap_curve of host "
            << host.name << ", " << curve.min_fraction();
    throw InputError(cap.where, key, message.str());
  }
  return LlmGpuCap{cap_w, curve.time_factor(fraction)};
}

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

ResolvedPowerCaps resolve_power_caps(const Scenario& scenario, const LoadedPlatform& platform) {
  // The cap checked on every GPU of `cluster`; the slowest GPU's factor.
  auto resolve = [&](const PowerCapSpec& spec, std::uint32_t cluster, const std::string& key) {
    CampaignPowerCap cap{spec, 1};
    for (std::uint32_t host : platform.clusters.at(cluster).hosts) {
      const HostPowerModel& model = platform.hosts[host];
      const PowerCapCurve& curve = platform.cap_curves.at(model.cap_curve);
      check_cap_on_host(spec, model, curve, key, platform.cluster_names[cluster]);
      cap.time_factor = std::max(cap.time_factor, capped_gpu(model, spec, curve).time_factor);
    }
    return cap;
  };
  ResolvedPowerCaps caps;
  caps.campaigns.resize(scenario.campaigns.size());
  caps.deployments.resize(scenario.deployments.size());
  for (std::size_t c = 0; c < scenario.campaigns.size(); ++c)
    if (const auto& spec = scenario.campaigns[c].power_cap)
      caps.campaigns[c] = resolve(*spec, platform.campaign_clusters.at(c),
                                  "campaign[" + std::to_string(c) + "].power_cap.limit");
  for (std::size_t d = 0; d < scenario.deployments.size(); ++d) {
    const ServingSpec& serving = scenario.deployments[d].serving;
    if (!serving.power_cap) continue;
    const std::uint32_t cluster = platform.deployment_clusters.at(d);
    if (serving.replica.llm) {
      // Checked on every host a replica could land on; its start takes that host's factor.
      CampaignPowerCap cap{*serving.power_cap, 1};
      for (std::uint32_t host : platform.clusters.at(cluster).hosts) {
        const HostPowerModel& h = platform.hosts[host];
        cap.time_factor =
            std::max(cap.time_factor, llm_gpu_cap(*serving.power_cap, *serving.replica.llm, h,
                                                  platform.cap_curves.at(h.cap_curve), d)
                                          .time_factor);
      }
      caps.deployments[d] = cap;
      continue;
    }
    caps.deployments[d] = resolve(*serving.power_cap, cluster,
                                  "deployment[" + std::to_string(d) + "].power_cap.limit");
    // Checked on every host a replica could land on, as its start will (`run` and `check`).
    const double gpus = serving.replica.gpus;
    for (std::uint32_t host : platform.clusters.at(cluster).hosts) {
      const HostPowerModel& h = platform.hosts[host];
      capped_replica_saving_w(
          *serving.power_cap, serving.replica, h,
          ReplicaPowerDefaults{gpus * h.idle_gpu_it_power_w(), gpus * h.busy_gpu_it_power_w()}, d);
    }
  }
  return caps;
}

}  // namespace mlcycle
