#pragma once
// Crashes of job attempts and the checkpoints that limit the work a crash loses
// (`failures = {...}` of a [[campaign]]). See workload/failure_model.hpp for the equations.
#include <cstdint>

#include "core/input_error.hpp"

namespace mlcycle {

struct FailureSpec {
  // At most one crash model is non-zero.
  double crash_probability = 0;      // per attempt; the crash time is uniform within the run
  double rate_per_gpu_hour = 0;      // crashes as a Poisson process, rate x GPUs per hour of run
  double checkpoint_interval_s = 0;  // seconds of work between checkpoints; 0: none
  double checkpoint_write_s = 0;     // wall time to write one checkpoint (GPUs held and busy)
  std::uint32_t max_retries = 3;     // attempts = 1 + max_retries; then the job fails for good
  SourceLocation where;
};

}  // namespace mlcycle
