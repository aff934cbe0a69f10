#include "accounting/power_meter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/units.hpp"

namespace mlcycle {

PowerMeter::PowerMeter(std::vector<HostPowerModel> hosts, const FacilitySites& sites,
                       double price_per_kwh, double trace_step_s, RunRecorder& recorder)
    : hosts_(std::move(hosts)),
      state_(hosts_.size()),
      sites_(sites),
      site_power_(sites.size()),
      price_per_kwh_(price_per_kwh),
      step_s_(trace_step_s),
      recorder_(recorder) {
  for (const HostPowerModel& h : hosts_) {
    site_power_.at(h.site).total_it_w += h.it_power_w(0);
    summary_.total_gpus += h.cores;
  }
  new_bin();
}

void PowerMeter::new_bin() {
  const std::size_t regions = sites_.grid().size();
  bin_ = TraceBin{};
  bin_.time_s = static_cast<double>(bin_index_) * step_s_;
  bin_.region_energy_j.assign(regions, 0.0);
  bin_.region_co2_g.assign(regions, 0.0);
}

// Highest facility power held over a positive interval: IT power is constant on [t0, t1), but
// a PUE that steps inside it changes the facility power, so walk the PUE steps.
void PowerMeter::track_peak(double t0_s, double t1_s) {
  double t = t0_s;
  while (t < t1_s) {
    double power_w = 0;
    double next = std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < site_power_.size(); ++s) {
      if (site_power_[s].total_it_w == 0) continue;
      power_w += site_power_[s].total_it_w * sites_[s].pue->value_at(t);
      next = std::min(next, sites_[s].pue->next_change_after_s(t));
    }
    summary_.peak_power_w = std::max(summary_.peak_power_w, power_w);
    t = next;
  }
}

// Locates the first time the lead of inference over experimentation + training turns positive.
// IT power is constant on [t0, t1), so the lead is linear between the steps of the sites'
// carbon signals: walk them and solve. Runs only while inference draws power and the crossover
// is not found yet; `lead_g` is the lead at t0.
void PowerMeter::track_crossover(double t0_s, double t1_s, double lead_g) {
  constexpr int kInference = static_cast<int>(Phase::inference);
  double t = t0_s;
  while (t < t1_s) {
    double rate_g_per_s = 0;
    double next = t1_s;
    for (std::size_t s = 0; s < site_power_.size(); ++s) {
      const SitePower& p = site_power_[s];
      const double lead_w = p.phase_it_w[kInference] - p.phase_it_w[0] - p.phase_it_w[1];
      if (lead_w == 0) continue;
      rate_g_per_s += lead_w * sites_[s].carbon->value_at(t) / units::kJoulePerKwh;
      next = std::min(next, sites_[s].carbon->next_change_after_s(t));
    }
    if (lead_g <= 0 && rate_g_per_s > 0 && lead_g + rate_g_per_s * (next - t) > 0) {
      summary_.crossover_s = t - lead_g / rate_g_per_s;
      return;
    }
    lead_g += rate_g_per_s * (next - t);
    t = next;
  }
}

void PowerMeter::integrate(double t0_s, double t1_s) {
  const double dt = t1_s - t0_s;
  if (dt <= 0) return;
  track_peak(t0_s, t1_s);
  const double lead_before_g = inference_lead_g_;
  bool inference = false;
  for (std::size_t s = 0; s < site_power_.size(); ++s) {
    SitePower& p = site_power_[s];
    if (p.total_it_w == 0) continue;
    p.drew_power = true;
    const FacilitySite& site = sites_[s];
    // Exact for any step signals: J = W x (PUE x s); g = W x (PUE x g/kWh x s) / 3.6e6.
    const double pue_s = site.pue->integral(t0_s, t1_s);
    const double g_per_w = site.carbon->integral(t0_s, t1_s) / units::kJoulePerKwh;
    const double marginal_g_per_w =
        site.marginal_carbon ? site.marginal_carbon->integral(t0_s, t1_s) / units::kJoulePerKwh
                             : std::numeric_limits<double>::quiet_NaN();
    double idle_it_w = p.total_it_w;
    for (int k = 0; k < kPhaseCount; ++k) {
      if (p.phase_it_w[k] == 0) continue;
      bin_.energy_j[k] += p.phase_it_w[k] * pue_s;
      bin_.co2_g[k] += p.phase_it_w[k] * g_per_w;
      inference_lead_g_ +=
          (k == static_cast<int>(Phase::inference) ? 1 : -1) * p.phase_it_w[k] * g_per_w;
      inference = inference || k == static_cast<int>(Phase::inference);
      marginal_g_[k] += p.phase_it_w[k] * marginal_g_per_w;
      idle_it_w -= p.phase_it_w[k];
    }
    bin_.energy_j[kIdleSeries] += idle_it_w * pue_s;
    bin_.co2_g[kIdleSeries] += idle_it_w * g_per_w;
    marginal_g_[kIdleSeries] += idle_it_w * marginal_g_per_w;
    idle_it_energy_j_ += idle_it_w * dt;
    bin_.region_energy_j[site.region] += p.total_it_w * pue_s;
    bin_.region_co2_g[site.region] += p.total_it_w * g_per_w;
  }
  if (inference && std::isnan(summary_.crossover_s)) track_crossover(t0_s, t1_s, lead_before_g);
}

