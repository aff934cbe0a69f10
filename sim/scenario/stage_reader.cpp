#include "scenario/stage_reader.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/limits.hpp"

namespace mlcycle {

namespace {

StageSpec read_stage(const toml::node& node, std::size_t index, const std::string& file,
                     const UtcTime& start, std::set<std::string>& names) {
  const std::string key = "stage[" + std::to_string(index) + "]";
  if (!node.is_table()) throw InputError(toml_location(node, file), key, "expected a table");
  TomlTableReader t(*node.as_table(), key, file);
  StageSpec spec;
  spec.where = toml_location(node, file);
  auto name = t.string("name");
  if (!name || name->empty()) throw t.error_here("a stage needs a 'name'");
  spec.name = *name;
  if (!names.insert(spec.name).second)
    throw t.error_at("name", "'" + spec.name + "' is used by an earlier stage");
  spec.after_where = t.location_of_key("after");
  if (const toml::node* after = t.node("after")) {
    if (after->is_string()) {
      spec.after.push_back(after->as_string()->get());
    } else if (const toml::array* list = after->as_array()) {
      for (const toml::node& item : *list) {
        if (!item.is_string()) throw t.error_at("after", "expected stage names (strings)");
        spec.after.push_back(item.as_string()->get());
      }
    } else {
      throw t.error_at("after", "expected a stage name or a list of names");
    }
  }
  spec.start_s = t.offset_s("start_at", start);
  if (auto every = t.duration_s("every")) {
    if (*every <= 0) throw t.error_at("every", "must be greater than zero");
    spec.every_s = *every;
  }
  if (auto repeat = t.integer("repeat")) {
    if (*repeat <= 0 || *repeat > 1'000'000) throw t.error_at("repeat", "must be 1 to 1000000");
    if (spec.every_s == 0) throw t.error_at("repeat", "needs 'every' (the period between runs)");
    spec.repeat = static_cast<std::uint32_t>(*repeat);
    if (spec.start_s.value_or(0) + spec.every_s * static_cast<double>(spec.repeat - 1) >
        limits::kMaxDuration_s)
      throw t.error_at("repeat", std::string("the runs would start later than ") +
                                     limits::kMaxDurationText + " after the scenario start");
  } else if (spec.every_s > 0) {
    throw t.error_at("every", "needs 'repeat' (how many runs)");
  }
  t.reject_unknown_keys();
  return spec;
}

}  // namespace

std::vector<StageSpec> read_stages(TomlTableReader& root, const UtcTime& start) {
  std::vector<StageSpec> stages;
  const toml::array* list = root.array("stage");
  if (!list) return stages;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list->size(); ++i)
    stages.push_back(read_stage(*list->get(i), i, root.file(), start, names));
  return stages;
}

SchedulerSpec read_scheduler(TomlTableReader& root) {
  SchedulerSpec spec;
  const toml::table* table = root.table("scheduler");
  if (!table) return spec;
  TomlTableReader s(*table, "scheduler", root.file());
  if (auto policy = s.string("policy")) {
    const std::optional<SchedulerPolicy> parsed = parse_enum<SchedulerPolicy>(*policy);
    if (!parsed) throw s.error_at("policy", not_one_of<SchedulerPolicy>(*policy));
    spec.policy = *parsed;
  }
  if (auto idle = s.duration_s("power_off_after")) {
    if (*idle < 0) throw s.error_at("power_off_after", "must not be negative");
    spec.idle_off_s = *idle;
  }
  s.reject_unknown_keys();
  return spec;
}

void check_stage_references(const Scenario& scenario) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < scenario.stages.size(); ++i) index[scenario.stages[i].name] = i;
  auto known = [&](const std::string& name) { return index.count(name) > 0; };
  auto key = [](const char* table, std::size_t i, const char* field) {
    return std::string(table) + "[" + std::to_string(i) + "]." + field;
  };
  for (std::size_t i = 0; i < scenario.stages.size(); ++i)
    for (const std::string& dep : scenario.stages[i].after)
      if (!known(dep))
        throw InputError(scenario.stages[i].after_where, key("stage", i, "after"),
                         "'" + dep + "' is not a [[stage]] name");
  for (std::size_t i = 0; i < scenario.campaigns.size(); ++i) {
    const CampaignSpec& c = scenario.campaigns[i];
    if (!c.stage.empty() && !known(c.stage))
      throw InputError(c.stage_where, key("campaign", i, "stage"),
                       "'" + c.stage + "' is not a [[stage]] name");
  }
  for (std::size_t i = 0; i < scenario.deployments.size(); ++i) {
    const DeploymentSpec& d = scenario.deployments[i];
    if (!d.after.empty() && !known(d.after))
      throw InputError(d.after_where, key("deployment", i, "after"),
                       "'" + d.after + "' is not a [[stage]] name");
    if (!d.stage_updates.empty() && !known(d.stage_updates))
      throw InputError(d.updates_where, key("deployment", i, "updates_from"),
                       "'" + d.stage_updates + "' is not a [[stage]] name");
  }
  // Depth-first search for a cycle; report it as a path.
  std::vector<int> state(scenario.stages.size(), 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::size_t> path;
  auto visit = [&](auto&& self, std::size_t i) -> void {
    state[i] = 1;
    path.push_back(i);
    for (const std::string& dep : scenario.stages[i].after) {
      const std::size_t j = index[dep];
      if (state[j] == 1) {
        std::string cycle;
        auto from = std::find(path.begin(), path.end(), j);
        for (auto it = from; it != path.end(); ++it) cycle += scenario.stages[*it].name + " -> ";
        cycle += scenario.stages[j].name;
        throw InputError(scenario.stages[i].after_where, key("stage", i, "after"),
                         "dependency cycle: " + cycle);
      }
      if (state[j] == 0) self(self, j);
    }
    path.pop_back();
    state[i] = 2;
  };
  for (std::size_t i = 0; i < scenario.stages.size(); ++i)
    if (state[i] == 0) visit(visit, i);
}

}  // namespace mlcycle
