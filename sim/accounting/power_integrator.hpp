#pragma once
// The integrator of the meter (PowerMeter is the facade): which IT power each host, job and
// outside load draws now, and their energy and CO2e so far. Power changes only at events; each
// event integrates the past at the old power, then switches ("integrate the past, then
// switch"), so every total is exact at event boundaries. It also keeps each site's IT power by
// phase and by source, and hands out the exact integrals of the site's signals over an
// interval: the trace binner and the run statistics turn those into bins and totals.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/host_power.hpp"
#include "accounting/run_records.hpp"
#include "scenario/power_cap_spec.hpp"
#include "workload/cap_schedule.hpp"
#include "workload/job.hpp"

namespace mlcycle {

// The meter's state of a started job. The job itself (its request and its GPUs) has one home,
// the caller's JobStart, which every call about the job passes along: a copy here would double
// the memory a running job touches, and a 100,000-GPU run keeps 100,000 of them.
struct ActiveJob {
  // Own-power jobs integrate per site, not per host share (a serving reservation may span a
  // hundred nodes and change power every minute); hosts get their part when the job ends.
  struct SitePiece {
    std::uint32_t site = 0;
    std::uint32_t cores = 0;
    double busy_w = 0;  // its GPUs' busy power, which the hosts' own state counts
    double it_energy_j = 0, energy_j = 0, co2_g = 0;
  };
  double start_s = 0;
  // Jobs draw their GPUs' busy power unless set_job_power() gives them their own (serving).
  bool own_power = false;
  bool capped = false;    // its campaign's GPU power cap holds now (gpu_power_cap.hpp)
  double it_power_w = 0;  // the job's IT power now (all shares)
  double since_s = 0;     // start of the piece not yet added below
  double it_energy_j = 0;
  double energy_j = 0;
  double co2_g = 0;
  std::vector<SitePiece> sites;  // own-power jobs only
};

enum class HostPowerState : std::uint8_t { on, off, booting, down };

// IT watts drawn at one site now, in total, per phase and per source.
struct SitePower {
  double total_it_w = 0;
  std::array<double, kPhaseCount> phase_it_w{};
  // Job shares running per phase: when the last one ends, its watts are exactly zero again
  // (a sum of += and -= of different powers would leave rounding crumbs behind).
  std::array<std::uint64_t, kPhaseCount> phase_shares{};
  std::vector<double> tag_it_w;  // per source (campaign or deployment), same rule
  std::vector<std::uint64_t> tag_shares;
};

// One site over an interval in which its IT power is constant: the power and the exact
// integrals of its signals, per IT watt.
struct SiteInterval {
  std::uint32_t site = 0;
  const SitePower* power = nullptr;
  double pue_s = 0;             // integral of PUE(t) dt: facility J per IT watt
  double g_per_w = 0;           // integral of PUE x intensity / 3.6e6: CO2e g per IT watt
  double marginal_g_per_w = 0;  // the same with marginal intensity (NaN: no marginal signal)
  double idle_it_w = 0;         // total IT power less every phase's jobs and loads
};

// A host's power state changed: what it was, and for how long it held.
struct HostStateChange {
  HostPowerState from = HostPowerState::on;
  HostPowerState to = HostPowerState::on;
  double held_s = 0;
};

class PowerIntegrator {
 public:
  struct LoadTotals {
    double it_energy_j = 0, energy_j = 0, co2_g = 0;
  };

  PowerIntegrator(std::vector<HostPowerModel> hosts, const FacilitySites& sites);

  // Per-source power series: `tags` sources (campaigns, then deployments). Before any start.
  void set_tags(std::size_t tags);
  // Per campaign, the power cap on its jobs' GPUs (none: busy power). Before any start.
  void set_power_caps(std::vector<std::optional<PowerCapSpec>> caps);
  double now_s() const { return now_s_; }
  // Moves the clock; the caller has taken the interval's integrals (site_intervals) first.
  void set_now_s(double time_s) { now_s_ = time_s; }
  const std::vector<HostPowerModel>& hosts() const { return hosts_; }
  const std::vector<SitePower>& site_power() const { return site_power_; }
  // The sites drawing power over [t0_s, t1_s] (power constant on it), with their integrals.
  // Valid until the next call.
  const std::vector<SiteInterval>& site_intervals(double t0_s, double t1_s);

