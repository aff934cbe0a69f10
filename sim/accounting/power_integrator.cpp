// Hosts and jobs: each event integrates the past with the old power, then switches.
#include "accounting/power_integrator.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "accounting/gpu_power_cap.hpp"
#include "core/units.hpp"

namespace mlcycle {

PowerIntegrator::PowerIntegrator(std::vector<HostPowerModel> hosts, const FacilitySites& sites)
    : hosts_(std::move(hosts)), state_(hosts_.size()), sites_(sites), site_power_(sites.size()) {
  for (const HostPowerModel& h : hosts_) {
    site_power_.at(h.site).total_it_w += h.it_power_w(0);
    busy_gpu_w_.push_back(h.busy_gpu_it_power_w());
    host_site_.push_back(h.site);
  }
}

void PowerIntegrator::set_tags(std::size_t tags) {
  tags_ = tags;
  for (SitePower& p : site_power_) {
    p.tag_it_w.assign(tags_, 0.0);
    p.tag_shares.assign(tags_, 0);
  }
}

const std::vector<SiteInterval>& PowerIntegrator::site_intervals(double t0_s, double t1_s) {
  intervals_.clear();
  for (std::size_t s = 0; s < site_power_.size(); ++s) {
    const SitePower& p = site_power_[s];
    if (p.total_it_w == 0) continue;
    const FacilitySite& site = sites_[s];
    SiteInterval in;
    in.site = static_cast<std::uint32_t>(s);
    in.power = &p;
    // Exact for any step signals: J = W x (PUE x s); g = W x (PUE x g/kWh x s) / 3.6e6.
    in.pue_s = site.pue->integral(t0_s, t1_s);
    in.g_per_w = site.carbon->integral(t0_s, t1_s) / units::kJoulePerKwh;
    in.marginal_g_per_w = site.marginal_carbon
                              ? site.marginal_carbon->integral(t0_s, t1_s) / units::kJoulePerKwh
                              : std::numeric_limits<double>::quiet_NaN();
    in.idle_it_w = p.total_it_w;
    for (int k = 0; k < kPhaseCount; ++k)
      if (p.phase_it_w[k] != 0) in.idle_it_w -= p.phase_it_w[k];
    intervals_.push_back(in);
  }
  return intervals_;
}

double PowerIntegrator::cap_saving_per_gpu_w(const JobStart& start, std::uint32_t host) const {
  const HostPowerModel& h = hosts_[host];
  return gpu_busy_board_w(h) - capped_board_w(h, *caps_[start.request.campaign]);
}

// Capped GPUs draw their cap: in SimGrid's linear model, a loaded core less its saving.
void PowerIntegrator::set_power_caps(std::vector<std::optional<PowerCapSpec>> caps) {
  caps_ = std::move(caps);
  const bool any =
      std::any_of(caps_.begin(), caps_.end(), [](const auto& c) { return c.has_value(); });
  host_caps_.assign(any ? hosts_.size() : 0, HostCap{});
}

void PowerIntegrator::shift_host_cap(std::uint32_t host, std::int64_t gpus, double saving_w) {
  HostCap& cap = host_caps_[host];
  cap.gpus = static_cast<std::uint32_t>(static_cast<std::int64_t>(cap.gpus) + gpus);
  // The last capped GPU leaves no rounding crumbs behind.
  cap.saving_w = cap.gpus == 0 ? 0.0 : cap.saving_w + saving_w;
}

double PowerIntegrator::host_it_power_w(const HostState& st, const HostPowerModel& h,
                                        double cap_saving_w) const {
  switch (st.state) {
    case HostPowerState::on:
      return h.it_power_w(st.busy) - cap_saving_w;
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
double PowerIntegrator::host_simgrid_power_w(const HostState& st, const HostPowerModel& h,
                                             double cap_saving_w) const {
  if (st.state == HostPowerState::down) return h.off_w;
  if (st.state != HostPowerState::on) return h.simgrid_power_w(0);
  return h.simgrid_power_w(st.sg_busy) - cap_saving_w;
}

template <class Change>
void PowerIntegrator::change_host(std::uint32_t host, Change change) {
  const HostPowerModel& h = hosts_[host];
  HostState& st = state_[host];
  const double old_saving_w = host_cap_saving_w(host);
  const double old_w = host_it_power_w(st, h, old_saving_w);
  const double dt = now_s_ - st.last_s;
  if (dt > 0) {
    st.it_energy_j += old_w * dt;
    st.energy_j += old_w * sites_[h.site].pue->integral(st.last_s, now_s_);
    st.simgrid_model_j += host_simgrid_power_w(st, h, old_saving_w) * dt;
  }
  st.last_s = now_s_;
  change(st);
  site_power_[h.site].total_it_w += host_it_power_w(st, h, host_cap_saving_w(host)) - old_w;
}

HostStateChange PowerIntegrator::set_host_state(std::uint32_t host, HostPowerState state) {
  HostStateChange change;
  change_host(host, [&](HostState& st) {
    change = HostStateChange{st.state, state, now_s_ - st.state_since_s};
    st.state_since_s = now_s_;
    st.state = state;
  });
  return change;
}

HostTotals PowerIntegrator::host_totals(std::uint32_t host) const {
  const HostPowerModel& h = hosts_.at(host);
  const HostState& st = state_[host];
  return HostTotals{h.name, h.cluster, h.cores, st.it_energy_j, st.energy_j, st.simgrid_model_j};
}

void PowerIntegrator::add_phase_power(std::uint32_t site, Phase phase, std::uint32_t tag,
                                      double delta_w, int shares) {
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

ActiveJob PowerIntegrator::start_job(const JobStart& start, bool own_power) {
  ActiveJob job;
  job.own_power = own_power;
  job.start_s = now_s_;
  job.since_s = now_s_;
  const std::uint32_t campaign = start.request.campaign;
  job.capped =
      !own_power && start.cap_engaged && campaign < caps_.size() && caps_[campaign].has_value();
  for (const HostShare& share : start.allocation) {
    const double w = job_share_it_power_w(start, job, share);
    job.it_power_w += w;
    const double saving_w = job.capped ? share.cores * cap_saving_per_gpu_w(start, share.host) : 0;
    change_host(share.host, [&](HostState& st) {
      st.busy += share.cores;
      if (!own_power) st.sg_busy += share.cores;
      if (job.capped) shift_host_cap(share.host, share.cores, saving_w);
    });
    const std::uint32_t site = host_site_[share.host];
    add_phase_power(site, start.request.phase, start.request.campaign, w, 1);
    if (!own_power) continue;
    auto it = std::find_if(job.sites.begin(), job.sites.end(),
                           [&](const ActiveJob::SitePiece& p) { return p.site == site; });
    if (it == job.sites.end()) it = job.sites.insert(job.sites.end(), ActiveJob::SitePiece{site});
    it->cores += share.cores;
    it->busy_w += w;
  }
  return job;
}

// Adds the job's piece [since, now] at its current power.
void PowerIntegrator::accumulate_job(const JobStart& start, ActiveJob& job) {
  if (now_s_ <= job.since_s) return;
  const double dt = now_s_ - job.since_s;
  const double gpus = start.request.gpus;
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
    for (const HostShare& share : start.allocation) {
      const FacilitySite& site = sites_[host_site_[share.host]];
      const double w = job_share_it_power_w(start, job, share);
      job.it_energy_j += w * dt;
      job.energy_j += w * site.pue->integral(job.since_s, now_s_);
      job.co2_g += w * site.carbon->integral(job.since_s, now_s_) / units::kJoulePerKwh;
    }
  }
  job.since_s = now_s_;
}

void PowerIntegrator::set_job_power(const JobStart& start, ActiveJob& job, double it_power_w) {
  if (!job.own_power) throw std::logic_error("PowerMeter: job power is its GPUs' busy power");
  accumulate_job(start, job);
  const double gpus = start.request.gpus;
  for (const ActiveJob::SitePiece& piece : job.sites) {
    const double delta_w = (it_power_w - job.it_power_w) * piece.cores / gpus;
    site_power_[piece.site].total_it_w += delta_w;
    add_phase_power(piece.site, start.request.phase, start.request.campaign, delta_w, 0);
  }
  job.it_power_w = it_power_w;
}

// Integrates the job and its hosts at the old power, then moves the saving on or off them.
void PowerIntegrator::set_job_capped(const JobStart& start, ActiveJob& job, bool capped) {
  if (job.capped == capped) return;
  if (job.own_power || !caps_.at(start.request.campaign))
    throw std::logic_error("PowerMeter: the job's campaign has no power cap");
  accumulate_job(start, job);
  const double sign = capped ? 1 : -1;
  job.capped = capped;
  job.it_power_w = 0;
  for (const HostShare& share : start.allocation) {
    const double saving_w = share.cores * cap_saving_per_gpu_w(start, share.host);
    change_host(share.host, [&](HostState&) {
      shift_host_cap(share.host, capped ? share.cores : -static_cast<std::int64_t>(share.cores),
                     sign * saving_w);
    });
    job.it_power_w += job_share_it_power_w(start, job, share);
    add_phase_power(host_site_[share.host], start.request.phase, start.request.campaign,
                    -sign * saving_w, 0);
  }
}

double PowerIntegrator::job_co2_g(const JobStart& start, const ActiveJob& job, double t0_s,
                                  double t1_s) const {
  if (t1_s <= t0_s) return 0;
  const double gpus = start.request.gpus;
  double co2_g = 0;
  for (const HostShare& share : start.allocation) {
    const double w = job.own_power ? job.it_power_w * share.cores / gpus
                                   : job_share_it_power_w(start, job, share);
    co2_g += w * sites_[host_site_[share.host]].carbon->integral(t0_s, t1_s);
  }
  return co2_g / units::kJoulePerKwh;
}

double PowerIntegrator::job_co2_g(const JobStart& start, const ActiveJob& job, double t0_s,
                                  double t1_s, const CapSchedule& schedule) const {
  const bool has_cap = !job.own_power && start.request.campaign < caps_.size() &&
                       caps_[start.request.campaign].has_value();
  if (!has_cap) return job_co2_g(start, job, t0_s, t1_s);
  double co2_g = 0;
  for (double t = t0_s; t < t1_s;) {
    const double next_s = std::min(t1_s, schedule.next_change_after_s(t));
    const bool capped = schedule.capped_at(t);
    for (const HostShare& share : start.allocation) {
      const double saving_w = capped ? cap_saving_per_gpu_w(start, share.host) : 0.0;
      const double w = share.cores * (busy_gpu_w_[share.host] - saving_w);
      co2_g += w * sites_[host_site_[share.host]].carbon->integral(t, next_s);
    }
    t = next_s;
  }
  return co2_g / units::kJoulePerKwh;
}

JobRecord PowerIntegrator::end_job(const JobStart& start, ActiveJob& job, JobStatus status) {
  accumulate_job(start, job);
  const JobRequest& request = start.request;
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
  record.host = start.allocation.front().host;
  record.nodes = static_cast<std::uint32_t>(start.allocation.size());
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
  for (const HostShare& share : start.allocation) {
    const std::uint32_t site = host_site_[share.host];
    const double busy_w = share_it_power_w(share);
    const double w = job.own_power ? job.it_power_w * share.cores / gpus
                                   : job_share_it_power_w(start, job, share);
    add_phase_power(site, request.phase, request.campaign, -w, -1);
    const double saving_w = job.capped ? share.cores * cap_saving_per_gpu_w(start, share.host) : 0;
    change_host(share.host, [&](HostState& st) {
      st.busy -= share.cores;
      if (!job.own_power) st.sg_busy -= share.cores;
      if (job.capped)
        shift_host_cap(share.host, -static_cast<std::int64_t>(share.cores), -saving_w);
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
  return record;
}

}  // namespace mlcycle
