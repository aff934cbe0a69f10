// The core's side of spatial shifting: a job placed away from its campaign's first cluster
// waits for its data (its GPUs held, not computing) before it computes.
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
  slot.state = JobState::staging;
  ++probes_pending_;
  effects_.start_staging(index, slot.start, placement->home(), placement->data_bytes());
}

void LifecycleCore::on_staging_done(std::uint64_t job_id, double staging_s, double now_s) {
  // A job a node failure dropped meanwhile finds no slot: nothing to begin.
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i] || slots_[i]->state != JobState::staging ||
        slots_[i]->start.request.job_id != job_id)
      continue;
    --probes_pending_;
    const std::uint32_t campaign = slots_[i]->start.request.campaign;
    ++staging_.jobs;
    staging_.bytes += placements_[campaign]->data_bytes();
    staging_.seconds += staging_s;
    begin_compute(i, now_s);
    return;
  }
}

}  // namespace mlcycle
