// The core's node decisions: idle nodes switched off, nodes failing and coming back, and the
// jobs a failure cuts or sends back to their queue.
#include <algorithm>

#include "workload/lifecycle_core.hpp"

namespace mlcycle {

// A job that never started computing (booting, staging, probing) when its node failed: it goes back
// to the head of its campaign at the same attempt (nothing was computed, no retry is used).
void LifecycleCore::drop_unstarted(std::uint32_t index, double now_s) {
  Slot& slot = *slots_[index];
  if (slot.state == JobState::probing || slot.state == JobState::staging) --probes_pending_;
  scheduler_.source(slot.start.request.source).requeue(slot.start.request);
  scheduler_.finish(slot.start);
  for (const HostShare& share : slot.start.allocation) arm_power_off(share.host, now_s);
  slots_[index].reset();
  free_slots_.push_back(index);
}

void LifecycleCore::arm_all_power_offs() {
  for (std::uint32_t host = 0; host < hosts_.size(); ++host) arm_power_off(host, 0);
}

// The token makes a countdown stale once work takes the node: only the latest one may apply.
void LifecycleCore::arm_power_off(std::uint32_t host, double now_s) {
  if (!scenario_.scheduler.idle_off_s) return;
  const GpuPool& pool = pool_of(host);
  if (!pool.fully_free(host) || pool.is_off(host) || pool.is_down(host)) return;
  push(now_s + *scenario_.scheduler.idle_off_s, EventKind::power_off, sequence_++, host,
       ++host_idle_token_[host]);
}

// Due power-offs are applied after the instant's dispatch, so that `power_off_after = 0` means
// "off as soon as idle for a positive time": a node that a job takes at the same instant (at
// t = 0, or the moment another job frees it) stays on and needs no boot.
void LifecycleCore::power_off_idle_nodes() {
  for (const Event& event : due_power_offs_) {
    const std::uint32_t host = event.target;
    GpuPool& pool = pool_of(host);
    if (event.generation != host_idle_token_[host] || !pool.fully_free(host) || pool.is_off(host) ||
        pool.is_down(host))
      continue;
    pool.power_off(host);
    effects_.host_off(host);
  }
  due_power_offs_.clear();
}

void LifecycleCore::on_node_up(std::uint32_t host, double now_s) {
  pool_of(host).node_up(host);
  arm_power_off(host, now_s);
}

void LifecycleCore::on_node_down(std::uint32_t host, double now_s) {
  pool_of(host).node_down(host);
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) continue;
    const Allocation& allocation = slots_[i]->start.allocation;
    if (std::none_of(allocation.begin(), allocation.end(),
                     [&](const HostShare& s) { return s.host == host; }))
      continue;
    if (slots_[i]->state == JobState::running) {
      // A job due to end at this very instant completes (its end event follows).
      if (slots_[i]->launch_s + slots_[i]->start.request.duration_s <= now_s) continue;
      end_job(i, StopReason::node_failure, now_s);
    } else
      drop_unstarted(i, now_s);
  }
}

}  // namespace mlcycle
