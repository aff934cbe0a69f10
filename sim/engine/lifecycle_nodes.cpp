// The scheduler actor's node events: nodes failing and coming back (SimGrid state profiles),
// and the run's span checked against the output limits.
#include <algorithm>
#include <limits>
#include <simgrid/s4u/Host.hpp>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "core/limits.hpp"
#include "core/special_values.hpp"
#include "engine/lifecycle_runner.hpp"

namespace mlcycle {

namespace {}

// SimGrid turned a node off or on: the core decides what happens to its jobs, the meter
// follows the node's state.
void LifecycleRunner::on_node_event(const NodeEvent& event, double now_s) {
  if (event.up) {
    core_.on_node_up(event.host, now_s);
    meter_.set_host_state(event.host, HostPowerState::on);
    return;
  }
  core_.on_node_down(event.host, now_s);
  meter_.set_host_state(event.host, HostPowerState::down);
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
