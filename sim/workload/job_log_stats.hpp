#pragma once
// What a job log holds, before any simulation (`mlcycle replay-stats`): jobs by state, those a
// replay would run, GPU-hours, the span, the sizes, and how busy the logged cluster was.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "workload/job_log.hpp"

namespace mlcycle {

struct JobLogStats {
  std::uint64_t jobs = 0;
  std::uint64_t records_skipped = 0;  // job steps (sacct)
  std::array<std::uint64_t, kLoggedStateCount> by_state{};
  std::uint64_t never_started = 0;            // pending, or cancelled before they started
  std::uint64_t without_gpus = 0;             // started, but held no GPU
  std::uint64_t replayable = 0;               // started with GPUs: what a replay runs
  std::uint64_t running = 0;                  // of those, still running when the log was taken
  std::uint64_t running_without_elapsed = 0;  // of those, cut at the log's last time
  std::uint64_t start_before_submit = 0;      // clock skew, moved up
  double first_submit_s = std::numeric_limits<double>::infinity();
  double last_time_s = -std::numeric_limits<double>::infinity();  // latest time in the log
  double gpu_hours = 0;  // replayable jobs, start to end (running ones to their cut)
  // Replayable jobs by GPUs: bucket k holds 2^(k-1) < gpus <= 2^k (bucket 0: one GPU).
  std::vector<std::uint64_t> gpus_histogram;
  std::uint64_t peak_gpus = 0;  // most GPUs held at once by replayable jobs
  double peak_at_s = 0;         // the first time they were held

  double span_s() const { return jobs ? last_time_s - first_submit_s : 0; }
  // GPUs held on average over the span (GPU-hours / span).
  double mean_busy_gpus() const;
};

// Reads the whole log (one pass; memory: two numbers a replayable job, for the peak).
JobLogStats tally_job_log(JobLogReader& reader);

}  // namespace mlcycle
