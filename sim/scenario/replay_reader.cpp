#include "scenario/replay_reader.hpp"

#include <iomanip>
#include <sstream>

#include "scenario/campaign_reader.hpp"
#include "scenario/lifecycle_readers.hpp"
#include "scenario/power_cap_reader.hpp"
#include "scenario/shift_reader.hpp"

namespace mlcycle {

namespace {

LogOption text_option(TomlTableReader& r, const char* key) {
  LogOption option{"", r.path_of(key), r.location_of_key(key)};
  if (auto text = r.string(key)) {
    if (text->empty()) throw r.error_at(key, "must not be empty");
    option.value = *text;
  }
  return option;
}

// A number or a text: both are read as the command line reads them.
LogOption number_option(TomlTableReader& r, const char* key) {
  LogOption option{"", r.path_of(key), r.location_of_key(key)};
  const toml::node* n = r.node(key);
  if (!n) return option;
  if (n->is_integer())
    option.value = std::to_string(n->as_integer()->get());
  else if (n->is_floating_point())
    option.value =
        (std::ostringstream() << std::setprecision(17) << n->as_floating_point()->get()).str();
  else
    throw r.error_at(key, std::string("expected a number, got ") + toml_type_name(*n));
  return option;
}

std::vector<std::pair<std::string, std::string>> text_pairs(TomlTableReader& r, const char* key) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const toml::table* table = r.table(key);
  if (!table) return pairs;
  for (const auto& [name, value] : *table) {
    if (!value.is_string())
      throw InputError(toml_location(value, r.file()),
                       r.path_of(key) + "." + std::string(name.str()),
                       std::string("expected a string, got ") + toml_type_name(value));
    pairs.emplace_back(std::string(name.str()), value.as_string()->get());
  }
  return pairs;
}

std::vector<std::string> text_list(TomlTableReader& r, const char* key) {
  std::vector<std::string> list;
  const toml::array* array = r.array(key);
  if (!array) return list;
  for (const toml::node& item : *array) {
    if (!item.is_string() || item.as_string()->get().empty())
      throw r.error_at(key, "expected a list of non-empty strings");
    list.push_back(item.as_string()->get());
  }
  return list;
}

std::optional<double> unix_time(TomlTableReader& r, const char* key) {
  const std::optional<toml::date_time> v = r.date_time(key);
  if (!v) return std::nullopt;
  if (!v->offset) throw r.error_at(key, "needs a UTC offset (write ...Z)");
  const UtcTime at = make_utc(v->date.year, v->date.month, v->date.day, v->time.hour,
                              v->time.minute, v->time.second);
  return static_cast<double>(at.unix_s) - v->offset->minutes * 60.0;
}

void read_log(TomlTableReader& r, JobLogText& log, const std::filesystem::path& base_dir) {
  const std::optional<std::string> path = r.string("log");
  if (!path) throw r.error_here("missing key 'log' (the job log's file)");
  std::filesystem::path file(*path);
  if (file.is_relative()) file = base_dir / file;
  if (const std::string why = not_a_file(file); !why.empty()) throw r.error_at("log", why);
  log.path = file.lexically_normal().string();
  log.format = text_option(r, "format");
  log.utc_offset = text_option(r, "utc_offset");
  log.processors_per_gpu = number_option(r, "processors_per_gpu");
  log.log_start = LogOption{"", r.path_of("log_start"), r.location_of_key("log_start")};
  if (r.has("log_start")) {
    const toml::date_time v = *r.date_time("log_start");
    if (!v.offset) throw r.error_at("log_start", "needs a UTC offset (write ...Z)");
    log.log_start.value = (std::ostringstream() << v).str();
  }
  log.time = text_option(r, "time");
  log.duration_unit = text_option(r, "duration_unit");
  log.gpu_units = number_option(r, "gpu_units");
  log.columns_at = LogOption{"", r.path_of("columns"), r.location_of_key("columns")};
  log.states_at = LogOption{"", r.path_of("states"), r.location_of_key("states")};
  log.columns = text_pairs(r, "columns");
  log.states = text_pairs(r, "states");
}

void read_speed(TomlTableReader& r, ReplaySpec& replay) {
  replay.speed_where = r.location_of_key("speed");
  const toml::node* speed = r.node("speed");
  if (speed && speed->is_string()) {
    if (speed->as_string()->get() != "catalog")
      throw r.error_at("speed", "is a number > 0 or \"catalog\"");
    replay.speed_from_catalog = true;
  } else if (speed) {
    replay.speed = r.positive_number("speed", 1);
  }
  replay.logged_gpu = r.string("logged_gpu").value_or("");
  if (!replay.logged_gpu.empty() && !replay.speed_from_catalog)
    throw r.error_at("logged_gpu", "applies with speed = \"catalog\"");
  for (auto& [type, id] : text_pairs(r, "gpu_types")) replay.gpu_types[type] = id;
  if (!replay.gpu_types.empty() && !replay.speed_from_catalog)
    throw r.error_at("gpu_types", "applies with speed = \"catalog\"");
}

void read_phases(TomlTableReader& r, ReplaySpec& replay) {
  if (auto by = r.string("phase_by")) {
    const std::optional<LogKey> key = parse_enum<LogKey>(*by);
    if (!key) throw r.error_at("phase_by", not_one_of<LogKey>(*by));
    replay.phase_by = *key;
  }
  for (const auto& [value, name] : text_pairs(r, "phases")) {
    const std::optional<Phase> phase = parse_enum<Phase>(name);
    if (!phase) throw r.error_at("phases", in_quotes(value) + ": " + not_one_of<Phase>(name));
    replay.phases[value] = *phase;
  }
  if (!replay.phases.empty() && !replay.phase_by)
    throw r.error_at("phases", "needs 'phase_by' (account, partition or user)");
}

}  // namespace

