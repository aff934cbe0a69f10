#pragma once
// The typed scenario: everything a run needs, validated once at load time. After loading,
// nothing looks a setting up by string.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "scenario/arrival_spec.hpp"
#include "scenario/deployment_spec.hpp"
#include "scenario/failure_spec.hpp"
#include "scenario/grid_spec.hpp"
#include "scenario/hardware_catalog.hpp"
#include "scenario/hardware_spec.hpp"
#include "scenario/phase.hpp"
#include "scenario/placement_spec.hpp"
#include "scenario/power_cap_spec.hpp"
#include "scenario/replay_spec.hpp"
#include "scenario/search_spec.hpp"
#include "scenario/shift_spec.hpp"
#include "scenario/work_spec.hpp"

namespace mlcycle {

enum class EngineMode {
  analytic,  // one scheduler actor advances SimGrid's clock event to event; power from the model
  exec,      // every job is a SimGrid exec on its hosts; the host energy plugin cross-checks
};
// `engine = ...` of [simulation], and the run's attribute in the trace and summaries.
inline constexpr EnumName<EngineMode> kEngineModeNames[] = {{EngineMode::analytic, "analytic"},
                                                            {EngineMode::exec, "exec"}};
constexpr std::span<const EnumName<EngineMode>> enum_names(EngineMode) {
  return kEngineModeNames;
}

struct SimulationSpec {
  UtcTime start;
  std::optional<double> horizon_s;  // none: run until every job has finished
  std::uint64_t seed = 1;
  std::string platform_path;  // resolved against the scenario file's directory; empty: none
                              // (allowed when no campaign or serving deployment needs a cluster)
  EngineMode engine = EngineMode::analytic;
};

// A datacenter PUE over time: constant, 12 monthly or 24 hourly (UTC hour of day) values, or a
// CSV trace (timestamp,pue).
struct PueProfileSpec {
  std::string name;
  enum class Kind { constant, monthly, hourly, trace } kind = Kind::constant;
  std::vector<double> values;
  std::string file;
  std::string time_column = "timestamp";
  std::string value_column = "pue";
  CoverageSpec coverage;
  SourceLocation where;
};

struct AccountingSpec {
  // Overrides every host's `pue` property when set: a number or a [pue.<name>] profile.
  std::optional<double> pue;
  std::string pue_profile;
  double price_per_kwh = 0;  // electricity price per facility kWh, in `currency`
  std::string currency = "USD";
};

enum class LengthDistribution { fixed, uniform, lognormal, list };
inline constexpr EnumName<LengthDistribution> kLengthDistributionNames[] = {
    {LengthDistribution::fixed, "fixed"},
    {LengthDistribution::uniform, "uniform"},
    {LengthDistribution::lognormal, "lognormal"},
    {LengthDistribution::list, "list"}};
constexpr std::span<const EnumName<LengthDistribution>> enum_names(LengthDistribution) {
  return kLengthDistributionNames;
}

struct TrialLengthSpec {
  LengthDistribution distribution = LengthDistribution::fixed;
  double hours = 1;          // fixed
  double min_hours = 0;      // uniform bounds; for lognormal, optional clamp (0: none)
  double max_hours = 0;      // 0 for lognormal: no upper clamp
  double mu = 0;             // lognormal: mean of log(hours)
  double sigma = 0;          // lognormal: standard deviation of log(hours)
  std::vector<double> list;  // list: hours of trial i is list[i % size]
};

struct CampaignSpec {
  std::string name;
  Phase phase = Phase::experimentation;
  std::string cluster;  // empty: the platform's only cluster (or the first of `clusters`)
  // Spatial shifting: two or more clusters a job may be placed on (empty: `cluster` alone);
  // `cluster` is then the first, where the campaign's data lives.
  std::vector<std::string> clusters;
  std::optional<PlacementSpec> placement;  // with `clusters`: how jobs are placed
  std::uint64_t trials = 1;
  std::uint32_t gpus_per_trial = 1;
  TrialLengthSpec length;
  std::optional<WorkSpec> work;  // sized by compute: `length` is set from it on the platform
  std::optional<double> total_gpu_hours;  // when set, lengths are scaled to sum to this
  std::uint32_t max_concurrent = 0;       // 0: no limit beyond the cluster's GPUs
  double submit_s = 0;                    // all trials are queued at this offset
  std::string stage;                      // the [[stage]] that runs it (empty: starts at submit_s)
  std::optional<SearchSpec> search;       // SH, ASHA or hyperband; none: independent trials
  std::optional<ArrivalSpec> arrival;     // none: every trial is queued at once
  std::uint32_t trials_per_arrival = 1;   // trials released by one arrival
  FailureSpec failures;
  std::int64_t priority = 0;  // higher goes first between campaigns on one cluster
  // Requested run time per job, for backfilling: a fixed walltime (jobs running longer are
  // killed at it) or a factor on the job's true run time.
  std::optional<double> walltime_s;
  double walltime_factor = 1;
  // Data-parallel jobs across nodes: compute time of one step and the gradient all-reduced
  // after it (0: no all-reduce modelled).
  double step_s = 0;
  double gradient_mb = 0;
  std::optional<ShiftSpec> shift;  // temporal shifting of its jobs; none: they start when ready
  std::optional<PowerCapSpec> power_cap;  // a GPU power cap on its jobs; none: uncapped
  // A [[replay]]: its jobs are a log's, `trials` of them once the log is read before the run.
  std::optional<ReplaySpec> replay;
  // Where the campaign and its platform-dependent keys are written, for errors found only once
  // the platform is loaded.
  SourceLocation where;
  SourceLocation cluster_where;
  SourceLocation gpus_where;
  SourceLocation stage_where;
};

// A stage of the project: its campaigns start when the stages it follows have finished (or at
// `start_s`), and again every `every_s` for `repeat` runs (periodic retraining).
struct StageSpec {
  std::string name;
  std::vector<std::string> after;
  std::optional<double> start_s;
  double every_s = 0;
  std::uint32_t repeat = 1;
  SourceLocation where;
  SourceLocation after_where;
};

enum class SchedulerPolicy { fifo, easy_backfill };
inline constexpr EnumName<SchedulerPolicy> kSchedulerPolicyNames[] = {
    {SchedulerPolicy::fifo, "fifo"}, {SchedulerPolicy::easy_backfill, "easy-backfill"}};
constexpr std::span<const EnumName<SchedulerPolicy>> enum_names(SchedulerPolicy) {
  return kSchedulerPolicyNames;
}

struct SchedulerSpec {
  SchedulerPolicy policy = SchedulerPolicy::fifo;
  std::optional<double> idle_off_s;  // switch a node off after this long idle; none: never
};

struct OutputSpec {
  double trace_step_s = 3600;
};

struct Scenario {
  std::string source_path;     // the scenario file as given
  std::string effective_toml;  // the scenario after --set overrides, as TOML text
  SimulationSpec simulation;
  std::vector<GridRegionSpec> grids;
  std::vector<PueProfileSpec> pue_profiles;
  AccountingSpec accounting;
  std::vector<CampaignSpec> campaigns;
  std::vector<StageSpec> stages;
  std::vector<DeploymentSpec> deployments;
  SchedulerSpec scheduler;
  OutputSpec output;
  std::vector<ClusterPowerCap> cluster_power_caps;  // [power_cap.<cluster>]
  std::vector<ClusterHardware> cluster_hardware;    // [hardware.<cluster>]
  HardwareCatalog catalog;                          // built in, plus [catalog] entries
  // The platform of the [[cluster]] tables, generated from the catalog (empty: none; then
  // simulation.platform names a file).
  std::string generated_platform_xml;
};

}  // namespace mlcycle
