#include "scenario/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/duration.hpp"
#include "core/limits.hpp"
#include "core/units.hpp"
#include "scenario/campaign_reader.hpp"
#include "scenario/cluster_reader.hpp"
#include "scenario/deployment_reader.hpp"
#include "scenario/grid_spec_reader.hpp"
#include "scenario/hardware_reader.hpp"
#include "scenario/llm_reader.hpp"
#include "scenario/overrides.hpp"
#include "scenario/power_cap_reader.hpp"
#include "scenario/replay_reader.hpp"
#include "scenario/stage_reader.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

namespace {

UtcTime read_start(TomlTableReader& sim) {
  const toml::node* n = sim.node("start");
  if (!n)
    throw sim.error_here("missing key 'start' (a UTC date-time such as 2020-01-01T00:00:00Z)");
  if (n->is_date()) {
    const toml::date d = n->as_date()->get();
    return make_utc(d.year, d.month, d.day, 0, 0, 0);
  }
  const toml::date_time v = *sim.date_time("start");
  if (!v.offset)
    throw sim.error_at("start", "needs a UTC offset (write 2020-01-01T00:00:00Z, not local time)");
  UtcTime t =
      make_utc(v.date.year, v.date.month, v.date.day, v.time.hour, v.time.minute, v.time.second);
  t.unix_s -= static_cast<std::int64_t>(v.offset->minutes) * 60;
  return t;
}

SimulationSpec read_simulation(TomlTableReader& root, const std::filesystem::path& base_dir) {
  const toml::table* table = root.table("simulation");
  if (!table) throw root.error_here("missing table [simulation]");
  TomlTableReader sim(*table, "simulation", root.file());
  SimulationSpec spec;
  spec.start = read_start(sim);
  if (auto horizon = sim.duration_s("horizon")) {
    if (*horizon <= 0) throw sim.error_at("horizon", "must be greater than zero");
    spec.horizon_s = *horizon;
  }
  if (auto seed = sim.integer("seed")) {
    if (*seed < 0) throw sim.error_at("seed", "must not be negative");
    spec.seed = static_cast<std::uint64_t>(*seed);
  }
  // Optional: fleets need no cluster (build_scenario checks that nothing else does).
  if (auto platform = sim.string("platform")) {
    std::filesystem::path platform_path(*platform);
    if (platform_path.is_relative()) platform_path = base_dir / platform_path;
    if (const std::string why = not_a_file(platform_path); !why.empty())
      throw sim.error_at("platform", why);
    spec.platform_path = platform_path.lexically_normal().string();
  }
  if (auto engine = sim.string("engine")) {
    const std::optional<EngineMode> mode = parse_enum<EngineMode>(*engine);
    if (!mode) throw sim.error_at("engine", not_one_of<EngineMode>(*engine));
    spec.engine = *mode;
  }
  sim.reject_unknown_keys();
  return spec;
}

AccountingSpec read_accounting(TomlTableReader& root, const std::vector<PueProfileSpec>& profiles) {
  AccountingSpec spec;
  const toml::table* table = root.table("accounting");
  if (!table) return spec;
  TomlTableReader acc(*table, "accounting", root.file());
  if (const toml::node* pue = acc.node("pue"); pue && pue->is_string()) {
    spec.pue_profile = pue->as_string()->get();
    if (!std::any_of(profiles.begin(), profiles.end(),
                     [&](const PueProfileSpec& p) { return p.name == spec.pue_profile; }))
      throw acc.error_at("pue", "'" + spec.pue_profile + "' is not a [pue.<name>] profile");
  } else if (auto value = acc.number("pue")) {
    if (*value < 1.0) throw acc.error_at("pue", "a PUE is at least 1.0");
    spec.pue = *value;
  }
  spec.price_per_kwh = acc.non_negative_number("price_per_kwh", 0.0);
  spec.currency = acc.string("currency").value_or("USD");
  acc.reject_unknown_keys();
  return spec;
}

OutputSpec read_output(TomlTableReader& root, const SimulationSpec& simulation) {
  OutputSpec spec;
  const toml::table* table = root.table("output");
  if (!table) return spec;
  TomlTableReader out(*table, "output", root.file());
  if (auto step = out.duration_s("trace_step")) {
    if (*step < limits::kMinTraceStep_s) throw out.error_at("trace_step", "must be at least 1 s");
    spec.trace_step_s = *step;
    if (simulation.horizon_s && *simulation.horizon_s / *step > limits::kMaxTraceBins)
      throw out.error_at("trace_step",
                         "the horizon would need more than 10^8 trace bins: use a step of at "
                         "least " +
                             format_duration(*simulation.horizon_s / limits::kMaxTraceBins));
  }
  out.reject_unknown_keys();
  return spec;
}

Scenario build_scenario(toml::table& root_table, const std::string& path,
                        const std::vector<std::string>& overrides) {
  for (const std::string& assignment : overrides) apply_override(root_table, assignment);
  const std::filesystem::path base_dir = std::filesystem::path(path).parent_path();

  Scenario scenario;
  scenario.source_path = path;
  std::ostringstream text;
  text << root_table;
  scenario.effective_toml = text.str();

  TomlTableReader root(root_table, "", path);
  scenario.simulation = read_simulation(root, base_dir);
  scenario.grids = read_grid_regions(root, base_dir);
  scenario.pue_profiles = read_pue_profiles(root, base_dir);
  scenario.accounting = read_accounting(root, scenario.pue_profiles);
  scenario.output = read_output(root, scenario.simulation);
  const toml::array* campaigns = root.array("campaign");
  std::set<std::string> names;
  for (std::size_t i = 0; campaigns && i < campaigns->size(); ++i)
    scenario.campaigns.push_back(read_campaign(*campaigns->get(i), i, path, names));
  const toml::array* replays = root.array("replay");
  for (std::size_t i = 0; replays && i < replays->size(); ++i)
    scenario.campaigns.push_back(read_replay(*replays->get(i), i, path, base_dir, names));
  scenario.stages = read_stages(root, scenario.simulation.start);
  scenario.deployments = read_deployments(root, scenario.simulation.start, base_dir);
  if (scenario.campaigns.empty() && scenario.deployments.empty())
    throw root.error_here(
        "missing [[campaign]], [[replay]] or [[deployment]]: a scenario needs at least one of "
        "them");
  scenario.catalog = read_scenario_catalog(root);
  resolve_llm_gpus(scenario.deployments, scenario.catalog);
  const bool has_clusters = root.has("cluster");
  scenario.generated_platform_xml = read_generated_platform(root, scenario.catalog).xml;
  if (has_clusters && !scenario.simulation.platform_path.empty())
    throw root.error_at("cluster",
                        "give simulation.platform or [[cluster]] tables, not both (the clusters "
                        "make the platform)");
  const bool needs_cluster =
      !scenario.campaigns.empty() ||
      std::any_of(scenario.deployments.begin(), scenario.deployments.end(),
                  [](const DeploymentSpec& d) { return d.kind == DeploymentKind::serving; });
  if (needs_cluster && scenario.simulation.platform_path.empty() &&
      scenario.generated_platform_xml.empty())
    throw InputError(root.location_of_key("simulation"), "simulation",
                     "missing key 'platform' (path to a SimGrid platform XML; campaigns and "
                     "serving deployments run on its clusters) or [[cluster]] tables");
  scenario.scheduler = read_scheduler(root);
  scenario.cluster_power_caps = read_cluster_power_caps(root);
  scenario.cluster_hardware = read_cluster_hardware(root);
  check_stage_references(scenario);
  root.reject_unknown_keys();
  return scenario;
}

InputError parse_failure(const toml::parse_error& e, const std::string& path) {
  const auto& src = e.source();
  return InputError(
      SourceLocation{path, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)},
      "", "malformed TOML: " + std::string(e.description()));
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& path,
                            const std::vector<std::string>& overrides) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw parse_failure(e, path);
  }
  return build_scenario(root, path, overrides);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code unknown;  // a path the system cannot look up fails to open just below
  if (std::filesystem::is_directory(path, unknown))
    throw InputError(SourceLocation{path, 0, 0}, "", "is a directory, not a scenario file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, 0}, "", "cannot open the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario_text(text.str(), path, overrides);
}

}  // namespace mlcycle