CampaignSpec read_replay(const toml::node& node, std::size_t index, const std::string& file,
                         const std::filesystem::path& base_dir, std::set<std::string>& names) {
  const std::string key = "replay[" + std::to_string(index) + "]";
  if (!node.is_table()) throw InputError(toml_location(node, file), key, "expected a table");
  TomlTableReader r(*node.as_table(), key, file);
  CampaignSpec spec;
  spec.where = toml_location(node, file);
  read_campaign_identity(r, spec, "replay-" + std::to_string(index), names, "campaign or replay");
  spec.gpus_where = spec.where;
  ReplaySpec& replay = spec.replay.emplace();
  read_log(r, replay.log, base_dir);
  if (auto anchor = r.string("anchor")) {
    const std::optional<ReplayAnchor> parsed = parse_enum<ReplayAnchor>(*anchor);
    if (!parsed) throw r.error_at("anchor", not_one_of<ReplayAnchor>(*anchor));
    replay.anchor = *parsed;
  }
  if (auto offset = r.duration_s("offset")) {
    if (*offset < 0) throw r.error_at("offset", "must not be negative");
    replay.offset_s = *offset;
  }
  replay.from_unix_s = unix_time(r, "from");
  replay.to_unix_s = unix_time(r, "to");
  if (replay.from_unix_s && replay.to_unix_s && !(*replay.to_unix_s > *replay.from_unix_s))
    throw r.error_at("to", "must be after 'from'");
  replay.partitions = text_list(r, "partitions");
  replay.accounts = text_list(r, "accounts");
  replay.users = text_list(r, "users");
  replay.exclude_partitions = text_list(r, "exclude_partitions");
  replay.exclude_accounts = text_list(r, "exclude_accounts");
  replay.exclude_users = text_list(r, "exclude_users");
  read_speed(r, replay);
  read_phases(r, replay);
  if (auto priority = r.integer("priority")) spec.priority = *priority;
  if (auto limit = r.integer("max_concurrent")) {
    if (*limit <= 0 || *limit > UINT32_MAX)
      throw r.error_at("max_concurrent",
                       "must be a positive integer below 2^32 (omit for no limit)");
    spec.max_concurrent = static_cast<std::uint32_t>(*limit);
  }
  // Crashes drawn on top of the log's own (its failed jobs ran as long as they ran): a what-if.
  if (r.has("failures")) {
    TomlTableReader f(*r.table("failures"), key + ".failures", file);
    spec.failures = read_failures(f);
  }
  if (r.has("shift")) {
    TomlTableReader t(*r.table("shift"), key + ".shift", file);
    spec.shift = read_shift(t);
  }
  if (r.has("power_cap")) {
    TomlTableReader t(*r.table("power_cap"), key + ".power_cap", file);
    spec.power_cap = read_power_cap(t);
  }
  r.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
