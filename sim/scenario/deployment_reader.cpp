#include "scenario/deployment_reader.hpp"

#include <set>

#include "scenario/fleet_reader.hpp"
#include "scenario/power_cap_reader.hpp"
#include "scenario/routing_reader.hpp"
#include "scenario/serving_reader.hpp"

namespace mlcycle {

namespace {

void read_update(TomlTableReader& d, DeploymentSpec& spec, const std::string& key) {
  if (auto from = d.string("updates_from")) spec.stage_updates = *from;
  const toml::table* update = d.table("update");
  if (!update) return;
  if (spec.stage_updates.empty())
    throw d.error_at("update", "needs 'updates_from', the stage whose runs push updates");
  TomlTableReader u(*update, key + ".update", d.file());
  spec.update_active_w = u.non_negative_number("active_w", -1);
  spec.update_idle_w = u.non_negative_number("idle_w", -1);
  u.reject_unknown_keys();
}

DeploymentSpec read_deployment(const toml::node& node, std::size_t index, const UtcTime& start,
                               const std::filesystem::path& base_dir, const std::string& file,
                               std::set<std::string>& names) {
  const std::string key = "deployment[" + std::to_string(index) + "]";
  if (!node.is_table()) throw InputError(toml_location(node, file), key, "expected a table");
  TomlTableReader d(*node.as_table(), key, file);
  DeploymentSpec spec;
  spec.where = toml_location(node, file);
  spec.name = d.string("name").value_or("deployment-" + std::to_string(index));
  if (spec.name.empty()) throw d.error_at("name", "must not be empty");
  if (!names.insert(spec.name).second)
    throw d.error_at("name", "'" + spec.name + "' is used by an earlier deployment");
  const std::string kind = d.string("kind").value_or("");
  if (kind.empty()) throw d.error_here("missing key 'kind' (serving or fleet)");
  const std::optional<DeploymentKind> parsed = parse_enum<DeploymentKind>(kind);
  if (!parsed) throw d.error_at("kind", not_one_of<DeploymentKind>(kind));
  spec.kind = *parsed;
  spec.after = d.string("after").value_or("");
  if (d.has("start_at") && !spec.after.empty())
    throw d.error_at("start_at", "give 'after' (a stage) or 'start_at', not both");
  spec.start_s = d.offset_s("start_at", start).value_or(0);
  auto duration = d.duration_s("duration");
  if (!duration) throw d.error_here("missing key 'duration' (how long the deployment runs)");
  if (*duration <= 0) throw d.error_at("duration", "must be greater than zero");
  spec.duration_s = *duration;
  spec.cluster_where = d.location_of_key("cluster");
  spec.after_where = d.location_of_key("after");
  spec.updates_where = d.location_of_key("updates_from");
  spec.region_where = d.location_of_key("region");
  if (spec.kind == DeploymentKind::serving) {
    spec.cluster = d.string("cluster").value_or("");
    read_serving(d, spec.serving, base_dir);
    if (d.has("power_cap")) {
      TomlTableReader t(*d.table("power_cap"), key + ".power_cap", file);
      spec.serving.power_cap = read_power_cap(t);
    }
    read_routing(d, spec, key, file);
    spec.max_replicas_where = spec.where;
    if (const toml::table* autoscaler = d.table("autoscaler")) {
      TomlTableReader a(*autoscaler, key + ".autoscaler", file);
      spec.max_replicas_where = a.location_of_key("max_replicas");
    }
  } else {
    if (d.has("power_cap"))
      throw d.error_at("power_cap", "applies to serving deployments (a fleet's GPUs are on board)");
    spec.region = d.string("region").value_or("");
    read_update(d, spec, key);
    read_fleet(d, spec.fleet);
  }
  d.reject_unknown_keys();
  return spec;
}

}  // namespace

std::vector<DeploymentSpec> read_deployments(TomlTableReader& root, const UtcTime& start,
                                             const std::filesystem::path& base_dir) {
  std::vector<DeploymentSpec> deployments;
  const toml::array* list = root.array("deployment");
  if (!list) return deployments;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list->size(); ++i)
    deployments.push_back(read_deployment(*list->get(i), i, start, base_dir, root.file(), names));
  return deployments;
}

}  // namespace mlcycle
