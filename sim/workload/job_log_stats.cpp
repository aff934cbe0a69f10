#include "workload/job_log_stats.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace mlcycle {

double JobLogStats::mean_busy_gpus() const {
  const double span = span_s();
  return span > 0 ? gpu_hours * 3600.0 / span : 0.0;
}

JobLogStats tally_job_log(JobLogReader& reader) {
  JobLogStats stats;
  // GPUs taken (+) and given back (-), for the peak; running jobs without an end close at the
  // log's last time, known only at the end of the pass.
  std::vector<std::pair<double, std::int64_t>> changes;
  std::vector<std::pair<double, std::uint32_t>> open_ended;  // start, GPUs
  LoggedJob job;
  while (reader.next(job)) {
    ++stats.jobs;
    ++stats.by_state[static_cast<int>(job.state)];
    stats.first_submit_s = std::min(stats.first_submit_s, job.submit_s);
    stats.last_time_s = std::max(stats.last_time_s, job.submit_s);
    if (!job.start_s) {
      ++stats.never_started;
      continue;
    }
    stats.last_time_s = std::max(stats.last_time_s, *job.start_s);
    if (job.end_s) stats.last_time_s = std::max(stats.last_time_s, *job.end_s);
    if (job.start_before_submit) ++stats.start_before_submit;
    if (job.gpus == 0) {
      ++stats.without_gpus;
      continue;
    }
    ++stats.replayable;
    const auto bucket = static_cast<std::size_t>(std::bit_width(job.gpus - 1));
    if (stats.gpus_histogram.size() <= bucket) stats.gpus_histogram.resize(bucket + 1);
    ++stats.gpus_histogram[bucket];
    if (job.state == LoggedState::running) ++stats.running;
    if (!job.end_s) {
      ++stats.running_without_elapsed;
      open_ended.emplace_back(*job.start_s, job.gpus);
      continue;
    }
    stats.gpu_hours += job.gpus * (*job.end_s - *job.start_s) / 3600.0;
    changes.emplace_back(*job.start_s, job.gpus);
    changes.emplace_back(*job.end_s, -static_cast<std::int64_t>(job.gpus));
  }
  stats.records_skipped = reader.records_skipped();
  for (const auto& [start_s, gpus] : open_ended) {
    stats.gpu_hours += gpus * (stats.last_time_s - start_s) / 3600.0;
    changes.emplace_back(start_s, gpus);
    changes.emplace_back(stats.last_time_s, -static_cast<std::int64_t>(gpus));
  }
  // At one instant the ends come first: back-to-back jobs do not hold their GPUs twice.
  std::sort(changes.begin(), changes.end());
  std::int64_t held = 0;
  for (const auto& [time_s, delta] : changes) {
    held += delta;
    if (held > static_cast<std::int64_t>(stats.peak_gpus)) {
      stats.peak_gpus = static_cast<std::uint64_t>(held);
      stats.peak_at_s = time_s;
    }
  }
  return stats;
}

}  // namespace mlcycle
