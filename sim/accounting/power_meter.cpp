#include "accounting/power_meter.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlcycle {

namespace {

std::size_t cluster_count(const std::vector<HostPowerModel>& hosts) {
  std::uint32_t clusters = 0;
  for (const HostPowerModel& h : hosts) clusters = std::max(clusters, h.cluster + 1);
  return clusters;
}

std::uint64_t gpu_count(const std::vector<HostPowerModel>& hosts) {
  std::uint64_t gpus = 0;
  for (const HostPowerModel& h : hosts) gpus += h.cores;
  return gpus;
}

}  // namespace

PowerMeter::PowerMeter(std::vector<HostPowerModel> hosts, const FacilitySites& sites,
                       double price_per_kwh, double trace_step_s, RunRecorder& recorder)
    : integrator_(std::move(hosts), sites),
      binner_(sites, cluster_count(integrator_.hosts()), trace_step_s),
      stats_(sites, price_per_kwh, gpu_count(integrator_.hosts())),
      recorder_(recorder) {}

void PowerMeter::set_sources(std::size_t campaigns, std::size_t deployments) {
  if (now_s() > 0) throw std::logic_error("PowerMeter: sources are set before the run");
  integrator_.set_tags(campaigns + deployments);
  binner_.set_sources(campaigns + deployments, deployments);
}

// One interval of constant power, inside one bin: the integrator's site integrals feed the
// open bin and the statistics alike, so bins and totals are the same numbers.
void PowerMeter::integrate(double t0_s, double t1_s) {
  const double dt = t1_s - t0_s;
  if (dt <= 0) return;
  const std::vector<SiteInterval>& intervals = integrator_.site_intervals(t0_s, t1_s);
  binner_.add_interval(dt, intervals);
  stats_.add_interval(t0_s, t1_s, integrator_.site_power(), intervals);
}

void PowerMeter::close_bin(double end_s) {
  const TraceBin& bin = binner_.close_bin(end_s);
  stats_.add_bin(bin);
  recorder_.record_bin(bin);
}

void PowerMeter::advance_to(double time_s) {
  if (time_s < now_s()) throw std::logic_error("PowerMeter: time went backwards");
  while (next_bin_edge_s() <= time_s) {
    const double edge = next_bin_edge_s();
    integrate(now_s(), edge);
    integrator_.set_now_s(edge);
    close_bin(edge);
  }
  integrate(now_s(), time_s);
  integrator_.set_now_s(time_s);
}

ActiveJob PowerMeter::start_job(const JobStart& start, bool own_power) {
  ActiveJob job = integrator_.start_job(start, own_power);
  binner_.add_busy_gpus(start.cluster, start.request.gpus);
  return job;
}

JobRecord PowerMeter::end_job(const JobStart& start, ActiveJob& job, JobStatus status,
                              bool counts_as_job) {
  JobRecord record = integrator_.end_job(start, job, status);
  binner_.remove_busy_gpus(start.cluster, record.gpus);
  stats_.add_job(record, counts_as_job);
  return record;
}

std::uint32_t PowerMeter::add_load(std::uint32_t site, Phase phase, std::uint32_t tag) {
  stats_.add_deployment(phase);
  return integrator_.add_load(site, phase, tag);
}

RunSummary PowerMeter::finish(double end_s, std::uint64_t jobs_pending) {
  advance_to(end_s);
  if (binner_.open_bin_start_s() < end_s || binner_.closed_bins() == 0) close_bin(end_s);
  // Fleets: energy outside the hosts, in their phase's totals.
  for (std::uint32_t load = 0; load < integrator_.loads(); ++load)
    stats_.add_load(integrator_.load_phase(load), integrator_.load_totals(load));
  std::vector<HostTotals> hosts;
  for (std::uint32_t i = 0; i < integrator_.hosts().size(); ++i) {
    set_host_state(i, host_state(i));  // integrates the host up to now
    hosts.push_back(integrator_.host_totals(i));
  }
  return stats_.finish(end_s, jobs_pending, std::move(hosts));
}

}  // namespace mlcycle
