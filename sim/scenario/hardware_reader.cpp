#include "scenario/hardware_reader.hpp"

namespace mlcycle {

namespace {

ClusterHardware read_one(TomlTableReader& t, const std::string& cluster) {
  ClusterHardware hardware;
  hardware.cluster = cluster;
  if (auto busy = t.number("busy_w")) {
    if (*busy <= 0) throw t.error_at("busy_w", "must be greater than zero");
    hardware.busy_w = busy;
  }
  if (auto idle = t.number("idle_w")) {
    if (*idle < 0) throw t.error_at("idle_w", "must not be negative");
    hardware.idle_w = idle;
  }
  if (auto overhead = t.number("node_overhead_w")) {
    if (*overhead < 0) throw t.error_at("node_overhead_w", "must not be negative");
    hardware.node_overhead_w = overhead;
  }
  if (auto pue = t.number("pue")) {
    if (*pue < 1) throw t.error_at("pue", "must be at least 1");
    hardware.pue = pue;
  }
  t.reject_unknown_keys();
  if (hardware.busy_w && hardware.idle_w && *hardware.busy_w < *hardware.idle_w)
    throw t.error_at("busy_w", "is below idle_w: a busy GPU draws at least its idle power");
  if (!hardware.busy_w && !hardware.idle_w && !hardware.node_overhead_w && !hardware.pue)
    throw t.error_here("empty: give at least one of busy_w, idle_w, node_overhead_w, pue");
  return hardware;
}

}  // namespace

std::vector<ClusterHardware> read_cluster_hardware(TomlTableReader& root) {
  std::vector<ClusterHardware> clusters;
  const toml::table* table = root.table("hardware");
  if (!table) return clusters;
  for (const auto& [name, value] : *table) {
    const std::string key = "hardware." + std::string(name.str());
    if (!value.is_table())
      throw InputError(toml_location(value, root.file()), key,
                       "expected a table (a cluster's power: [hardware.<cluster>] busy_w = ...)");
    TomlTableReader t(*value.as_table(), key, root.file());
    ClusterHardware hardware = read_one(t, std::string(name.str()));
    hardware.where = toml_location(value, root.file());
    clusters.push_back(std::move(hardware));
  }
  return clusters;
}

}  // namespace mlcycle
