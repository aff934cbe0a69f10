#pragma once
// Exact energy, CO2e and cost accounting for piecewise-constant power.
// Power changes only when a job starts or ends; between two such events the meter integrates
// every region's facility power against the exact integral of its intensity signal, closing
// trace bins at their edges. Jobs draw constant power (see host_power.hpp), so a job's energy
// is power x duration and its CO2e is power x PUE x the intensity integral over its run; the
// trace series, the job totals and the hosts' energies are the same integrals grouped three
// ways, and agree to rounding.
#include <array>
#include <cstdint>
#include <vector>

#include "accounting/host_power.hpp"
#include "accounting/run_records.hpp"
#include "grid/grid_registry.hpp"
#include "workload/job.hpp"

namespace mlcycle {

struct ActiveJob {
  JobStart start;
  double start_s = 0;
};

class PowerMeter {
 public:
  PowerMeter(std::vector<HostPowerModel> hosts, const GridRegistry& grid, double price_per_kwh,
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
    double simgrid_model_j = 0;
  };
  struct RegionPower {  // facility (x PUE) and IT watts currently drawn in one region
    double total_fac_w = 0;
    double total_it_w = 0;
    std::array<double, kPhaseCount> phase_fac_w{};
    std::array<double, kPhaseCount> phase_it_w{};
  };

  void integrate(double t0_s, double t1_s);
  void set_busy(std::uint32_t host, std::uint32_t busy);
  void close_bin(double end_s);

  std::vector<HostPowerModel> hosts_;
  std::vector<HostState> state_;
  const GridRegistry& grid_;
  std::vector<RegionPower> regions_;
  double price_per_kwh_;
  double step_s_;
  RunRecorder& recorder_;

  double now_s_ = 0;
  std::uint64_t bin_index_ = 0;
  TraceBin bin_;
  RunSummary summary_;
  double idle_it_energy_j_ = 0;
  double busy_gpu_s_ = 0;
};

}  // namespace mlcycle
