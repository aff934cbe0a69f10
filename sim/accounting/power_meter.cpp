#include "accounting/power_meter.hpp"

#include <stdexcept>

#include "core/units.hpp"

namespace mlcycle {

PowerMeter::PowerMeter(std::vector<HostPowerModel> hosts, const GridRegistry& grid,
                       double price_per_kwh, double trace_step_s, RunRecorder& recorder)
    : hosts_(std::move(hosts)),
      state_(hosts_.size()),
      grid_(grid),
      regions_(grid.size()),
      price_per_kwh_(price_per_kwh),
      step_s_(trace_step_s),
      recorder_(recorder) {
  for (const HostPowerModel& h : hosts_) {
    RegionPower& r = regions_.at(h.region);
    r.total_it_w += h.it_power_w(0);
    r.total_fac_w += h.it_power_w(0) * h.pue;
    summary_.total_gpus += h.cores;
  }
  bin_.time_s = 0;
}

void PowerMeter::integrate(double t0_s, double t1_s) {
  const double dt = t1_s - t0_s;
  if (dt <= 0) return;
  double total_fac_w = 0;
  for (std::size_t r = 0; r < regions_.size(); ++r) {
    const RegionPower& p = regions_[r];
    if (p.total_fac_w == 0) continue;
    total_fac_w += p.total_fac_w;
    // Exact for any intensity signal: g = W * (g/kWh)*s / 3.6e6.
    const double g_per_w = grid_.signal(r).integral_g_s_per_kwh(t0_s, t1_s) / units::kJoulePerKwh;
    double idle_fac_w = p.total_fac_w;
    double idle_it_w = p.total_it_w;
    for (int s = 0; s < kPhaseCount; ++s) {
      if (p.phase_fac_w[s] == 0) continue;
      bin_.energy_j[s] += p.phase_fac_w[s] * dt;
      bin_.co2_g[s] += p.phase_fac_w[s] * g_per_w;
      idle_fac_w -= p.phase_fac_w[s];
      idle_it_w -= p.phase_it_w[s];
    }
    bin_.energy_j[kIdleSeries] += idle_fac_w * dt;
    bin_.co2_g[kIdleSeries] += idle_fac_w * g_per_w;
    idle_it_energy_j_ += idle_it_w * dt;
  }
  if (total_fac_w > summary_.peak_power_w) summary_.peak_power_w = total_fac_w;
}

void PowerMeter::close_bin(double end_s) {
  bin_.duration_s = end_s - bin_.time_s;
  for (int s = 0; s < kSeriesCount; ++s) {
    summary_.trace_energy_j[s] += bin_.energy_j[s];
    summary_.trace_co2_g[s] += bin_.co2_g[s];
  }
  recorder_.record_bin(bin_);
  ++bin_index_;
  bin_ = TraceBin{};
  bin_.time_s = static_cast<double>(bin_index_) * step_s_;
}

void PowerMeter::advance_to(double time_s) {
  if (time_s < now_s_) throw std::logic_error("PowerMeter: time went backwards");
  while (next_bin_edge_s() <= time_s) {
    const double edge = next_bin_edge_s();
    integrate(now_s_, edge);
    now_s_ = edge;
    close_bin(edge);
  }
  integrate(now_s_, time_s);
  now_s_ = time_s;
}

void PowerMeter::set_busy(std::uint32_t host, std::uint32_t busy) {
  const HostPowerModel& h = hosts_[host];
  HostState& st = state_[host];
  // Integrate the past with the old state, then switch.
  const double dt = now_s_ - st.last_s;
  st.it_energy_j += h.it_power_w(st.busy) * dt;
  st.simgrid_model_j += h.simgrid_power_w(st.busy) * dt;
  st.last_s = now_s_;
  RegionPower& r = regions_[h.region];
  const double delta_it_w = h.it_power_w(busy) - h.it_power_w(st.busy);
  r.total_it_w += delta_it_w;
  r.total_fac_w += delta_it_w * h.pue;
  st.busy = busy;
}

ActiveJob PowerMeter::start_job(JobStart start) {
  for (const HostShare& share : start.allocation) {
    const HostPowerModel& h = hosts_[share.host];
    set_busy(share.host, state_[share.host].busy + share.cores);
    const double it_w = share_it_power_w(share);
    const int phase = static_cast<int>(start.request.phase);
    regions_[h.region].phase_it_w[phase] += it_w;
    regions_[h.region].phase_fac_w[phase] += it_w * h.pue;
  }
  return ActiveJob{std::move(start), now_s_};
}

void PowerMeter::end_job(const ActiveJob& job, JobStatus status) {
  const JobRequest& request = job.start.request;
  const int phase = static_cast<int>(request.phase);
  JobRecord record;
  record.job_id = request.job_id;
  record.campaign = request.campaign;
  record.phase = request.phase;
  record.status = status;
  record.host = job.start.allocation.front().host;
  record.nodes = static_cast<std::uint32_t>(job.start.allocation.size());
  record.gpus = request.gpus;
  record.submit_s = request.submit_s;
  record.start_s = job.start_s;
  record.end_s = now_s_;
  const double duration_s = now_s_ - job.start_s;
  record.gpu_hours = request.gpus * duration_s / units::kSecondsPerHour;
  for (const HostShare& share : job.start.allocation) {
    const HostPowerModel& h = hosts_[share.host];
    const double it_w = share_it_power_w(share);
    record.it_energy_j += it_w * duration_s;
    record.energy_j += it_w * h.pue * duration_s;
    record.co2_g += it_w * h.pue *
                    grid_.signal(h.region).integral_g_s_per_kwh(job.start_s, now_s_) /
                    units::kJoulePerKwh;
    RegionPower& r = regions_[h.region];
    r.phase_it_w[phase] -= it_w;
    r.phase_fac_w[phase] -= it_w * h.pue;
    set_busy(share.host, state_[share.host].busy - share.cores);
  }
  record.cost = record.energy_j / units::kJoulePerKwh * price_per_kwh_;
  busy_gpu_s_ += request.gpus * duration_s;

  SeriesTotals& totals = summary_.series[phase];
  ++totals.jobs;
  totals.gpu_hours += record.gpu_hours;
  totals.it_energy_j += record.it_energy_j;
  totals.energy_j += record.energy_j;
  totals.co2_g += record.co2_g;
  totals.cost += record.cost;
  if (status == JobStatus::unfinished) ++summary_.jobs_unfinished;
  recorder_.record_job(record);
}

RunSummary PowerMeter::finish(double end_s, std::uint64_t jobs_pending) {
  advance_to(end_s);
  if (bin_.time_s < end_s || bin_index_ == 0) close_bin(end_s);
  summary_.makespan_s = end_s;
  summary_.jobs_pending = jobs_pending;

  SeriesTotals& idle = summary_.series[kIdleSeries];
  idle.it_energy_j = idle_it_energy_j_;
  idle.energy_j = summary_.trace_energy_j[kIdleSeries];
  idle.co2_g = summary_.trace_co2_g[kIdleSeries];
  idle.cost = idle.energy_j / units::kJoulePerKwh * price_per_kwh_;
  for (const SeriesTotals& s : summary_.series) {
    summary_.total.jobs += s.jobs;
    summary_.total.gpu_hours += s.gpu_hours;
    summary_.total.it_energy_j += s.it_energy_j;
    summary_.total.energy_j += s.energy_j;
    summary_.total.co2_g += s.co2_g;
    summary_.total.cost += s.cost;
  }
  if (summary_.total_gpus > 0 && end_s > 0)
    summary_.mean_utilization = busy_gpu_s_ / (static_cast<double>(summary_.total_gpus) * end_s);

  for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
    set_busy(i, state_[i].busy);  // integrates the host up to now
    summary_.hosts.push_back(
        HostTotals{hosts_[i].name, hosts_[i].cluster, hosts_[i].cores, state_[i].it_energy_j,
                   state_[i].it_energy_j * hosts_[i].pue, state_[i].simgrid_model_j});
  }
  return summary_;
}

}  // namespace mlcycle
