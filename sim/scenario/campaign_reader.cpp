#include "scenario/campaign_reader.hpp"

#include <cstdint>

#include "core/limits.hpp"
#include "scenario/lifecycle_readers.hpp"
#include "scenario/placement_reader.hpp"
#include "scenario/power_cap_reader.hpp"
#include "scenario/search_reader.hpp"
#include "scenario/shift_reader.hpp"
#include "scenario/trial_length_reader.hpp"
#include "scenario/work_reader.hpp"

namespace mlcycle {

namespace {

// Larger gangs than any machine has; also keeps the count inside 32 bits.
constexpr std::uint64_t kMaxGpusPerTrial = 1'000'000;

void read_trials(TomlTableReader& c, CampaignSpec& spec, const std::string& key,
                 const std::string& file) {
  if (auto total = c.number("total_gpu_hours")) {
    if (*total <= 0) throw c.error_at("total_gpu_hours", "must be greater than zero");
    spec.total_gpu_hours = *total;
  }
  const bool has_length = c.has("length");
  if (c.has("work")) {
    for (const char* other : {"length", "total_gpu_hours"})
      if (c.has(other))
        throw c.error_at(other,
                         "the trials are sized by 'work': give 'work' or a length, not both");
    TomlTableReader w(*c.table("work"), key + ".work", file);
    spec.work = read_work(w);
    if (auto mfu = c.number("mfu")) {
      if (!(*mfu > 0 && *mfu <= 1)) throw c.error_at("mfu", "must be within (0, 1]");
      spec.work->mfu = mfu;
    }
    spec.work->mfu_where = c.location_of_key("mfu");
    if (auto trials = c.integer("trials")) {
      if (*trials <= 0) throw c.error_at("trials", "must be a positive integer");
      if (static_cast<std::uint64_t>(*trials) > limits::kMaxTrials)
        throw c.error_at("trials", "is out of range: at most 10^12 trials per campaign");
      spec.trials = static_cast<std::uint64_t>(*trials);
    }
    return;  // one training run by default
  }
  if (c.has("mfu")) throw c.error_at("mfu", "applies to trials sized by 'work'");
  if (has_length) {
    TomlTableReader l(*c.table("length"), key + ".length", file);
    spec.length = read_trial_length(l);
  } else if (!spec.total_gpu_hours) {
    throw c.error_here("give the trial length as 'length = {...}' or a 'total_gpu_hours' to split");
  }
  if (auto trials = c.integer("trials")) {
    if (*trials <= 0) throw c.error_at("trials", "must be a positive integer");
    if (static_cast<std::uint64_t>(*trials) > limits::kMaxTrials)
      throw c.error_at("trials", "is out of range: at most 10^12 trials per campaign");
    spec.trials = static_cast<std::uint64_t>(*trials);
  } else if (has_length && spec.length.distribution == LengthDistribution::list) {
    spec.trials = spec.length.list.size();
  } else {
    throw c.error_here("missing key 'trials'");
  }
}

void read_search_campaign(TomlTableReader& c, CampaignSpec& spec, const std::string& key,
                          const std::string& file) {
  for (const char* other : {"length", "trials", "total_gpu_hours", "work"})
    if (c.has(other))
      throw c.error_at(other,
                       "a search campaign's trials are its configurations and their budgets: "
                       "give them in 'search'");
  TomlTableReader s(*c.table("search"), key + ".search", file);
  spec.search = read_search(s, key + ".search");
}

void read_scheduling(TomlTableReader& c, CampaignSpec& spec) {
  if (auto limit = c.integer("max_concurrent")) {
    if (*limit <= 0 || *limit > UINT32_MAX)
      throw c.error_at("max_concurrent",
                       "must be a positive integer below 2^32 (omit for no limit)");
    spec.max_concurrent = static_cast<std::uint32_t>(*limit);
  }
  if (auto submit = c.duration_s("submit_at")) {
    if (*submit < 0) throw c.error_at("submit_at", "must not be negative");
    spec.submit_s = *submit;
  }
  if (auto priority = c.integer("priority")) spec.priority = *priority;
  if (auto walltime = c.duration_s("walltime")) {
    if (*walltime <= 0) throw c.error_at("walltime", "must be greater than zero");
    spec.walltime_s = *walltime;
  }
  if (auto factor = c.number("walltime_factor")) {
    if (spec.walltime_s)
      throw c.error_at("walltime_factor", "give 'walltime' or a factor, not both");
    if (*factor < 1)
      throw c.error_at("walltime_factor", "a request is at least the run time (>= 1)");
    spec.walltime_factor = *factor;
  }
  if (auto step = c.duration_s("step_time")) {
    if (*step <= 0) throw c.error_at("step_time", "must be greater than zero");
    spec.step_s = *step;
  }
  spec.gradient_mb = c.non_negative_number("gradient_mb", 0);
  if (spec.gradient_mb > 0 && spec.step_s == 0)
    throw c.error_at("gradient_mb", "needs 'step_time', the compute time of one training step");
}

}  // namespace

void read_campaign_identity(TomlTableReader& r, CampaignSpec& spec, const std::string& default_name,
                            std::set<std::string>& names, const std::string& earlier) {
  spec.name = r.string("name").value_or(default_name);
  if (spec.name.empty()) throw r.error_at("name", "must not be empty");
  if (!names.insert(spec.name).second)
    throw r.error_at("name", "'" + spec.name + "' is used by an earlier " + earlier);
  if (auto phase = r.string("phase")) {
    const std::optional<Phase> parsed = parse_enum<Phase>(*phase);
    if (!parsed) throw r.error_at("phase", not_one_of<Phase>(*phase));
    spec.phase = *parsed;
  }
  spec.cluster = r.string("cluster").value_or("");
  spec.cluster_where = r.location_of_key("cluster");
}

CampaignSpec read_campaign(const toml::node& node, std::size_t index, const std::string& file,
                           std::set<std::string>& names) {
  const std::string key = "campaign[" + std::to_string(index) + "]";
  if (!node.is_table()) throw InputError(toml_location(node, file), key, "expected a table");
  TomlTableReader c(*node.as_table(), key, file);
  CampaignSpec spec;
  spec.where = toml_location(node, file);
  read_campaign_identity(c, spec, "campaign-" + std::to_string(index), names, "campaign");
  spec.gpus_where = c.location_of_key("gpus_per_trial");
  const std::uint64_t gpus = c.positive_integer("gpus_per_trial", 1);
  if (gpus > kMaxGpusPerTrial)
    throw c.error_at("gpus_per_trial", "at most " + std::to_string(kMaxGpusPerTrial));
  spec.gpus_per_trial = static_cast<std::uint32_t>(gpus);
  spec.stage = c.string("stage").value_or("");
  spec.stage_where = c.location_of_key("stage");
  if (c.has("search"))
    read_search_campaign(c, spec, key, file);
  else
    read_trials(c, spec, key, file);
  if (c.has("arrival") && spec.search)
    throw c.error_at("arrival",
                     "a search submits trials as workers free up: arrivals apply to independent "
                     "trials");
  if (c.has("trials_per_arrival") && !c.has("arrival"))
    throw c.error_at("trials_per_arrival", "needs 'arrival' (all trials arrive at once without)");
  if (c.has("arrival")) {
    TomlTableReader a(*c.table("arrival"), key + ".arrival", file);
    spec.arrival = read_arrival(a);
  }
  if (auto per = c.integer("trials_per_arrival")) {
    if (*per <= 0 || *per > UINT32_MAX) throw c.error_at("trials_per_arrival", "must be positive");
    spec.trials_per_arrival = static_cast<std::uint32_t>(*per);
  }
  if (c.has("failures")) {
    TomlTableReader f(*c.table("failures"), key + ".failures", file);
    spec.failures = read_failures(f);
  }
  read_scheduling(c, spec);
  if (c.has("shift")) {
    TomlTableReader t(*c.table("shift"), key + ".shift", file);
    spec.shift = read_shift(t);
    if (spec.shift->policy == ShiftPolicy::suspend_resume && spec.search)
      throw t.error_at("policy",
                       "suspend-resume applies to independent trials (a search's rungs are "
                       "already checkpointed steps)");
    if (spec.shift->policy == ShiftPolicy::forecast_min && spec.search &&
        !spec.shift->expected_length_s)
      throw t.error_here(
          "missing key 'expected_length': a search's jobs have no common length to plan with");
  }
  if (c.has("power_cap")) {
    TomlTableReader t(*c.table("power_cap"), key + ".power_cap", file);
    spec.power_cap = read_power_cap(t);
    if (spec.power_cap->policy == CapPolicy::carbon_cap && spec.shift &&
        spec.shift->policy == ShiftPolicy::suspend_resume)
      throw t.error_at("policy",
                       "carbon-cap and a suspend-resume shift both act while the grid is dirty: "
                       "use one");
  }
  read_placement(c, spec, key, file);
  c.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
