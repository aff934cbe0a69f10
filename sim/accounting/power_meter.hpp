#pragma once
// Exact energy, CO2e and cost accounting for piecewise-constant power.
// IT power changes only when a job starts or ends. Between two such events the meter integrates
// each site's IT power against the exact integrals of its PUE(t) and PUE(t) x intensity(t)
// signals, closing trace bins at their edges; signals that step inside an interval need no
// event of their own. Jobs draw constant IT power (see host_power.hpp), so a job's facility
// energy is its IT power x the PUE integral over its run and its CO2e the IT power x the
// carbon integral; the trace series, the job totals and the hosts' energies are the same
// integrals grouped three ways, and agree to rounding.
#include <array>
#include <cstdint>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/host_power.hpp"
#include "accounting/run_records.hpp"
#include "workload/job.hpp"

namespace mlcycle {

struct ActiveJob {
  JobStart start;
  double start_s = 0;
};

class PowerMeter {
 public:
  PowerMeter(std::vector<HostPowerModel> hosts, const FacilitySites& sites, double price_per_kwh,
             double trace_step_s, RunRecorder& recorder);

  double now_s() const { return now_s_; }
  double next_bin_edge_s() const { return static_cast<double>(bin_index_ + 1) * step_s_; }
  const std::vector<HostPowerModel>& hosts() const { return hosts_; }

  // Integrates from now to `time_s` (>= now) and emits every trace bin that closes on the way.
  void advance_to(double time_s);
  ActiveJob start_job(JobStart start);
  void end_job(const ActiveJob& job, JobStatus status);
  // Closes the last bin at `end_s` and returns the totals.
  RunSummary finish(double end_s, std::uint64_t jobs_pending);

  // IT power a share of GPUs draws (constant while the job runs).
  double share_it_power_w(const HostShare& share) const {
    return share.cores * hosts_[share.host].busy_gpu_it_power_w();
  }

 private:
  struct HostState {
    std::uint32_t busy = 0;
    double last_s = 0;
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
    bool drew_power = false;
  };

  void integrate(double t0_s, double t1_s);
  void track_peak(double t0_s, double t1_s);
  void track_crossover(double t0_s, double t1_s, double lead_g);
  void set_busy(std::uint32_t host, std::uint32_t busy);
  void close_bin(double end_s);
  void new_bin();

  std::vector<HostPowerModel> hosts_;
  std::vector<HostState> state_;
  const FacilitySites& sites_;
  std::vector<SitePower> site_power_;
  double price_per_kwh_;
  double step_s_;
  RunRecorder& recorder_;

  double now_s_ = 0;
  std::uint64_t bin_index_ = 0;
  TraceBin bin_;
  RunSummary summary_;
  std::array<double, kSeriesCount> marginal_g_{};
  double inference_lead_g_ = 0;  // cumulative inference CO2e - (experimentation + training)
  double idle_it_energy_j_ = 0;
  double busy_gpu_s_ = 0;
};

}  // namespace mlcycle
