#include "accounting/run_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/units.hpp"

namespace mlcycle {

RunStatistics::RunStatistics(const FacilitySites& sites, double price_per_kwh,
                             std::uint64_t total_gpus)
    : sites_(sites), price_per_kwh_(price_per_kwh), drew_power_(sites.size(), false) {
  summary_.total_gpus = total_gpus;
}

// Highest facility power held over a positive interval: IT power is constant on [t0, t1), but
// a PUE that steps inside it changes the facility power, so walk the PUE steps.
void RunStatistics::track_peak(double t0_s, double t1_s,
                               const std::vector<SiteInterval>& intervals) {
  double t = t0_s;
  while (t < t1_s) {
    double power_w = 0;
    double next = std::numeric_limits<double>::infinity();
    for (const SiteInterval& in : intervals) {
      const StepSignal& pue = *sites_[in.site].pue;
      power_w += in.power->total_it_w * pue.value_at(t);
      next = std::min(next, pue.next_change_after_s(t));
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
void RunStatistics::track_crossover(double t0_s, double t1_s, double lead_g,
                                    const std::vector<SitePower>& power) {
  constexpr int kInference = static_cast<int>(Phase::inference);
  double t = t0_s;
  while (t < t1_s) {
    double rate_g_per_s = 0;
    double next = t1_s;
    for (std::size_t s = 0; s < power.size(); ++s) {
      const SitePower& p = power[s];
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

void RunStatistics::add_interval(double t0_s, double t1_s, const std::vector<SitePower>& power,
                                 const std::vector<SiteInterval>& intervals) {
  const double dt = t1_s - t0_s;
  track_peak(t0_s, t1_s, intervals);
  const double lead_before_g = inference_lead_g_;
  bool inference = false;
  for (const SiteInterval& in : intervals) {
    drew_power_[in.site] = true;
    const SitePower& p = *in.power;
    for (int k = 0; k < kPhaseCount; ++k) {
      if (p.phase_it_w[k] == 0) continue;
      inference_lead_g_ +=
          (k == static_cast<int>(Phase::inference) ? 1 : -1) * p.phase_it_w[k] * in.g_per_w;
      inference = inference || k == static_cast<int>(Phase::inference);
      marginal_g_[k] += p.phase_it_w[k] * in.marginal_g_per_w;
    }
    marginal_g_[kIdleSeries] += in.idle_it_w * in.marginal_g_per_w;
    idle_it_energy_j_ += in.idle_it_w * dt;
  }
  if (!inference && inference_lead_g_ < 0) development_led_ = true;  // the lead only fell
  if (inference && std::isnan(summary_.crossover_s))
    track_crossover(t0_s, t1_s, lead_before_g, power);
}

void RunStatistics::add_bin(const TraceBin& bin) {
  for (int s = 0; s < kSeriesCount; ++s) {
    summary_.trace_energy_j[s] += bin.energy_j[s];
    summary_.trace_co2_g[s] += bin.co2_g[s];
  }
}

void RunStatistics::add_job(JobRecord& record, bool counts_as_job) {
  record.cost = record.energy_j / units::kJoulePerKwh * price_per_kwh_;
  busy_gpu_s_ += record.gpus * (record.end_s - record.start_s);
  SeriesTotals& totals = summary_.series[static_cast<int>(record.phase)];
  if (counts_as_job)
    ++totals.jobs;
  else
    ++totals.deployments;
  totals.gpu_hours += record.gpu_hours;
  totals.it_energy_j += record.it_energy_j;
  totals.energy_j += record.energy_j;
  totals.co2_g += record.co2_g;
  totals.cost += record.cost;
  if (record.status == JobStatus::unfinished) ++summary_.jobs_unfinished;
}

// Off and down hours accrue whenever the host is visited (finish() visits every host).
void RunStatistics::add_host_state(const HostStateChange& change) {
  const double held_h = change.held_s / units::kSecondsPerHour;
  if (change.from == HostPowerState::off) summary_.node_off_hours += held_h;
  if (change.from == HostPowerState::down) summary_.node_down_hours += held_h;
  if (change.to == HostPowerState::booting && change.from != change.to) ++summary_.node_boots;
}

void RunStatistics::add_deployment(Phase phase) {
  ++summary_.series[static_cast<int>(phase)].deployments;
}

void RunStatistics::add_load(Phase phase, const PowerIntegrator::LoadTotals& totals) {
  SeriesTotals& series = summary_.series[static_cast<int>(phase)];
  series.it_energy_j += totals.it_energy_j;
  series.energy_j += totals.energy_j;
  series.co2_g += totals.co2_g;
  series.cost += totals.energy_j / units::kJoulePerKwh * price_per_kwh_;
}

RunSummary RunStatistics::finish(double end_s, std::uint64_t jobs_pending,
                                 std::vector<HostTotals> hosts) {
  RunSummary summary = summary_;
  summary.makespan_s = end_s;
  summary.jobs_pending = jobs_pending;
  SeriesTotals& idle = summary.series[kIdleSeries];
  idle.it_energy_j = idle_it_energy_j_;
  idle.energy_j = summary.trace_energy_j[kIdleSeries];
  idle.co2_g = summary.trace_co2_g[kIdleSeries];
  idle.cost = idle.energy_j / units::kJoulePerKwh * price_per_kwh_;
  summary.marginal_available = true;
  for (std::size_t s = 0; s < drew_power_.size(); ++s)
    if (drew_power_[s] && !sites_[s].marginal_carbon) summary.marginal_available = false;
  for (int k = 0; k < kSeriesCount; ++k)
    summary.series[k].co2_marginal_g =
        summary.marginal_available ? marginal_g_[k] : std::numeric_limits<double>::quiet_NaN();
  for (const SeriesTotals& s : summary.series) {
    summary.total.jobs += s.jobs;
    summary.total.gpu_hours += s.gpu_hours;
    summary.total.it_energy_j += s.it_energy_j;
    summary.total.energy_j += s.energy_j;
    summary.total.co2_g += s.co2_g;
    summary.total.cost += s.cost;
    summary.total.co2_marginal_g += s.co2_marginal_g;
    summary.total.deployments += s.deployments;
  }
  if (summary.total_gpus > 0 && end_s > 0)
    summary.mean_utilization = busy_gpu_s_ / (static_cast<double>(summary.total_gpus) * end_s);
  summary.hosts = std::move(hosts);
  return summary;
}

}  // namespace mlcycle