void PowerMeter::close_bin(double end_s) {
  bin_.duration_s = end_s - bin_.time_s;
  for (int s = 0; s < kSeriesCount; ++s) {
    summary_.trace_energy_j[s] += bin_.energy_j[s];
    summary_.trace_co2_g[s] += bin_.co2_g[s];
  }
  const GridRegistry& grid = sites_.grid();
  for (std::size_t r = 0; r < grid.size(); ++r)
    bin_.region_intensity_g_per_kwh.push_back(
        bin_.duration_s > 0 ? grid.signal(r).integral(bin_.time_s, end_s) / bin_.duration_s
                            : grid.signal(r).value_at(bin_.time_s));
  recorder_.record_bin(bin_);
  ++bin_index_;
  new_bin();
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
  if (dt > 0) {
    st.it_energy_j += h.it_power_w(st.busy) * dt;
    st.energy_j += h.it_power_w(st.busy) * sites_[h.site].pue->integral(st.last_s, now_s_);
    st.simgrid_model_j += h.simgrid_power_w(st.busy) * dt;
  }
  st.last_s = now_s_;
  site_power_[h.site].total_it_w += h.it_power_w(busy) - h.it_power_w(st.busy);
  st.busy = busy;
}

ActiveJob PowerMeter::start_job(JobStart start) {
  const int phase = static_cast<int>(start.request.phase);
  for (const HostShare& share : start.allocation) {
    set_busy(share.host, state_[share.host].busy + share.cores);
    SitePower& site = site_power_[hosts_[share.host].site];
    site.phase_it_w[phase] += share_it_power_w(share);
    ++site.phase_shares[phase];
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
    const FacilitySite& site = sites_[hosts_[share.host].site];
    const double it_w = share_it_power_w(share);
    record.it_energy_j += it_w * duration_s;
    record.energy_j += it_w * site.pue->integral(job.start_s, now_s_);
    record.co2_g += it_w * site.carbon->integral(job.start_s, now_s_) / units::kJoulePerKwh;
    SitePower& site_power = site_power_[hosts_[share.host].site];
    site_power.phase_it_w[phase] =
        --site_power.phase_shares[phase] == 0 ? 0.0 : site_power.phase_it_w[phase] - it_w;
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
  summary_.marginal_available = true;
  for (std::size_t s = 0; s < site_power_.size(); ++s)
    if (site_power_[s].drew_power && !sites_[s].marginal_carbon)
      summary_.marginal_available = false;
  for (int k = 0; k < kSeriesCount; ++k)
    summary_.series[k].co2_marginal_g =
        summary_.marginal_available ? marginal_g_[k] : std::numeric_limits<double>::quiet_NaN();
  for (const SeriesTotals& s : summary_.series) {
    summary_.total.jobs += s.jobs;
    summary_.total.gpu_hours += s.gpu_hours;
    summary_.total.it_energy_j += s.it_energy_j;
    summary_.total.energy_j += s.energy_j;
    summary_.total.co2_g += s.co2_g;
    summary_.total.cost += s.cost;
    summary_.total.co2_marginal_g += s.co2_marginal_g;
  }
  if (summary_.total_gpus > 0 && end_s > 0)
    summary_.mean_utilization = busy_gpu_s_ / (static_cast<double>(summary_.total_gpus) * end_s);

  for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
    set_busy(i, state_[i].busy);  // integrates the host up to now
    summary_.hosts.push_back(HostTotals{hosts_[i].name, hosts_[i].cluster, hosts_[i].cores,
                                        state_[i].it_energy_j, state_[i].energy_j,
                                        state_[i].simgrid_model_j});
  }
  return summary_;
}

}  // namespace mlcycle
