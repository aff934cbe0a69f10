#include "workload/replay_census.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <limits>
#include <set>
#include <thread>

#include "core/line_reader.hpp"
#include "workload/job_log_text.hpp"
#include "workload/replay_feed.hpp"

namespace mlcycle {

namespace {

// A log this large is read in two halves at once (the census runs before the simulation, when
// the second core has nothing else to do); a smaller one is not worth a thread.
constexpr std::uintmax_t kSplitBytes = 4 << 20;

// What a stretch of the log holds.
struct CensusPart {
  std::uint64_t kept = 0;
  std::uint32_t largest = 0;
  double min_submit = std::numeric_limits<double>::infinity();
  double max_submit = -std::numeric_limits<double>::infinity();
  double disorder_s = 0;  // the most a kept job was submitted before one read before it
  double last = -std::numeric_limits<double>::infinity();
  std::set<std::string> gpu_types;  // speed = "catalog" only

  // `later`, the stretch that follows this one, added.
  void add(const CensusPart& later) {
    disorder_s = std::max({disorder_s, later.disorder_s, max_submit - later.min_submit});
    kept += later.kept;
    largest = std::max(largest, later.largest);
    min_submit = std::min(min_submit, later.min_submit);
    max_submit = std::max(max_submit, later.max_submit);
    last = std::max(last, later.last);
    gpu_types.insert(later.gpu_types.begin(), later.gpu_types.end());
  }
};

// `stop` (may be null): set when the result is no longer wanted (the other half failed).
CensusPart read_part(JobLogReader& reader, const ReplaySpec& replay,
                     std::int64_t scenario_start_unix_s, const std::atomic<bool>* stop = nullptr) {
  // With anchor = "log", a job submitted before the scenario start (less the offset) is before
  // the run: not replayed (the feed's own test, with the anchor it will have).
  const bool log_times = replay.anchor == ReplayAnchor::log;
  const double log_anchor_unix_s = static_cast<double>(scenario_start_unix_s);
  CensusPart part;
  LoggedJob job;
  while (reader.next(job)) {
    if (stop && stop->load(std::memory_order_relaxed)) break;
    part.last = std::max(
        {part.last, job.submit_s, job.start_s.value_or(part.last), job.end_s.value_or(part.last)});
    if (!replay_keeps(replay, job)) continue;
    if (log_times && replay_submit_s(replay, log_anchor_unix_s, job) < 0) continue;
    ++part.kept;
    part.max_submit = std::max(part.max_submit, job.submit_s);
    part.disorder_s = std::max(part.disorder_s, part.max_submit - job.submit_s);
    part.largest = std::max(part.largest, job.gpus);
    part.min_submit = std::min(part.min_submit, job.submit_s);
    if (replay.speed_from_catalog)
      part.gpu_types.insert(job.gpu_type.empty() ? replay.logged_gpu : job.gpu_type);
  }
  return part;
}

// The whole log: a large one whose records are lines in two halves, the second on a thread of
// its own. An error of the first half is the one reported, as a single reader would.
CensusPart read_log(const ReplaySpec& replay, std::int64_t scenario_start_unix_s) {
  const JobLogSpec spec = job_log_spec(replay.log);
  const std::unique_ptr<JobLogReader> first = open_job_log(spec);
  std::error_code unknown;
  const std::uintmax_t bytes = std::filesystem::file_size(spec.path, unknown);
  LineReader* first_lines = first->record_lines();
  std::optional<LineReader::LineStart> middle;
  if (!unknown && bytes >= kSplitBytes && first_lines)
    middle = LineReader::line_start_after(spec.path, bytes / 2);
  // The second half starts past the header (which the first reader has read), so that it sees
  // records only.
  if (!middle || middle->offset < first_lines->offset())
    return read_part(*first, replay, scenario_start_unix_s);

  const std::unique_ptr<JobLogReader> second = open_job_log(spec);
  second->record_lines()->seek(middle->offset, middle->lines_before);
  first_lines->stop_at(middle->offset);
  CensusPart later;
  std::exception_ptr later_failure;
  std::atomic<bool> first_failed{false};
  std::thread reading_later([&] {
    try {
      later = read_part(*second, replay, scenario_start_unix_s, &first_failed);
    } catch (...) {
      later_failure = std::current_exception();
    }
  });
  CensusPart census;
  try {
    census = read_part(*first, replay, scenario_start_unix_s);
  } catch (...) {
    first_failed = true;  // its error is the one reported: the second half may stop
    reading_later.join();
    throw;
  }
  reading_later.join();
  if (later_failure) std::rethrow_exception(later_failure);
  census.add(later);
  return census;
}

void read_census(CampaignSpec& campaign, std::int64_t scenario_start_unix_s) {
  ReplaySpec& replay = *campaign.replay;
  const CensusPart census = read_log(replay, scenario_start_unix_s);
  if (census.kept == 0)
    throw InputError(campaign.where, "replay." + campaign.name,
                     "the log " + in_quotes(replay.log.path) +
                         " holds no job to replay (none ran with GPUs inside the filters)");
  replay.anchor_unix_s = replay.anchor == ReplayAnchor::log
                             ? static_cast<double>(scenario_start_unix_s)
                             : census.min_submit;
  replay.last_unix_s = census.last;
  replay.disorder_s = census.disorder_s;
  for (const std::string& type : census.gpu_types)
    replay.speed_of_type.try_emplace(type, std::numeric_limits<double>::quiet_NaN());
  campaign.trials = census.kept;
  campaign.gpus_per_trial = census.largest;
}

}  // namespace

Scenario with_replays_read(const Scenario& scenario) {
  Scenario read = scenario;
  for (CampaignSpec& campaign : read.campaigns)
    if (campaign.replay) read_census(campaign, scenario.simulation.start.unix_s);
  return read;
}

}  // namespace mlcycle
