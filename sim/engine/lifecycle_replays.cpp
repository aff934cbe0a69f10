// The runner's part in replays: the arrivals the clock does not stop for are counted in the
// queue lengths.
#include "engine/lifecycle_runner.hpp"

#include <algorithm>

#include "core/special_values.hpp"

namespace mlcycle {

// The clock may skip a replay's quiet arrivals only where nothing else acts on every stop:
// deployments advance their load at each; a shifting campaign's release policy and a placed
// run's placement look at the grid's intensity now, which changes without an event; and an
// actor's sleeps are SimGrid's to keep. count_quiet_arrivals() gives the queue lengths their
// instants.
void LifecycleRunner::allow_quiet_arrivals() {
  const auto grid_dependent = [](const CampaignSpec& c) { return c.shift || c.placement; };
  if (drives_clock_ && has_replays_ && scenario_.deployments.empty() &&
      std::none_of(scenario_.campaigns.begin(), scenario_.campaigns.end(), grid_dependent))
    core_.scheduler().allow_quiet_arrivals();
}

// The replays' quiet arrivals before `until_s`, in time order: each changes its cluster's queue
// length at its own instant, exactly as a clock stop there would have recorded it.
void LifecycleRunner::count_quiet_arrivals(double until_s) {
  if (!has_replays_) return;
  JobScheduler& scheduler = core_.scheduler();
  while (true) {
    double first_s = kNever;
    std::uint32_t first = 0;
    for (std::uint32_t s = 0; s < scheduler.sources(); ++s) {
      const double at_s = scheduler.source(s).next_quiet_arrival_s();
      if (at_s < first_s) {
        first_s = at_s;
        first = s;
      }
    }
    if (!(first_s < until_s)) return;
    meter_.advance_to(first_s);
    const std::uint32_t cluster = scheduler.cluster_of_source(first);
    meter_.set_queue_length(cluster, scheduler.waiting(cluster, first_s));
  }
}

}  // namespace mlcycle
