// The meter's events: jobs starting, changing power and ending; hosts changing power state;
// loads outside the hosts. Each integrates the past with the old power, then switches.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "accounting/power_meter.hpp"
#include "core/units.hpp"

namespace mlcycle {

double PowerMeter::host_it_power_w(const HostState& st, const HostPowerModel& h) const {
  switch (st.state) {
    case HostPowerState::on:
      return h.it_power_w(st.busy);
    case HostPowerState::booting:
      return h.boot_w;
    case HostPowerState::off:
    case HostPowerState::down:
      return h.off_w;
  }
  return 0;
}

// What SimGrid's energy plugin integrates: it loads only ordinary jobs' execs, and sees a node
// we switch off or boot as idle (SimGrid's host stays on: the scheduler's actor lives there);
// a failed node is off in SimGrid too.
double PowerMeter::host_simgrid_power_w(const HostState& st, const HostPowerModel& h) const {
  if (st.state == HostPowerState::down) return h.off_w;
  return h.simgrid_power_w(st.state == HostPowerState::on ? st.sg_busy : 0);
}

template <class Change>
void PowerMeter::change_host(std::uint32_t host, Change change) {
  const HostPowerModel& h = hosts_[host];
  HostState& st = state_[host];
  const double old_w = host_it_power_w(st, h);
  const double dt = now_s_ - st.last_s;
  if (dt > 0) {
    st.it_energy_j += old_w * dt;
    st.energy_j += old_w * sites_[h.site].pue->integral(st.last_s, now_s_);
    st.simgrid_model_j += host_simgrid_power_w(st, h) * dt;
  }
  st.last_s = now_s_;
  change(st);
  site_power_[h.site].total_it_w += host_it_power_w(st, h) - old_w;
}

void PowerMeter::set_host_state(std::uint32_t host, HostPowerState state) {
  change_host(host, [&](HostState& st) {
    // Off and down hours accrue whenever the host is visited (finish() visits every host).
    const double held_h = (now_s_ - st.state_since_s) / units::kSecondsPerHour;
    if (st.state == HostPowerState::off) summary_.node_off_hours += held_h;
    if (st.state == HostPowerState::down) summary_.node_down_hours += held_h;
    st.state_since_s = now_s_;
    if (state == HostPowerState::booting && st.state != state) ++summary_.node_boots;
    st.state = state;
  });
}

void PowerMeter::add_phase_power(std::uint32_t site, Phase phase, std::uint32_t tag, double delta_w,
                                 int shares) {
  SitePower& p = site_power_[site];
  const int k = static_cast<int>(phase);
  p.phase_shares[k] =
      static_cast<std::uint64_t>(static_cast<std::int64_t>(p.phase_shares[k]) + shares);
  p.phase_it_w[k] = p.phase_shares[k] == 0 ? 0.0 : p.phase_it_w[k] + delta_w;
  if (tag >= tags_) return;
  p.tag_shares[tag] =
      static_cast<std::uint64_t>(static_cast<std::int64_t>(p.tag_shares[tag]) + shares);
  p.tag_it_w[tag] = p.tag_shares[tag] == 0 ? 0.0 : p.tag_it_w[tag] + delta_w;
}

ActiveJob PowerMeter::start_job(JobStart start, bool own_power) {
  ActiveJob job;
  job.own_power = own_power;
  job.start_s = now_s_;
  job.since_s = now_s_;
  for (const HostShare& share : start.allocation) {
    const double w = share_it_power_w(share);
    job.it_power_w += w;
    change_host(share.host, [&](HostState& st) {
      st.busy += share.cores;
      if (!own_power) st.sg_busy += share.cores;
    });
    const std::uint32_t site = hosts_[share.host].site;
    add_phase_power(site, start.request.phase, start.request.campaign, w, 1);
    if (!own_power) continue;
    auto it = std::find_if(job.sites.begin(), job.sites.end(),
                           [&](const ActiveJob::SitePiece& p) { return p.site == site; });
    if (it == job.sites.end()) it = job.sites.insert(job.sites.end(), ActiveJob::SitePiece{site});
    it->cores += share.cores;
    it->busy_w += w;
  }
  cluster_busy_.at(start.cluster) += start.request.gpus;
  job.start = std::move(start);
  return job;
}

// Adds the job's piece [since, now] at its current power.
void PowerMeter::accumulate_job(ActiveJob& job) {
  if (now_s_ <= job.since_s) return;
  const double dt = now_s_ - job.since_s;
  const double gpus = job.start.request.gpus;
  if (job.own_power) {
    for (ActiveJob::SitePiece& piece : job.sites) {
      const FacilitySite& site = sites_[piece.site];
      const double w = job.it_power_w * piece.cores / gpus;
      const double it_j = w * dt;
      const double energy_j = w * site.pue->integral(job.since_s, now_s_);
      const double co2_g = w * site.carbon->integral(job.since_s, now_s_) / units::kJoulePerKwh;
      piece.it_energy_j += it_j;
      piece.energy_j += energy_j;
      piece.co2_g += co2_g;
      job.it_energy_j += it_j;
      job.energy_j += energy_j;
      job.co2_g += co2_g;
    }
  } else {
    for (const HostShare& share : job.start.allocation) {
      const FacilitySite& site = sites_[hosts_[share.host].site];
      const double w = share_it_power_w(share);
      job.it_energy_j += w * dt;
      job.energy_j += w * site.pue->integral(job.since_s, now_s_);
      job.co2_g += w * site.carbon->integral(job.since_s, now_s_) / units::kJoulePerKwh;
    }
  }
  job.since_s = now_s_;
}

void PowerMeter::set_job_power(ActiveJob& job, double it_power_w) {
  if (!job.own_power) throw std::logic_error("PowerMeter: job power is its GPUs' busy power");
  accumulate_job(job);
  const double gpus = job.start.request.gpus;
  for (const ActiveJob::SitePiece& piece : job.sites) {
    const double delta_w = (it_power_w - job.it_power_w) * piece.cores / gpus;
    site_power_[piece.site].total_it_w += delta_w;
    add_phase_power(piece.site, job.start.request.phase, job.start.request.campaign, delta_w, 0);
  }
  job.it_power_w = it_power_w;
}

double PowerMeter::job_co2_g(const ActiveJob& job, double t0_s, double t1_s) const {
  if (t1_s <= t0_s) return 0;
  const double gpus = job.start.request.gpus;
  double co2_g = 0;
  for (const HostShare& share : job.start.allocation) {
    const double w = job.own_power ? job.it_power_w * share.cores / gpus : share_it_power_w(share);
    co2_g += w * sites_[hosts_[share.host].site].carbon->integral(t0_s, t1_s);
  }
  return co2_g / units::kJoulePerKwh;
}

JobRecord PowerMeter::end_job(ActiveJob& job, JobStatus status, bool counts_as_job) {
  accumulate_job(job);
  const JobRequest& request = job.start.request;
  JobRecord record;
  record.job_id = request.job_id;
  record.campaign = request.campaign;
  record.phase = request.phase;
  record.status = status;
  record.stage = request.stage;
  record.stage_run = request.stage_run;
  record.attempt = request.attempt;
  record.rung = request.rung;
  record.trial = request.trial;
  record.host = job.start.allocation.front().host;
  record.nodes = static_cast<std::uint32_t>(job.start.allocation.size());
  record.gpus = request.gpus;
  record.submit_s = request.submit_s;
  record.start_s = job.start_s;
  record.end_s = now_s_;
  record.wait_s = job.start_s - request.submit_s;
  const double duration_s = now_s_ - job.start_s;
  record.gpu_hours = request.gpus * duration_s / units::kSecondsPerHour;
  record.it_energy_j = job.it_energy_j;
  record.energy_j = job.energy_j;
  record.co2_g = job.co2_g;
  const double gpus = request.gpus;
  // An own-power job leaves its site: its power above its GPUs' busy power goes first.
  for (const ActiveJob::SitePiece& piece : job.sites)
    site_power_[piece.site].total_it_w -= job.it_power_w * piece.cores / gpus - piece.busy_w;
  for (const HostShare& share : job.start.allocation) {
    const std::uint32_t site = hosts_[share.host].site;
    const double busy_w = share_it_power_w(share);
    const double w = job.own_power ? job.it_power_w * share.cores / gpus : busy_w;
    add_phase_power(site, request.phase, request.campaign, -w, -1);
    change_host(share.host, [&](HostState& st) {
      st.busy -= share.cores;
      if (!job.own_power) st.sg_busy -= share.cores;
    });
    if (!job.own_power) continue;
    // The host integrated these GPUs at busy power: replace that by its share of the job.
    const auto& piece =
        *std::find_if(job.sites.begin(), job.sites.end(),
                      [&](const ActiveJob::SitePiece& p) { return p.site == site; });
    const double share_of_site = static_cast<double>(share.cores) / piece.cores;
    HostState& st = state_[share.host];
    st.it_energy_j += piece.it_energy_j * share_of_site - busy_w * duration_s;
    st.energy_j +=
        piece.energy_j * share_of_site - busy_w * sites_[site].pue->integral(job.start_s, now_s_);
  }
  cluster_busy_.at(job.start.cluster) -= request.gpus;
  record.cost = record.energy_j / units::kJoulePerKwh * price_per_kwh_;
  busy_gpu_s_ += request.gpus * duration_s;

  SeriesTotals& totals = summary_.series[static_cast<int>(request.phase)];
  if (counts_as_job)
    ++totals.jobs;
  else
    ++totals.deployments;
  totals.gpu_hours += record.gpu_hours;
  totals.it_energy_j += record.it_energy_j;
  totals.energy_j += record.energy_j;
  totals.co2_g += record.co2_g;
  totals.cost += record.cost;
  if (status == JobStatus::unfinished) ++summary_.jobs_unfinished;
  return record;
}

std::uint32_t PowerMeter::add_load(std::uint32_t site, Phase phase, std::uint32_t tag) {
  Load load;
  load.site = site;
  load.phase = phase;
  load.tag = tag;
  load.since_s = now_s_;
  loads_.push_back(load);
  ++summary_.series[static_cast<int>(phase)].deployments;
  return static_cast<std::uint32_t>(loads_.size() - 1);
}

void PowerMeter::accumulate_load(Load& load) {
  if (now_s_ > load.since_s && load.it_power_w != 0) {
    const FacilitySite& site = sites_[load.site];
    load.totals.it_energy_j += load.it_power_w * (now_s_ - load.since_s);
    load.totals.energy_j += load.it_power_w * site.pue->integral(load.since_s, now_s_);
    load.totals.co2_g +=
        load.it_power_w * site.carbon->integral(load.since_s, now_s_) / units::kJoulePerKwh;
  }
  load.since_s = now_s_;
}

void PowerMeter::set_load_power(std::uint32_t index, double it_power_w) {
  Load& load = loads_.at(index);
  accumulate_load(load);
  const int shares = (it_power_w != 0 ? 1 : 0) - (load.it_power_w != 0 ? 1 : 0);
  site_power_[load.site].total_it_w += it_power_w - load.it_power_w;
  add_phase_power(load.site, load.phase, load.tag, it_power_w - load.it_power_w, shares);
  if (it_power_w == 0 &&
      site_power_[load.site].phase_shares == std::array<std::uint64_t, kPhaseCount>{})
    site_power_[load.site].total_it_w = 0;  // a fleet site with nothing drawing is exactly 0
  load.it_power_w = it_power_w;
}

PowerMeter::LoadTotals PowerMeter::load_totals(std::uint32_t index) {
  Load& load = loads_.at(index);
  accumulate_load(load);
  return load.totals;
}

}  // namespace mlcycle
