#pragma once
// Plain records the simulation emits; sim/output writes them, sim/app prints them.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "scenario/phase.hpp"
#include "workload/job.hpp"
#include "workload/job_log.hpp"

namespace mlcycle {

struct JobRecord {
  std::uint64_t job_id = 0;
  std::uint32_t campaign = 0;
  Phase phase = Phase::experimentation;
  JobStatus status = JobStatus::completed;
  StopReason stop_reason = StopReason::completed;
  std::uint32_t stage = kNoStage;  // index of the [[stage]]; kNoStage: none
  std::uint32_t stage_run = 0;
  std::uint32_t attempt = 0;
  std::int32_t rung = -1;  // searches: the rung this job trained to
  std::uint64_t trial = 0;
  double score = std::numeric_limits<double>::quiet_NaN();  // searches: observed at budget_to
  double wait_s = 0;                                        // start - submit (includes node boot)
  double wasted_gpu_hours = 0;  // work a crash lost (redone by the retry, or never)
  double wasted_co2_g = 0;
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
  // Compute-sized campaigns (`work`): FLOPs the attempt computed, its achieved FLOP/s per GPU
  // over its run, and that over the accelerator's peak. NaN for other jobs.
  double flops = std::numeric_limits<double>::quiet_NaN();
  double flops_per_gpu_s = std::numeric_limits<double>::quiet_NaN();
  double mfu = std::numeric_limits<double>::quiet_NaN();
  double peak_flops = 0;  // GPUs x run time x peak: the campaign MFU's denominator (not written)
  // Replayed jobs: what their log says (none for every other job).
  std::optional<LoggedIdentity> logged;
};

// A deployment's rates while a serving step holds (zeros for fleets and outside its life). A
// trace bin integrates them: requests, tokens, and the latency sums its means come from.
struct DeploymentLevels {
  double replicas = 0;
  double busy_replicas = 0;  // replicas at work: served / one replica's capacity (activity)
  double served_per_s = 0;
  double late_per_s = 0;
  double input_tokens_per_s = 0;  // LLM services (0 for the others)
  double output_tokens_per_s = 0;
  double ttft_weighted = 0;  // served_per_s x the step's mean TTFT (0 when nothing is served)
  double tpot_weighted = 0;  // served_per_s x its TPOT
  double it_w = 0;           // the deployment's IT power, and its static part
  double static_w = 0;
};

struct TraceBin {
  double time_s = 0;      // bin start
  double duration_s = 0;  // bin length (the last bin may be shorter)
  std::array<double, kSeriesCount> energy_j{};
  std::array<double, kSeriesCount> co2_g{};
  std::vector<double> region_energy_j;  // facility energy drawn in each grid region
  std::vector<double> region_co2_g;
  std::vector<double> region_intensity_g_per_kwh;  // time-mean of each region's intensity
  std::vector<double> cluster_busy_gpus;           // time-mean GPUs held by jobs, per cluster
  std::vector<double> cluster_queue_jobs;          // time-mean jobs waiting, per cluster
  // Per source: the campaigns, then the deployments (empty when the meter has no sources).
  std::vector<double> source_energy_j;
  std::vector<double> source_co2_g;
  std::vector<double> deployment_replicas;  // time-mean replicas held (serving; 0 for fleets)
  // Per deployment, its levels integrated over the bin (DeploymentLevels x seconds).
  std::vector<DeploymentLevels> deployment_sums;
};

struct SeriesTotals {
  std::uint64_t jobs = 0;  // /jobs rows: a deployment is not a job
  double gpu_hours = 0;
  double it_energy_j = 0;
  double energy_j = 0;
  double co2_g = 0;
  double cost = 0;
  double co2_marginal_g = 0;      // with marginal intensities (NaN when a region has none)
  std::uint64_t deployments = 0;  // deployments that started in the phase (inference only)
};

struct HostTotals {
  std::string name;
  std::uint32_t cluster = 0;
  std::uint32_t gpus = 0;
  double it_energy_j = 0;
  double energy_j = 0;         // facility
  double simgrid_model_j = 0;  // the part SimGrid's energy plugin integrates (no overhead)
};

// Per [[campaign]], over all its runs (stages may run it several times).
struct CampaignResult {
  std::string name;
  Phase phase = Phase::experimentation;
  std::string stage;
  std::uint32_t runs = 0;
  std::uint64_t trials_started = 0;  // trials (configurations for searches) that ran at all
  std::uint64_t jobs = 0;            // attempts, rungs included
  std::uint64_t completed = 0;       // trials that reached their end (full budget for searches)
  std::uint64_t stopped_early = 0;   // searches: configurations not promoted to the full budget
  std::uint64_t failed = 0;          // trials that crashed with no retry left (or walltime)
  std::uint64_t crashes = 0;         // attempts ended by a crash or a node failure
  std::uint64_t unfinished = 0;      // running or queued when the run ended
  double gpu_hours = 0;
  double wasted_gpu_hours = 0;
  double energy_j = 0;  // facility
  double co2_g = 0;
  double wasted_co2_g = 0;
  double full_budget_gpu_hours = 0;  // counterfactual: every trial run to its full budget
  double saved_gpu_hours = 0;        // full_budget_gpu_hours - gpu_hours (searches)
  double best_score = std::numeric_limits<double>::quiet_NaN();
  double mean_wait_s = 0;
  double first_submit_s = std::numeric_limits<double>::quiet_NaN();
  double last_end_s = std::numeric_limits<double>::quiet_NaN();
  // Compute-sized campaigns: FLOPs computed by all its jobs, and achieved MFU (those FLOPs over
  // the peak FLOPs of the GPUs for their run time). NaN for other campaigns.
  double flops = std::numeric_limits<double>::quiet_NaN();
  double mfu = std::numeric_limits<double>::quiet_NaN();
  double peak_flops = 0;  // sum of GPUs x run time x peak, the MFU's denominator
};

// Per [[deployment]].
struct DeploymentResult {
  std::string name;
  std::string kind;                                           // serving | fleet
  double start_s = std::numeric_limits<double>::quiet_NaN();  // NaN: never started
  double end_s = std::numeric_limits<double>::quiet_NaN();
  double gpu_hours = 0;    // serving: the reserved GPUs x its duration (in its phase's GPU-hours)
  double it_energy_j = 0;  // serving: IT energy; fleet: grid-side (ev) or on-board (ice)
  double energy_j = 0;     // facility (x PUE) for serving; as it_energy_j for fleets
  double co2_g = 0;
  // serving
  double requests = 0, served = 0, dropped = 0, late = 0;
  // Served by replicas in a cluster other than the first (carbon-aware routing; not in
  // /deployments: the comparison's /policy reports it).
  double served_away = 0;
  double replica_hours = 0;
  std::uint32_t max_replicas = 0;
  std::uint32_t reserved_gpus = 0;  // max_replicas x replica.gpus, held for its whole life
  // GPU-hours the replicas spent serving: served / (requests per second of one replica) x its
  // GPUs. Against gpu_hours (the reservation): reserved_utilization counts the GPUs replicas
  // held (loaded or loading), activity_utilization the GPUs at work. NaN for fleets and in
  // files written before these fields.
  double busy_gpu_hours = std::numeric_limits<double>::quiet_NaN();
  double reserved_utilization = std::numeric_limits<double>::quiet_NaN();
  double activity_utilization = std::numeric_limits<double>::quiet_NaN();
  double wh_per_request = std::numeric_limits<double>::quiet_NaN();
  double co2_g_per_request = std::numeric_limits<double>::quiet_NaN();
  // Serving: the IT energy of the reservation's idle power (held replicas and parked slots),
  // drawn whatever the load; the rest of it_energy_j is dynamic.
  double static_energy_j = std::numeric_limits<double>::quiet_NaN();
  // LLM serving (NaN otherwise): tokens of the served requests, facility energy per output
  // token, and request-weighted time to first token and per output token (weighted
  // nearest-rank over steps and segments, workload/latency_tally.hpp).
  double input_tokens = std::numeric_limits<double>::quiet_NaN();
  double output_tokens = std::numeric_limits<double>::quiet_NaN();
  double j_per_output_token = std::numeric_limits<double>::quiet_NaN();
  double ttft_mean_s = std::numeric_limits<double>::quiet_NaN();
  double ttft_p50_s = std::numeric_limits<double>::quiet_NaN();
  double ttft_p90_s = std::numeric_limits<double>::quiet_NaN();
  double ttft_p99_s = std::numeric_limits<double>::quiet_NaN();
  double tpot_mean_s = std::numeric_limits<double>::quiet_NaN();
  double tpot_p50_s = std::numeric_limits<double>::quiet_NaN();
  double tpot_p90_s = std::numeric_limits<double>::quiet_NaN();
  double tpot_p99_s = std::numeric_limits<double>::quiet_NaN();
  // fleet
  double vehicles_end = 0, vehicle_days = 0, driving_hours = 0;
  double onboard_energy_j = 0, fuel_l = 0;
  std::uint32_t updates = 0;
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
  // First time cumulative inference CO2e, having been below cumulative experimentation +
  // training CO2e, exceeds it (docs/model.md). NaN when that never happens within the run: no
  // development, inference never behind (it led from the start), or never caught up.
  double crossover_s = std::numeric_limits<double>::quiet_NaN();
  std::vector<HostTotals> hosts;
  std::vector<CampaignResult> campaigns;
  std::vector<DeploymentResult> deployments;
  std::uint64_t node_boots = 0;
  double node_off_hours = 0;   // node-hours switched off (power states)
  double node_down_hours = 0;  // node-hours down after failures
  // Spatial shifting: jobs whose data moved to another cluster before they ran.
  std::uint64_t staged_jobs = 0;
  double data_moved_gb = 0;
  double staging_hours = 0;  // summed over those jobs (GPUs held, not computing)
};

// Where the simulation sends its records as it runs.
class RunRecorder {
 public:
  virtual ~RunRecorder() = default;
  virtual void record_job(const JobRecord& job) = 0;
  virtual void record_bin(const TraceBin& bin) = 0;
};

}  // namespace mlcycle
