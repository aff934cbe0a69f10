// The scheduler actor's node events: idle nodes switched off, nodes failing and coming back
// (SimGrid state profiles), and the jobs a failure cuts or sends back to their queue.
#include <algorithm>
#include <limits>
#include <simgrid/s4u/Host.hpp>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "core/limits.hpp"
#include "engine/lifecycle_runner.hpp"

namespace mlcycle {

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

// A job that never started computing (booting, probing) when its node failed: it goes back to
// the head of its campaign at the same attempt (nothing was computed, no retry is used).
void LifecycleRunner::drop_unstarted(std::uint32_t index, double now_s) {
  Slot& slot = *slots_[index];
  if (slot.state == JobState::probing) --probes_pending_;
  scheduler_.source(slot.start.request.source).requeue(slot.start.request);
  scheduler_.finish(slot.start);
  for (const HostShare& share : slot.start.allocation) arm_power_off(share.host, now_s);
  slots_[index].reset();
  free_slots_.push_back(index);
}

void LifecycleRunner::arm_power_off(std::uint32_t host, double now_s) {
  if (!scenario_.scheduler.idle_off_s) return;
  const GpuPool& pool = scheduler_.pool(platform_.hosts[host].cluster);
  if (!pool.fully_free(host) || pool.is_off(host) || pool.is_down(host)) return;
  push(now_s + *scenario_.scheduler.idle_off_s, EventKind::power_off, sequence_++, host,
       ++host_idle_token_[host]);
}

// Due power-offs are applied after the instant's dispatch, so that `power_off_after = 0` means
// "off as soon as idle for a positive time": a node that a job takes at the same instant (at
// t = 0, or the moment another job frees it) stays on and needs no boot.
void LifecycleRunner::power_off_idle_nodes() {
  for (const Event& event : due_power_offs_) {
    const std::uint32_t host = event.target;
    GpuPool& pool = scheduler_.pool(platform_.hosts[host].cluster);
    if (event.generation != host_idle_token_[host] || !pool.fully_free(host) || pool.is_off(host) ||
        pool.is_down(host))
      continue;
    pool.power_off(host);
    meter_.set_host_state(host, HostPowerState::off);
  }
  due_power_offs_.clear();
}

void LifecycleRunner::on_node_event(const NodeEvent& event, double now_s) {
  const std::uint32_t host = event.host;
  GpuPool& pool = scheduler_.pool(platform_.hosts[host].cluster);
  if (event.up) {
    pool.node_up(host);
    meter_.set_host_state(host, HostPowerState::on);
    arm_power_off(host, now_s);
    return;
  }
  pool.node_down(host);
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
  meter_.set_host_state(host, HostPowerState::down);
}

// A run without a horizon ends with its work; work that would carry it past the trace-bin or
// duration limit (a stage every 900 years, a 1e-300 ms trace step) is refused, not simulated.
void LifecycleRunner::check_run_span(double next_s) const {
  const double limit_s = limits::max_run_span_s(scenario_.output.trace_step_s);
  if (next_s == kNever || next_s <= limit_s) return;
  throw InputError(SourceLocation{scenario_.source_path, 0, 0}, "simulation",
                   "the run would go on past " + format_duration(limit_s) +
                       " of simulated time (at most 10^8 trace bins of output.trace_step and "
                       "at most 1000 years): set a horizon or a longer output.trace_step");
}

double LifecycleRunner::next_node_up_s(double now_s) const {
  double next = kNever;
  if (platform_.profiles.failing_hosts.empty()) return next;  // no host is ever down
  for (std::uint32_t host = 0; host < platform_.hosts.size(); ++host)
    if (meter_.host_state(host) == HostPowerState::down)
      next = std::min(next, platform_.profiles.next_up_s(platform_.hosts[host].name, now_s));
  return next;
}

}  // namespace mlcycle
