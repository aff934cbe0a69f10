#pragma once
// Plain records the simulation emits; sim/output writes them, sim/app prints them.
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "scenario/phase.hpp"
#include "workload/job.hpp"

namespace mlcycle {

struct JobRecord {
  std::uint64_t job_id = 0;
  std::uint32_t campaign = 0;
  Phase phase = Phase::experimentation;
  JobStatus status = JobStatus::completed;
  std::uint32_t host = 0;   // first (or only) host of the gang
  std::uint32_t nodes = 1;  // hosts the gang spans
  std::uint32_t gpus = 1;
  double submit_s = 0;
  double start_s = 0;
  double end_s = 0;
  double gpu_hours = 0;
  double it_energy_j = 0;
  double energy_j = 0;  // facility: IT x PUE
  double co2_g = 0;
  double cost = 0;
};

struct TraceBin {
  double time_s = 0;      // bin start
  double duration_s = 0;  // bin length (the last bin may be shorter)
  std::array<double, kSeriesCount> energy_j{};
  std::array<double, kSeriesCount> co2_g{};
  std::vector<double> region_energy_j;  // facility energy drawn in each grid region
  std::vector<double> region_co2_g;
  std::vector<double> region_intensity_g_per_kwh;  // time-mean of each region's intensity
};

struct SeriesTotals {
  std::uint64_t jobs = 0;
  double gpu_hours = 0;
  double it_energy_j = 0;
  double energy_j = 0;
  double co2_g = 0;
  double cost = 0;
  double co2_marginal_g = 0;  // with marginal intensities (NaN when a region has none)
};

struct HostTotals {
  std::string name;
  std::uint32_t cluster = 0;
  std::uint32_t gpus = 0;
  double it_energy_j = 0;
  double energy_j = 0;         // facility
  double simgrid_model_j = 0;  // the part SimGrid's energy plugin integrates (no overhead)
};

struct RunSummary {
  std::array<SeriesTotals, kSeriesCount> series{};  // phases, then idle
  SeriesTotals total;
  std::array<double, kSeriesCount> trace_energy_j{};  // the same, summed over trace bins
  std::array<double, kSeriesCount> trace_co2_g{};
  double peak_power_w = 0;            // facility, highest power held over a positive interval
  double makespan_s = 0;              // end of the simulated span
  double mean_utilization = 0;        // busy GPU-seconds / (GPUs x makespan)
  std::uint64_t jobs_pending = 0;     // never started (horizon reached first)
  std::uint64_t jobs_unfinished = 0;  // running at the horizon
  std::uint64_t total_gpus = 0;
  bool marginal_available = false;  // every site that drew power has a marginal signal
  // First time cumulative inference CO2e exceeds cumulative experimentation + training CO2e
  // (NaN: never within the run).
  double crossover_s = std::numeric_limits<double>::quiet_NaN();
  std::vector<HostTotals> hosts;
};

// Where the simulation sends its records as it runs.
class RunRecorder {
 public:
  virtual ~RunRecorder() = default;
  virtual void record_job(const JobRecord& job) = 0;
  virtual void record_bin(const TraceBin& bin) = 0;
};

}  // namespace mlcycle
