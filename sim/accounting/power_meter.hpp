#pragma once
// Exact energy, CO2e and cost accounting for piecewise-constant power.
// IT power changes only at events: a job starts or ends, a serving job's power changes, a node
// switches off, boots or fails, a fleet's charging steps. Between two events the meter
// integrates each site's IT power against the exact integrals of its PUE(t) and
// PUE(t) x intensity(t) signals, closing trace bins at their edges; signals that step inside
// an interval need no event of their own. A job's facility energy is the sum over its
// constant-power pieces of IT power x the PUE integral, its CO2e the IT power x the carbon
// integral; the trace series, the job totals, the loads and the hosts' energies are the same
// integrals grouped differently, and agree to rounding.
#include <array>
#include <cstdint>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/host_power.hpp"
#include "accounting/run_records.hpp"
#include "workload/job.hpp"

namespace mlcycle {

struct ActiveJob {
  // Own-power jobs integrate per site, not per host share (a serving reservation may span a
  // hundred nodes and change power every minute); hosts get their part when the job ends.
  struct SitePiece {
    std::uint32_t site = 0;
    std::uint32_t cores = 0;
    double busy_w = 0;  // its GPUs' busy power, which the hosts' own state counts
    double it_energy_j = 0, energy_j = 0, co2_g = 0;
  };
  JobStart start;
  double start_s = 0;
  // Jobs draw their GPUs' busy power unless set_job_power() gives them their own (serving).
  bool own_power = false;
  double it_power_w = 0;  // the job's IT power now (all shares)
  double since_s = 0;     // start of the piece not yet added below
  double it_energy_j = 0;
  double energy_j = 0;
  double co2_g = 0;
  std::vector<SitePiece> sites;  // own-power jobs only
};

enum class HostPowerState : std::uint8_t { on, off, booting, down };

class PowerMeter {
 public:
  PowerMeter(std::vector<HostPowerModel> hosts, const FacilitySites& sites, double price_per_kwh,
             double trace_step_s, RunRecorder& recorder);

  double now_s() const { return now_s_; }
  double next_bin_edge_s() const { return static_cast<double>(bin_index_ + 1) * step_s_; }
  const std::vector<HostPowerModel>& hosts() const { return hosts_; }

  // Integrates from now to `time_s` (>= now) and emits every trace bin that closes on the way.
  void advance_to(double time_s);
  // `own_power`: the job's power is set by set_job_power (serving replicas), SimGrid runs no
  // exec for it; it starts at its GPUs' busy power.
  ActiveJob start_job(JobStart start, bool own_power = false);
  void set_job_power(ActiveJob& job, double it_power_w);
  // Closes the job's accounting; the caller completes and records the returned record.
  // A deployment's reservation (`counts_as_job` false) adds its energy and GPU-hours to its
  // phase, and counts as a deployment there, not as a job.
  JobRecord end_job(ActiveJob& job, JobStatus status, bool counts_as_job = true);
  // CO2e and facility energy a running or ended job drew in [t0_s, t1_s] at its power now.
  double job_co2_g(const ActiveJob& job, double t0_s, double t1_s) const;

  void set_host_state(std::uint32_t host, HostPowerState state);
  HostPowerState host_state(std::uint32_t host) const { return state_[host].state; }

  // A load drawn at a site outside the platform's hosts (a fleet's charging), phase-attributed;
  // it counts as a deployment of its phase.
  std::uint32_t add_load(std::uint32_t site, Phase phase, std::uint32_t tag);
  void set_load_power(std::uint32_t load, double it_power_w);
  struct LoadTotals {
    double it_energy_j = 0, energy_j = 0, co2_g = 0;
  };
  LoadTotals load_totals(std::uint32_t load);  // integrated up to now

  void set_queue_length(std::uint32_t cluster, std::uint64_t jobs);
  // Per-source trace series: jobs are tagged by their campaign index, deployments by
  // `campaigns + deployment index`. Call before anything starts (0 and 0: no such series).
  void set_sources(std::size_t campaigns, std::size_t deployments);
  void set_deployment_replicas(std::uint32_t deployment, double replicas);

  // Closes the last bin at `end_s` and returns the totals.
  RunSummary finish(double end_s, std::uint64_t jobs_pending);

  // IT power a share of GPUs draws in an ordinary job (constant while the job runs).
  double share_it_power_w(const HostShare& share) const {
    return share.cores * hosts_[share.host].busy_gpu_it_power_w();
  }

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
  struct SitePower {  // IT watts currently drawn at one site
    double total_it_w = 0;
    std::array<double, kPhaseCount> phase_it_w{};
    // Job shares running per phase: when the last one ends, its watts are exactly zero again
    // (a sum of += and -= of different powers would leave rounding crumbs behind).
    std::array<std::uint64_t, kPhaseCount> phase_shares{};
    std::vector<double> tag_it_w;  // per source (campaign or deployment), same rule
    std::vector<std::uint64_t> tag_shares;
    bool drew_power = false;
  };
  struct Load {
    std::uint32_t site = 0;
    Phase phase = Phase::inference;
    std::uint32_t tag = 0;
    double it_power_w = 0;
    double since_s = 0;
    LoadTotals totals;
  };

  double host_it_power_w(const HostState& st, const HostPowerModel& h) const;
  double host_simgrid_power_w(const HostState& st, const HostPowerModel& h) const;
  void integrate(double t0_s, double t1_s);
  void track_peak(double t0_s, double t1_s);
  void track_crossover(double t0_s, double t1_s, double lead_g);
  // Integrates the host up to now, then applies `change` and updates its site's power.
  template <class Change>
  void change_host(std::uint32_t host, Change change);
  void add_phase_power(std::uint32_t site, Phase phase, std::uint32_t tag, double delta_w,
                       int shares);
  void accumulate_job(ActiveJob& job);
  void accumulate_load(Load& load);
  void close_bin(double end_s);
  void new_bin();

  std::vector<HostPowerModel> hosts_;
  std::vector<HostState> state_;
  const FacilitySites& sites_;
  std::vector<SitePower> site_power_;
  std::vector<Load> loads_;
  double price_per_kwh_;
  double step_s_;
  RunRecorder& recorder_;

  double now_s_ = 0;
  std::uint64_t bin_index_ = 0;
  TraceBin bin_;
  RunSummary summary_;
  std::array<double, kSeriesCount> marginal_g_{};
  double inference_lead_g_ = 0;   // cumulative inference CO2e - (experimentation + training)
  bool development_led_ = false;  // the lead has been negative: a crossover is possible
  double idle_it_energy_j_ = 0;
  double busy_gpu_s_ = 0;
  std::vector<std::uint64_t> cluster_busy_;   // GPUs held per cluster
  std::vector<std::uint64_t> cluster_queue_;  // jobs waiting per cluster
  std::size_t tags_ = 0;
  std::size_t campaigns_ = 0;
  std::vector<double> replicas_;  // per deployment
};

}  // namespace mlcycle
