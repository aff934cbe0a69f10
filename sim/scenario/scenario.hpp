#pragma once
// The typed scenario: everything a run needs, validated once at load time. After loading,
// nothing looks a setting up by string.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "scenario/phase.hpp"

namespace mlcycle {

enum class EngineMode {
  analytic,  // one scheduler actor advances SimGrid's clock event to event; power from the model
  exec,      // every job is a SimGrid exec on its hosts; the host energy plugin cross-checks
};

struct SimulationSpec {
  UtcTime start;
  std::optional<double> horizon_s;  // none: run until every job has finished
  std::uint64_t seed = 1;
  std::string platform_path;  // resolved against the scenario file's directory
  EngineMode engine = EngineMode::analytic;
};

enum class GridKind { constant };

struct GridRegionSpec {
  std::string name;
  GridKind kind = GridKind::constant;
  double intensity_g_per_kwh = 0;
  SourceLocation where;
};

struct AccountingSpec {
  std::optional<double> pue;  // overrides every host's `pue` property when set
  double price_per_kwh = 0;   // electricity price per facility kWh, in `currency`
  std::string currency = "USD";
};

enum class LengthDistribution { fixed, uniform, lognormal, list };

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
  std::string cluster;  // empty: the platform's only cluster
  std::uint64_t trials = 1;
  std::uint32_t gpus_per_trial = 1;
  TrialLengthSpec length;
  std::optional<double> total_gpu_hours;  // when set, lengths are scaled to sum to this
  std::uint32_t max_concurrent = 0;       // 0: no limit beyond the cluster's GPUs
  double submit_s = 0;                    // all trials are queued at this offset
  // Where the campaign and its platform-dependent keys are written, for errors found only once
  // the platform is loaded.
  SourceLocation where;
  SourceLocation cluster_where;
  SourceLocation gpus_where;
};

struct OutputSpec {
  double trace_step_s = 3600;
};

struct Scenario {
  std::string source_path;     // the scenario file as given
  std::string effective_toml;  // the scenario after --set overrides, as TOML text
  SimulationSpec simulation;
  std::vector<GridRegionSpec> grids;
  AccountingSpec accounting;
  std::vector<CampaignSpec> campaigns;
  OutputSpec output;
};

}  // namespace mlcycle
