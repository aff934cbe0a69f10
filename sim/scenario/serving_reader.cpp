#include "scenario/serving_reader.hpp"

#include <cmath>
#include <cstdint>
#include <optional>

#include "core/limits.hpp"
#include "scenario/demand_csv.hpp"
#include "scenario/llm_reader.hpp"

namespace mlcycle {

namespace {

// Larger than any cluster; keeps max_replicas x gpus inside 32 bits.
constexpr std::uint64_t kMaxGpus = 1'000'000;

template <std::size_t N>
void read_shape(TomlTableReader& t, std::string_view key, std::array<double, N>& out,
                const char* what) {
  const toml::array* values = t.array(key);
  if (!values) return;
  if (values->size() != N)
    throw t.error_at(key, "must have " + std::to_string(N) + " values (" + what + "), got " +
                              std::to_string(values->size()));
  for (std::size_t i = 0; i < N; ++i) {
    const toml::node& n = *values->get(i);
    const std::optional<double> v = n.value<double>();
    if (!n.is_number() || !v || !std::isfinite(*v) || *v < 0)
      throw InputError(toml_location(n, t.file()), t.path_of(key),
                       "every entry must be a non-negative number");
    out[i] = *v;
  }
}

void read_demand(TomlTableReader& d, DemandSpec& spec, const std::filesystem::path& base_dir) {
  const toml::table* table = d.table("demand");
  if (!table)
    throw d.error_here(
        "missing key 'demand' (demand = { base_rps = ... } or demand = { file = \"...\" })");
  TomlTableReader t(*table, d.path_of("demand"), d.file());
  if (auto file = t.string("file")) {
    for (const char* key : {"base_rps", "diurnal", "weekly", "utc_offset_hours"})
      if (t.has(key))
        throw t.error_at(key, "not used with 'file': the file gives the request rate");
    std::filesystem::path path(*file);
    if (path.is_relative()) path = base_dir / path;
    if (const std::string why = not_a_file(path); !why.empty()) throw t.error_at("file", why);
    spec.file = read_demand_csv(path.lexically_normal().string());
    spec.file.key = t.path_of("file");
    if (auto hold = t.string("hold")) {
      if (*hold != "edges")
        throw t.error_at("hold", "'" + *hold + "' is not supported (only \"edges\")");
      spec.file.hold_edges = true;
    }
  } else {
    if (t.has("hold")) throw t.error_at("hold", "only used with 'file'");
    if (!t.has("base_rps"))
      throw t.error_here("missing key 'base_rps' (requests per second) or 'file'");
    spec.base_rps = t.non_negative_number("base_rps", 0);
    read_shape(t, "diurnal", spec.diurnal, "one per local hour, 0 to 23");
    read_shape(t, "weekly", spec.weekly, "one per local weekday, Monday first");
    if (auto offset = t.number("utc_offset_hours")) {
      if (*offset < -24 || *offset > 24)
        throw t.error_at("utc_offset_hours", "must be between -24 and 24");
      spec.utc_offset_hours = *offset;
    }
  }
  if (auto growth = t.number("monthly_growth")) {
    if (*growth <= -1) throw t.error_at("monthly_growth", "must be greater than -1 (-100 %)");
    spec.monthly_growth = *growth;
  }
  spec.noise_sd = t.non_negative_number("noise_sd", 0);
  t.reject_unknown_keys();
}

std::uint32_t positive_count(TomlTableReader& t, std::string_view key, std::uint64_t fallback) {
  const std::uint64_t value = t.positive_integer(key, fallback);
  if (value > kMaxGpus) throw t.error_at(key, "at most " + std::to_string(kMaxGpus));
  return static_cast<std::uint32_t>(value);
}

void read_replica(TomlTableReader& d, ReplicaSpec& spec) {
  spec.key = d.path_of("replica");
  spec.where = d.location_of_key("replica");
  const toml::table* table = d.table("replica");
  if (!table) return;
  TomlTableReader t(*table, spec.key, d.file());
  spec.gpus = positive_count(t, "gpus", spec.gpus);
  spec.batch_size = positive_count(t, "batch_size", spec.batch_size);
  spec.latency_base_ms = t.non_negative_number("latency_base_ms", spec.latency_base_ms);
  spec.latency_per_item_ms = t.non_negative_number("latency_per_item_ms", spec.latency_per_item_ms);
  if (spec.latency_base_ms > limits::kMaxLatency_ms)
    throw t.error_at("latency_base_ms", "is out of range: at most 1e9 ms");
  if (spec.latency_per_item_ms > limits::kMaxLatency_ms)
    throw t.error_at("latency_per_item_ms", "is out of range: at most 1e9 ms");
  if (spec.latency_base_ms == 0 && spec.latency_per_item_ms == 0)
    throw t.error_here(
        "latency_base_ms and latency_per_item_ms are both zero: a replica's throughput would be "
        "infinite");
  if (t.has("idle_w")) spec.idle_w = t.non_negative_number("idle_w", 0);
  if (t.has("busy_w")) spec.busy_w = t.non_negative_number("busy_w", 0);
  if (spec.idle_w && spec.busy_w && *spec.busy_w < *spec.idle_w)
    throw t.error_at("busy_w", "must not be less than idle_w");
  t.reject_unknown_keys();
}

std::uint32_t replica_count(TomlTableReader& t, std::string_view key, std::uint32_t fallback) {
  auto value = t.integer(key);
  if (!value) return fallback;
  if (*value < 0) throw t.error_at(key, "must not be negative");
  if (static_cast<std::uint64_t>(*value) > kMaxGpus)
    throw t.error_at(key, "at most " + std::to_string(kMaxGpus));
  return static_cast<std::uint32_t>(*value);
}

double non_negative_duration(TomlTableReader& t, std::string_view key, double fallback) {
  auto value = t.duration_s(key);
  if (!value) return fallback;
  if (*value < 0) throw t.error_at(key, "must not be negative");
  return *value;
}

void read_autoscaler(TomlTableReader& t, AutoscalerSpec& spec) {
  if (auto target = t.number("target_utilization")) {
    if (*target <= 0 || *target > 1) throw t.error_at("target_utilization", "must be in (0, 1]");
    spec.target_utilization = *target;
  }
  spec.min_replicas = replica_count(t, "min_replicas", spec.min_replicas);
  spec.max_replicas = replica_count(t, "max_replicas", spec.max_replicas);
  if (spec.max_replicas == 0) throw t.error_at("max_replicas", "must be at least 1");
  if (spec.min_replicas > spec.max_replicas)
    throw t.error_at("min_replicas", "min replicas greater than max replicas (" +
                                         std::to_string(spec.min_replicas) + " > " +
                                         std::to_string(spec.max_replicas) + ")");
  spec.scale_up_delay_s = non_negative_duration(t, "scale_up_delay", spec.scale_up_delay_s);
  spec.scale_down_cooldown_s =
      non_negative_duration(t, "scale_down_cooldown", spec.scale_down_cooldown_s);
}

}  // namespace

void read_serving(TomlTableReader& d, ServingSpec& spec, const std::filesystem::path& base_dir) {
  if (auto step = d.duration_s("step")) {
    if (*step < limits::kMinServingStep_s) throw d.error_at("step", "must be at least 1 s");
    spec.step_s = *step;
  }
  if (d.has("latency_target_ms"))
    spec.latency_target_ms = d.positive_number("latency_target_ms", 0);
  read_demand(d, spec.demand, base_dir);
  read_replica(d, spec.replica);
  read_llm(d, spec, base_dir);
  const toml::table* autoscaler = d.table("autoscaler");
  std::optional<TomlTableReader> a;
  if (autoscaler) {
    a.emplace(*autoscaler, d.path_of("autoscaler"), d.file());
    read_autoscaler(*a, spec.autoscaler);
  }
  const std::uint64_t gpus = std::uint64_t{spec.autoscaler.max_replicas} * spec.replica.gpus;
  if (gpus > kMaxGpus) {
    const std::string what = "max_replicas x replica.gpus = " + std::to_string(gpus) +
                             " GPUs; at most " + std::to_string(kMaxGpus);
    throw a ? a->error_at("max_replicas", what) : d.error_at("replica", what);
  }
  if (a) a->reject_unknown_keys();
}

}  // namespace mlcycle