  // Every call about a job passes the JobStart it was started with, unchanged (but for
  // cap_engaged) until its end_job.
  ActiveJob start_job(const JobStart& start, bool own_power);
  void set_job_power(const JobStart& start, ActiveJob& job, double it_power_w);
  // carbon-cap: the job's cap engages or releases now (its campaign has a cap).
  void set_job_capped(const JobStart& start, ActiveJob& job, bool capped);
  // The job's record up to now, every field but the cost; its power leaves hosts and sites.
  JobRecord end_job(const JobStart& start, ActiveJob& job, JobStatus status);
  double job_co2_g(const JobStart& start, const ActiveJob& job, double t0_s, double t1_s) const;
  // The same for a carbon-cap job, whose power followed `schedule` over the span (its cap on
  // or off), rather than its power now.
  double job_co2_g(const JobStart& start, const ActiveJob& job, double t0_s, double t1_s,
                   const CapSchedule& schedule) const;
  double share_it_power_w(const HostShare& share) const {
    return share.cores * busy_gpu_w_[share.host];
  }
  // A share of `job` (an ordinary job): its GPUs' busy power, or their capped power.
  double job_share_it_power_w(const JobStart& start, const ActiveJob& job,
                              const HostShare& share) const {
    if (!job.capped) return share_it_power_w(share);
    return share.cores * (busy_gpu_w_[share.host] - cap_saving_per_gpu_w(start, share.host));
  }

  HostStateChange set_host_state(std::uint32_t host, HostPowerState state);
  HostPowerState host_state(std::uint32_t host) const { return state_[host].state; }
  // The host's energies up to now (it was last visited now: finish() visits every host).
  HostTotals host_totals(std::uint32_t host) const;

  std::uint32_t add_load(std::uint32_t site, Phase phase, std::uint32_t tag);
  void set_load_power(std::uint32_t load, double it_power_w);
  LoadTotals load_totals(std::uint32_t load);  // integrated up to now
  std::size_t loads() const { return loads_.size(); }
  Phase load_phase(std::uint32_t load) const { return loads_.at(load).phase; }

 private:
  struct HostState {
    HostPowerState state = HostPowerState::on;
    std::uint32_t busy = 0;     // GPUs held by jobs
    std::uint32_t sg_busy = 0;  // of which SimGrid sees loaded (ordinary jobs)
    double last_s = 0;
    double state_since_s = 0;
    double it_energy_j = 0;
    double energy_j = 0;  // facility
    double simgrid_model_j = 0;
  };
  struct Load {
    std::uint32_t site = 0;
    Phase phase = Phase::inference;
    std::uint32_t tag = 0;
    double it_power_w = 0;
    double since_s = 0;
    LoadTotals totals;
  };

  // A host's GPUs under a power cap (kept apart from HostState, which every job start and end
  // touches: a run without caps has none).
  struct HostCap {
    std::uint32_t gpus = 0;  // busy GPUs under a cap
    double saving_w = 0;     // their watts below busy power (exactly 0 when none)
  };
  double cap_saving_per_gpu_w(const JobStart& start, std::uint32_t host) const;
  double host_cap_saving_w(std::uint32_t host) const {
    return host_caps_.empty() ? 0.0 : host_caps_[host].saving_w;
  }
  // Moves `gpus` capped GPUs saving `saving_w` onto (positive) or off (negative) the host.
  void shift_host_cap(std::uint32_t host, std::int64_t gpus, double saving_w);
  double host_it_power_w(const HostState& st, const HostPowerModel& h, double cap_saving_w) const;
  double host_simgrid_power_w(const HostState& st, const HostPowerModel& h,
                              double cap_saving_w) const;
  // Integrates the host up to now, then applies `change` and updates its site's power.
  template <class Change>
  void change_host(std::uint32_t host, Change change);
  void add_phase_power(std::uint32_t site, Phase phase, std::uint32_t tag, double delta_w,
                       int shares);
  void accumulate_job(const JobStart& start, ActiveJob& job);
  void accumulate_load(Load& load);

  std::vector<HostPowerModel> hosts_;
  // Per host, what every job start and end reads, packed apart from the models (whose names
  // and other fields would spread them over many more cache lines).
  std::vector<double> busy_gpu_w_;        // busy_gpu_it_power_w()
  std::vector<std::uint32_t> host_site_;  // HostPowerModel::site
  std::vector<HostState> state_;
  const FacilitySites& sites_;
  std::vector<SitePower> site_power_;
  std::vector<Load> loads_;
  std::vector<std::optional<PowerCapSpec>> caps_;  // per campaign
  std::vector<HostCap> host_caps_;                 // per host; empty without caps
  std::vector<SiteInterval> intervals_;            // scratch of site_intervals()
  std::size_t tags_ = 0;
  double now_s_ = 0;
};

}  // namespace mlcycle
