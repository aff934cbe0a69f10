#pragma once
// The serving-specific keys of a [[deployment]] with kind = "serving":
//   step = "1min", latency_target_ms = 200,
//   demand = { base_rps, diurnal = [24], weekly = [7], utc_offset_hours, monthly_growth,
//              noise_sd }  or  demand = { file = "demand.csv", hold = "edges", monthly_growth,
//              noise_sd },
//   replica = { gpus, batch_size, latency_base_ms, latency_per_item_ms, idle_w, busy_w },
//   autoscaler = { target_utilization, min_replicas, max_replicas, scale_up_delay,
//                  scale_down_cooldown }.
// The caller reads the common keys (name, kind, after, start_at, duration, cluster) and calls
// reject_unknown_keys() on `d` afterwards; the nested tables are checked here.
#include <filesystem>

#include "scenario/serving_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

void read_serving(TomlTableReader& d, ServingSpec& spec, const std::filesystem::path& base_dir);

}  // namespace mlcycle
