#include "accounting/grid_placement.hpp"

#include <limits>
#include <stdexcept>

#include "accounting/shift_policies.hpp"
#include "core/seed_stream.hpp"

namespace mlcycle {

GridPlacement::GridPlacement(std::vector<std::uint32_t> clusters, double data_bytes,
                             std::vector<std::shared_ptr<const StepSignal>> carbon,
                             double planned_length_s)
    : JobPlacement(std::move(clusters), data_bytes),
      carbon_(std::move(carbon)),
      planned_length_s_(planned_length_s) {
  if (carbon_.size() != this->clusters().size())
    throw std::logic_error("GridPlacement: one CO2e rate per cluster");
}

double GridPlacement::score(std::size_t i, const JobRequest& job, double now_s) const {
  if (planned_length_s_ == 0) return carbon_[i]->value_at(now_s);
  const double length_s = std::isnan(planned_length_s_) ? job.work_s : planned_length_s_;
  return carbon_[i]->integral(now_s, now_s + length_s);
}

std::size_t GridPlacement::choose(const JobRequest& job, double now_s,
                                  const std::vector<bool>& has_room) {
  bool any_room = false;
  for (bool room : has_room) any_room = any_room || room;
  std::size_t best = 0;
  double best_score = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < carbon_.size(); ++i) {
    if (any_room && !has_room[i]) continue;
    const double s = score(i, job, now_s);
    if (s < best_score) {  // strict: ties keep the first listed
      best = i;
      best_score = s;
    }
  }
  return best;
}

std::unique_ptr<JobPlacement> make_placement(const CampaignSpec& campaign,
                                             std::vector<std::uint32_t> clusters,
                                             std::vector<std::shared_ptr<const StepSignal>> carbon,
                                             std::uint64_t seed) {
  if (!campaign.placement) throw std::logic_error("make_placement: the campaign is not placed");
  const PlacementSpec& spec = *campaign.placement;
  const double data_bytes = spec.data_gb * 1e9;
  switch (spec.policy) {
    case PlacementPolicy::round_robin:
      return std::make_unique<RoundRobinPlacement>(std::move(clusters), data_bytes);
    case PlacementPolicy::lowest_now:
      return std::make_unique<GridPlacement>(std::move(clusters), data_bytes, std::move(carbon),
                                             0.0);
    case PlacementPolicy::lowest_forecast:
      break;
  }
  // Each site's forecast errs on its own: one noise stream per listed cluster.
  for (std::size_t i = 0; i < carbon.size(); ++i)
    carbon[i] =
        make_forecast(std::move(carbon[i]), forecast_spec_of(spec), mix_seed(seed ^ (i + 1)));
  // A search trial's budget is known when it is handed out; an independent trial's drawn
  // length is not (a real scheduler sees the request): it plans with the expected length.
  const double length_s = campaign.search && !spec.expected_length_s
                              ? std::numeric_limits<double>::quiet_NaN()
                              : planned_length_s(campaign);
  return std::make_unique<GridPlacement>(std::move(clusters), data_bytes, std::move(carbon),
                                         length_s);
}

}  // namespace mlcycle
