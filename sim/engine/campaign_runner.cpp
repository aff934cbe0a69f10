#include "engine/campaign_runner.hpp"

#include <simgrid/plugins/energy.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace mlcycle {

namespace sg4 = simgrid::s4u;

CampaignRunner::CampaignRunner(const Scenario& scenario, const LoadedPlatform& platform,
                               PowerMeter& meter, FifoDispatcher& dispatcher, RunOutcome& outcome)
    : scenario_(scenario),
      platform_(platform),
      meter_(meter),
      dispatcher_(dispatcher),
      outcome_(outcome),
      exec_mode_(scenario.simulation.engine == EngineMode::exec) {}

void CampaignRunner::start_ready_jobs(double now_s) {
  for (JobStart& start : dispatcher_.dispatch(now_s)) {
    Running running;
    running.end_s = now_s + start.request.duration_s;
    if (exec_mode_) {
      for (const HostShare& share : start.allocation) {
        sg4::Host* host = platform_.sg_hosts[share.host];
        // SimGrid runs `thread_count` threads of `flops` each: duration = flops / speed.
        running.execs.push_back(sg4::Exec::init()
                                    ->set_flops_amount(start.request.duration_s * host->get_speed())
                                    ->set_host(host)
                                    ->set_thread_count(static_cast<int>(share.cores)));
        running.execs.back()->start();
      }
    }
    const std::uint64_t job_id = start.request.job_id;
    running.job = meter_.start_job(std::move(start));
    std::uint32_t slot;
    if (free_slots_.empty()) {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
    }
    completions_.push(Completion{running.end_s, job_id, slot});
    slots_[slot] = std::move(running);
  }
}

void CampaignRunner::complete(std::uint32_t slot, JobStatus status) {
  Running& running = *slots_[slot];
  meter_.end_job(running.job, status);
  for (sg4::ExecPtr& exec : running.execs) cut_execs_.push_back(std::move(exec));
  dispatcher_.finish(running.job.start);
  slots_[slot].reset();
  free_slots_.push_back(slot);
}

bool CampaignRunner::execs_done(Running& running) {
  for (const sg4::ExecPtr& exec : running.execs)
    if (!exec->test()) return false;
  running.execs.clear();
  return true;
}

// Exec mode: the heap says which job ends next; SimGrid's CPU model says exactly when.
double CampaignRunner::wait_for_next_completion() {
  Running& running = *slots_[completions_.top().slot];
  for (const sg4::ExecPtr& exec : running.execs) exec->wait();
  running.execs.clear();
  return sg4::Engine::get_clock();
}

void CampaignRunner::read_plugin_energy() {
  sg_host_energy_update_all();
  const RunSummary& summary = outcome_.summary;
  double worst = 0;
  for (std::size_t i = 0; i < platform_.sg_hosts.size(); ++i) {
    const double plugin_j = sg_host_get_consumed_energy(platform_.sg_hosts[i]);
    const double ours_j = summary.hosts[i].simgrid_model_j;
    outcome_.plugin_host_energy_j.push_back(plugin_j);
    const double scale = std::max(std::abs(plugin_j), std::abs(ours_j));
    if (scale > 0) worst = std::max(worst, std::abs(plugin_j - ours_j) / scale);
  }
  outcome_.plugin_max_rel_diff = worst;
}

void CampaignRunner::operator()() {
  // An exception must not escape a SimGrid actor: keep it for run_simulation to rethrow.
  try {
    run();
  } catch (...) {
    outcome_.failure = std::current_exception();
    for (auto& slot : slots_)
      if (slot)
        for (const sg4::ExecPtr& exec : slot->execs) exec->cancel();
  }
}

void CampaignRunner::run() {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  const double horizon_s = scenario_.simulation.horizon_s.value_or(kNever);
  double now_s = 0;
  start_ready_jobs(now_s);
  while (true) {
    const double next_end_s = completions_.empty() ? kNever : completions_.top().end_s;
    const double next_submit_s = dispatcher_.next_submit_after(now_s);
    const double next_s = std::min({next_end_s, next_submit_s, horizon_s});
    if (next_s == kNever) break;  // nothing running, nothing left to submit
    if (next_s == horizon_s && next_s < next_end_s) {
      sg4::this_actor::sleep_until(horizon_s);
      now_s = horizon_s;
      meter_.advance_to(now_s);
      break;
    }
    if (exec_mode_ && next_s == next_end_s) {
      // Wait for the next job's execs: SimGrid's CPU model says exactly when it ends. Jobs due
      // at the same instant whose execs are done complete too before anything is dispatched,
      // as in the analytic engine, so both place the next jobs alike.
      // The clock may land a rounding step past a horizon the job was due at: the run ends there.
      now_s = std::min(horizon_s, std::max(now_s, wait_for_next_completion()));
      meter_.advance_to(now_s);
      do {
        const std::uint32_t slot = completions_.top().slot;
        completions_.pop();
        complete(slot, JobStatus::completed);
      } while (!completions_.empty() && completions_.top().end_s == next_end_s &&
               execs_done(*slots_[completions_.top().slot]));
    } else {
      sg4::this_actor::sleep_until(next_s);
      now_s = next_s;  // the heap's value, not the clock's rounding of now + (next - now)
      meter_.advance_to(now_s);
      while (!exec_mode_ && !completions_.empty() && completions_.top().end_s <= now_s) {
        const std::uint32_t slot = completions_.top().slot;
        completions_.pop();
        complete(slot, JobStatus::completed);
      }
    }
    // GPUs freed at the horizon start nothing: the run ends there.
    if (now_s >= horizon_s) break;
    start_ready_jobs(now_s);
  }
  // Jobs still running at the horizon are cut there; their records say so.
  while (!completions_.empty()) {
    const std::uint32_t slot = completions_.top().slot;
    completions_.pop();
    complete(slot, JobStatus::unfinished);
  }
  outcome_.summary = meter_.finish(now_s, dispatcher_.pending_jobs());
  // Read the plugin before cancelling: in 3.32 cancel() does not update its integral.
  if (exec_mode_) read_plugin_energy();
  for (const sg4::ExecPtr& exec : cut_execs_) exec->cancel();
}

}  // namespace mlcycle
