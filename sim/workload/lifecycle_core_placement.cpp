// The core's side of spatial shifting: a job placed away from its campaign's first cluster
// waits for its data (its GPUs held, not computing) before it computes.
#include <algorithm>

#include "workload/lifecycle_core.hpp"

namespace mlcycle {

void LifecycleCore::begin_job(std::uint32_t index, double now_s) {
  Slot& slot = *slots_[index];
  const std::uint32_t campaign = slot.start.request.campaign;
  const JobPlacement* placement = campaign < placements_.size() ? placements_[campaign] : nullptr;
  if (!placement || placement->data_bytes() <= 0 || slot.start.cluster == placement->home()) {
    begin_compute(index, now_s);
    return;
  }
  // The data sits on the first cluster's hosts: it leaves from the first one that is up. With
  // all of them down there is nowhere to read it from: the job computes on what it has.
  const GpuPool& home = scheduler_.pool(placement->home());
  const auto source = std::find_if(home.hosts().begin(), home.hosts().end(),
                                   [&](std::uint32_t host) { return !home.is_down(host); });
  if (source == home.hosts().end()) {
    begin_compute(index, now_s);
    return;
  }
  slot.state = JobState::staging;
  ++probes_pending_;
  effects_.start_staging(index, slot.start, *source, placement->data_bytes());
}

void LifecycleCore::on_staging_done(std::uint64_t job_id, double staging_s, bool complete,
                                    double now_s) {
  // A job a node failure dropped meanwhile finds no slot: nothing to begin.
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i] || slots_[i]->state != JobState::staging ||
        slots_[i]->start.request.job_id != job_id)
      continue;
    --probes_pending_;
    const std::uint32_t campaign = slots_[i]->start.request.campaign;
    // Data counts as moved once it has all arrived; the GPUs were held either way.
    if (complete) {
      ++staging_.jobs;
      staging_.bytes += placements_[campaign]->data_bytes();
    }
    staging_.seconds += staging_s;
    begin_compute(i, now_s);
    return;
  }
}

}  // namespace mlcycle
