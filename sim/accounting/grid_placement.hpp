#pragma once
// The grid-aware placements of spatial shifting (`placement = { policy = "lowest-now" |
// "lowest-forecast" }`): each job goes to the cluster whose site would emit least for it,
// among the clusters with room for it now (if none has room, among all: it queues there).
// Ties go to the first listed cluster. Equations: docs/carbon-aware.md.
#include <cmath>
#include <memory>
#include <vector>

#include "grid/step_signal.hpp"
#include "scenario/scenario.hpp"
#include "workload/job_placement.hpp"

namespace mlcycle {

class GridPlacement final : public JobPlacement {
 public:
  // `carbon[i]`: the CO2e rate per IT watt (PUE x intensity, or its forecast) of cluster i's
  // site. `planned_length_s` > 0: lowest-forecast over [now, now + length]; NaN: over the
  // job's own work (a search trial's budget); 0: lowest-now, the rate at `now`.
  GridPlacement(std::vector<std::uint32_t> clusters, double data_bytes,
                std::vector<std::shared_ptr<const StepSignal>> carbon, double planned_length_s);
  std::size_t choose(const JobRequest& job, double now_s,
                     const std::vector<bool>& has_room) override;
  // What the placement compares for `job` on cluster i at `now_s` (g/kWh, or g/kWh x s).
  double score(std::size_t i, const JobRequest& job, double now_s) const;

 private:
  std::vector<std::shared_ptr<const StepSignal>> carbon_;
  double planned_length_s_;
};

// The placement of `campaign` (which lists several clusters) over `clusters`, whose sites
// have CO2e rates `carbon` (PUE x intensity); `seed` drives a noisy forecast.
std::unique_ptr<JobPlacement> make_placement(const CampaignSpec& campaign,
                                             std::vector<std::uint32_t> clusters,
                                             std::vector<std::shared_ptr<const StepSignal>> carbon,
                                             std::uint64_t seed);

}  // namespace mlcycle
