#include "scenario/power_cap_reader.hpp"

#include <cmath>
#include <string>

#include "scenario/intensity_reader.hpp"

namespace mlcycle {

namespace {

constexpr const char* kLimitForms =
    "a fraction of the GPU's busy power in (0, 1] (0.7 or \"70 %\") or watts per GPU "
    "(\"250 W\")";

// "250 W", "250W", "70 %", "70%": the number, then its unit.
void read_limit_string(TomlTableReader& t, const std::string& text, PowerCapSpec& spec) {
  std::size_t used = 0;
  double number = 0;
  try {
    number = std::stod(text, &used);
  } catch (const std::exception&) {
    throw t.error_at("limit", "'" + text + "' is not a power cap: use " + kLimitForms);
  }
  std::string unit = text.substr(used);
  unit.erase(0, unit.find_first_not_of(' '));
  unit.erase(unit.find_last_not_of(' ') + 1);
  if (!std::isfinite(number) || number <= 0)
    throw t.error_at("limit", "must be positive, got '" + text + "'");
  if (unit == "W") {
    spec.limit_w = number;
  } else if (unit == "%") {
    if (number > 100)
      throw t.error_at("limit",
                       "'" + text + "' is above the busy power: a cap is at most 100 % of it");
    spec.fraction = number / 100;
  } else {
    throw t.error_at("limit", "unit '" + unit + "' is not a power cap: use " + kLimitForms);
  }
}

}  // namespace

PowerCapSpec read_power_cap(TomlTableReader& t) {
  PowerCapSpec spec;
  if (!t.has("limit")) throw t.error_here(std::string("missing key 'limit': ") + kLimitForms);
  spec.where = t.location_of_key("limit");
  const toml::node* n = t.node("limit");
  if (n->is_number()) {
    const double fraction = *n->value<double>();
    if (!std::isfinite(fraction) || fraction <= 0) throw t.error_at("limit", "must be positive");
    if (fraction > 1)
      throw t.error_at("limit",
                       "a fraction above 1 is above the busy power: give a fraction in "
                       "(0, 1], or watts per GPU as a string (\"250 W\")");
    spec.fraction = fraction;
  } else if (n->is_string()) {
    read_limit_string(t, n->as_string()->get(), spec);
  } else {
    throw t.error_at("limit",
                     std::string("expected ") + kLimitForms + ", got " + toml_type_name(*n));
  }
  if (auto policy = t.string("policy")) {
    const std::optional<CapPolicy> parsed = parse_enum<CapPolicy>(*policy);
    if (!parsed) throw t.error_at("policy", not_one_of<CapPolicy>(*policy, true));
    spec.policy = *parsed;
  }
  const bool carbon_cap = spec.policy == CapPolicy::carbon_cap;
  if (carbon_cap && !t.has("threshold"))
    throw t.error_here(
        "missing key 'threshold': carbon-cap caps while the intensity is above it (g/kWh)");
  if (!carbon_cap && t.has("threshold"))
    throw t.error_at("threshold", "applies to policy = \"carbon-cap\" only");
  if (carbon_cap) spec.threshold_g_per_kwh = read_intensity_g_per_kwh(t, "threshold");
  t.reject_unknown_keys();
  return spec;
}

std::vector<ClusterPowerCap> read_cluster_power_caps(TomlTableReader& root) {
  std::vector<ClusterPowerCap> caps;
  const toml::table* table = root.table("power_cap");
  if (!table) return caps;
  for (const auto& [name, value] : *table) {
    const std::string key = "power_cap." + std::string(name.str());
    if (!value.is_table())
      throw InputError(toml_location(value, root.file()), key,
                       "expected a table (a cluster's cap: [power_cap.<cluster>] limit = ...)");
    TomlTableReader t(*value.as_table(), key, root.file());
    caps.push_back(ClusterPowerCap{std::string(name.str()), read_power_cap(t),
                                   toml_location(value, root.file())});
  }
  return caps;
}

}  // namespace mlcycle
