#pragma once
// Readers of a campaign's job life cycle: `arrival = {...}` (when jobs are submitted) and
// `failures = {...}` (crashes, retries and checkpoints). Each reads one inline table and
// rejects keys it does not know; see docs/scenarios.md.
#include "scenario/arrival_spec.hpp"
#include "scenario/failure_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// pattern = "all-at-start" (default) | "rate" | "researcher"; keys of another pattern are errors.
ArrivalSpec read_arrival(TomlTableReader& t);

// crash_probability | rate_per_gpu_hour, checkpoint_interval, checkpoint_write, max_retries.
FailureSpec read_failures(TomlTableReader& t);

}  // namespace mlcycle
