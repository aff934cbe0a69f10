#include "scenario/hardware_catalog_reader.hpp"

#include <algorithm>
#include <cmath>

namespace mlcycle {

namespace {

std::string required_string(TomlTableReader& t, std::string_view key, bool required) {
  auto value = t.string(key);
  if (value && value->empty()) throw t.error_at(key, "must not be empty");
  if (!value && required) throw t.error_here("missing key '" + std::string(key) + "'");
  return value.value_or("");
}

double required_number(TomlTableReader& t, std::string_view key) {
  auto value = t.number(key);
  if (!value) throw t.error_here("missing key '" + std::string(key) + "'");
  if (*value < 0) throw t.error_at(key, "must not be negative");
  if (!std::isfinite(*value) || *value > 1e15) throw t.error_at(key, "must be at most 1e15");
  return *value;
}

// Plausibility: what a power or FLOP/s figure must satisfy whoever wrote it.
AcceleratorSpec read_accelerator(TomlTableReader& t, const std::string& id, bool sources) {
  AcceleratorSpec a;
  a.id = id;
  a.name = required_string(t, "name", true);
  a.kind = required_string(t, "kind", true);
  if (a.kind != "gpu" && a.kind != "tpu") throw t.error_at("kind", "must be \"gpu\" or \"tpu\"");
  a.year = static_cast<std::int64_t>(required_number(t, "year"));
  a.bf16_tflops = required_number(t, "bf16_tflops");
  a.fp16_tflops = required_number(t, "fp16_tflops");
  a.fp32_tflops = required_number(t, "fp32_tflops");
  if (a.training_peak_flops() <= 0)
    throw t.error_at("fp16_tflops", "a chip needs a BF16, FP16 or FP32 peak above zero");
  a.memory_gb = required_number(t, "memory_gb");
  if (a.memory_gb <= 0) throw t.error_at("memory_gb", "must be greater than zero");
  a.memory_tbps = required_number(t, "memory_tbps");
  if (a.memory_tbps <= 0) throw t.error_at("memory_tbps", "must be greater than zero");
  a.interconnect = required_string(t, "interconnect", sources);
  a.tdp_w = required_number(t, "tdp_w");
  a.idle_w = required_number(t, "idle_w");
  if (a.idle_w <= 0) throw t.error_at("idle_w", "must be greater than zero");
  if (a.tdp_w <= a.idle_w) throw t.error_at("tdp_w", "must be above idle_w");
  a.mfu = required_number(t, "mfu");
  if (a.mfu <= 0 || a.mfu > 1) throw t.error_at("mfu", "must be within (0, 1]");
  a.datasheet = required_string(t, "datasheet", sources);
  a.idle_source = required_string(t, "idle_source", sources);
  a.mfu_source = required_string(t, "mfu_source", sources);
  a.notes = required_string(t, "notes", false);
  t.reject_unknown_keys();
  return a;
}

HostProfile read_host(TomlTableReader& t, const std::string& id, const HardwareCatalog& catalog,
                      bool sources) {
  HostProfile h;
  h.id = id;
  h.name = required_string(t, "name", true);
  const double gpus = required_number(t, "gpus");
  if (gpus < 1 || gpus != static_cast<std::uint32_t>(gpus))
    throw t.error_at("gpus", "must be a whole number of at least 1");
  h.gpus = static_cast<std::uint32_t>(gpus);
  h.gpu = required_string(t, "gpu", true);
  const AcceleratorSpec* gpu = catalog.accelerator(h.gpu);
  if (!gpu)
    throw t.error_at(
        "gpu", "unknown accelerator '" + h.gpu + "' (known: " + catalog.accelerator_ids() + ")");
  h.max_system_w = required_number(t, "max_system_w");
  h.overhead_idle_w = required_number(t, "overhead_idle_w");
  h.overhead_busy_w = required_number(t, "overhead_busy_w");
  if (h.overhead_busy_w < h.overhead_idle_w)
    throw t.error_at("overhead_busy_w", "must be at least overhead_idle_w");
  if (h.max_system_w < h.overhead_busy_w + h.gpus * gpu->tdp_w * (1 - 1e-12))
    throw t.error_at("max_system_w", "is below overhead_busy_w + gpus x the accelerator's tdp_w");
  h.source = required_string(t, "source", sources);
  h.notes = required_string(t, "notes", false);
  t.reject_unknown_keys();
  return h;
}

template <typename Entry>
void put(std::vector<Entry>& entries, Entry entry) {
  auto same = std::find_if(entries.begin(), entries.end(),
                           [&](const Entry& e) { return e.id == entry.id; });
  if (same == entries.end())
    entries.push_back(std::move(entry));
  else
    *same = std::move(entry);
}

template <typename Entry>
std::string ids(const std::vector<Entry>& entries) {
  std::string text;
  for (const Entry& e : entries) text += (text.empty() ? "" : ", ") + e.id;
  return text;
}

const toml::table* section(TomlTableReader& root, std::string_view key) {
  const toml::node* n = root.node(key);
  if (!n) return nullptr;
  if (!n->is_table()) throw root.error_at(key, "expected a table of entries by id");
  return n->as_table();
}

}  // namespace

const AcceleratorSpec* HardwareCatalog::accelerator(const std::string& id) const {
  for (const AcceleratorSpec& a : accelerators)
    if (a.id == id) return &a;
  return nullptr;
}

const HostProfile* HardwareCatalog::host(const std::string& id) const {
  for (const HostProfile& h : hosts)
    if (h.id == id) return &h;
  return nullptr;
}

std::string HardwareCatalog::accelerator_ids() const {
  return ids(accelerators);
}
std::string HardwareCatalog::host_ids() const {
  return ids(hosts);
}

void read_catalog_entries(TomlTableReader& root, HardwareCatalog& catalog, bool sources_required) {
  if (const toml::table* gpus = section(root, "gpu")) {
    for (const auto& [name, value] : *gpus) {
      const std::string key = root.path_of("gpu") + "." + std::string(name.str());
      if (!value.is_table())
        throw InputError(toml_location(value, root.file()), key, "expected a table");
      TomlTableReader t(*value.as_table(), key, root.file());
      put(catalog.accelerators, read_accelerator(t, std::string(name.str()), sources_required));
    }
  }
  if (const toml::table* hosts = section(root, "host")) {
    for (const auto& [name, value] : *hosts) {
      const std::string key = root.path_of("host") + "." + std::string(name.str());
      if (!value.is_table())
        throw InputError(toml_location(value, root.file()), key, "expected a table");
      TomlTableReader t(*value.as_table(), key, root.file());
      put(catalog.hosts, read_host(t, std::string(name.str()), catalog, sources_required));
    }
  }
  root.reject_unknown_keys();
}

}  // namespace mlcycle
