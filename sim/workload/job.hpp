#pragma once
// A job is one trial (or training run) asking for a gang of GPUs for a known duration.
#include <cstdint>
#include <vector>

#include "scenario/phase.hpp"

namespace mlcycle {

// Outcomes are data: a job still running when the horizon is reached is recorded as such.
enum class JobStatus : std::uint8_t { completed = 0, unfinished = 1 };

struct JobRequest {
  std::uint64_t job_id = 0;
  std::uint32_t campaign = 0;
  Phase phase = Phase::experimentation;
  std::uint32_t gpus = 1;
  double submit_s = 0;
  double duration_s = 0;
};

// GPUs taken on one host: `cores` of host `host` (an index into the platform's host list).
struct HostShare {
  std::uint32_t host = 0;
  std::uint32_t cores = 0;
};

using Allocation = std::vector<HostShare>;

// A job the dispatcher has placed: its request, its GPUs, and the cluster they belong to.
struct JobStart {
  JobRequest request;
  Allocation allocation;
  std::uint32_t cluster = 0;
};

}  // namespace mlcycle
