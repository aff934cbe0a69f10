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
  std::uint32_t clusters = 0;
  for (const HostPowerModel& h : hosts_) {
    site_power_.at(h.site).total_it_w += h.it_power_w(0);
    summary_.total_gpus += h.cores;
    clusters = std::max(clusters, h.cluster + 1);
  }
  cluster_busy_.assign(clusters, 0);
  cluster_queue_.assign(clusters, 0);
  new_bin();
}

void PowerMeter::new_bin() {
  const std::size_t regions = sites_.grid().size();
  bin_ = TraceBin{};
  bin_.time_s = static_cast<double>(bin_index_) * step_s_;
  bin_.region_energy_j.assign(regions, 0.0);
  bin_.region_co2_g.assign(regions, 0.0);
  bin_.cluster_busy_gpus.assign(cluster_busy_.size(), 0.0);
  bin_.cluster_queue_jobs.assign(cluster_queue_.size(), 0.0);
  bin_.source_energy_j.assign(tags_, 0.0);
  bin_.source_co2_g.assign(tags_, 0.0);
  bin_.deployment_replicas.assign(replicas_.size(), 0.0);
}

void PowerMeter::set_sources(std::size_t campaigns, std::size_t deployments) {
  if (now_s_ > 0) throw std::logic_error("PowerMeter: sources are set before the run");
  campaigns_ = campaigns;
  tags_ = campaigns + deployments;
  for (SitePower& p : site_power_) {
    p.tag_it_w.assign(tags_, 0.0);
    p.tag_shares.assign(tags_, 0);
  }
  replicas_.assign(deployments, 0.0);
  new_bin();
}

void PowerMeter::set_deployment_replicas(std::uint32_t deployment, double replicas) {
  replicas_.at(deployment) = replicas;
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

// Locates the crossover: the first time the lead of inference over experimentation + training
// turns positive after development has led (lead < 0). A lead that is positive from the first
// instant overtook nothing: no crossover then (docs/model.md). IT power is constant on
// [t0, t1), so the lead is linear between the steps of the sites' carbon signals: walk them and
// solve. Runs only while inference draws power and the crossover is not found yet; `lead_g` is
// the lead at t0.
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
    const double lead_next_g = lead_g + rate_g_per_s * (next - t);
    if (development_led_ && lead_g <= 0 && rate_g_per_s > 0 && lead_next_g > 0) {
      summary_.crossover_s = t - lead_g / rate_g_per_s;
      return;
    }
    // Linear in between: development leads at some instant iff it does at an end.
    if (lead_next_g < 0) development_led_ = true;
    lead_g = lead_next_g;
    t = next;
  }
}

void PowerMeter::integrate(double t0_s, double t1_s) {
  const double dt = t1_s - t0_s;
  if (dt <= 0) return;
  for (std::size_t c = 0; c < cluster_busy_.size(); ++c) {
    bin_.cluster_busy_gpus[c] += static_cast<double>(cluster_busy_[c]) * dt;
    bin_.cluster_queue_jobs[c] += static_cast<double>(cluster_queue_[c]) * dt;
  }
  for (std::size_t d = 0; d < replicas_.size(); ++d)
    bin_.deployment_replicas[d] += replicas_[d] * dt;
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
    for (std::size_t t = 0; t < tags_; ++t) {
      if (p.tag_it_w[t] == 0) continue;
      bin_.source_energy_j[t] += p.tag_it_w[t] * pue_s;
      bin_.source_co2_g[t] += p.tag_it_w[t] * g_per_w;
    }
    if (site.region != kNoRegion) {
      bin_.region_energy_j[site.region] += p.total_it_w * pue_s;
      bin_.region_co2_g[site.region] += p.total_it_w * g_per_w;
    }
  }
  if (!inference && inference_lead_g_ < 0) development_led_ = true;  // the lead only fell
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
  for (std::size_t c = 0; c < cluster_busy_.size(); ++c) {
    bin_.cluster_busy_gpus[c] = bin_.duration_s > 0 ? bin_.cluster_busy_gpus[c] / bin_.duration_s
                                                    : static_cast<double>(cluster_busy_[c]);
    bin_.cluster_queue_jobs[c] = bin_.duration_s > 0 ? bin_.cluster_queue_jobs[c] / bin_.duration_s
                                                     : static_cast<double>(cluster_queue_[c]);
  }
  for (std::size_t d = 0; d < replicas_.size(); ++d)
    bin_.deployment_replicas[d] =
        bin_.duration_s > 0 ? bin_.deployment_replicas[d] / bin_.duration_s : replicas_[d];
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

void PowerMeter::set_queue_length(std::uint32_t cluster, std::uint64_t jobs) {
  cluster_queue_.at(cluster) = jobs;
}

RunSummary PowerMeter::finish(double end_s, std::uint64_t jobs_pending) {
  advance_to(end_s);
  if (bin_.time_s < end_s || bin_index_ == 0) close_bin(end_s);
  summary_.makespan_s = end_s;
  summary_.jobs_pending = jobs_pending;

  for (Load& load : loads_) {  // fleets: energy outside the hosts, in their phase's totals
    accumulate_load(load);
    SeriesTotals& series = summary_.series[static_cast<int>(load.phase)];
    series.it_energy_j += load.totals.it_energy_j;
    series.energy_j += load.totals.energy_j;
    series.co2_g += load.totals.co2_g;
    series.cost += load.totals.energy_j / units::kJoulePerKwh * price_per_kwh_;
  }
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
    summary_.total.deployments += s.deployments;
  }
  if (summary_.total_gpus > 0 && end_s > 0)
    summary_.mean_utilization = busy_gpu_s_ / (static_cast<double>(summary_.total_gpus) * end_s);

  for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
    set_host_state(i, state_[i].state);  // integrates the host up to now
    summary_.hosts.push_back(HostTotals{hosts_[i].name, hosts_[i].cluster, hosts_[i].cores,
                                        state_[i].it_energy_j, state_[i].energy_j,
                                        state_[i].simgrid_model_j});
  }
  return summary_;
}

}  // namespace mlcycle
