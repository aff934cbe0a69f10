#pragma once
// The jobs of a [[replay]], read from its log one at a time in the log's order (docs/replay.md,
// "Replaying a log"): the jobs that ran with GPUs, inside the replay's filters, moved to
// simulation time and scaled by its speed. Memory stays flat however long the log is.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "scenario/replay_spec.hpp"
#include "workload/job.hpp"
#include "workload/job_log.hpp"
#include "workload/read_ahead.hpp"

namespace mlcycle {

struct ReplayedJob {
  std::uint64_t index = 0;  // among the replay's kept jobs: the job's `trial`
  int line = 0;             // its record's line in the log
  double submit_s = 0;      // simulation time
  double work_s = 0;        // logged run time / speed
  double requested_s = 0;   // logged walltime / speed (0: the log has none)
  std::uint32_t gpus = 0;
  Phase phase = Phase::experimentation;
  LoggedIdentity logged;  // what /jobs keeps of its log record
};

// Whether the replay replays `job` (ran, with GPUs, inside the filters), before anchoring.
bool replay_keeps(const ReplaySpec& spec, const LoggedJob& job);
// `job`'s submit in simulation time, its logged submit moved by `anchor_unix_s` and the offset:
// a job it puts before 0 (anchor = "log") is not replayed.
double replay_submit_s(const ReplaySpec& spec, double anchor_unix_s, const LoggedJob& job);
// The phase `spec` gives `job`.
Phase replay_phase(const ReplaySpec& spec, const LoggedJob& job, Phase fallback);
// The logged run time of a kept job: to its end, or to the log's last time when it has none.
double logged_run_s(const ReplaySpec& spec, const LoggedJob& job);
// The speed `spec` gives `job` (its GPU type's, from the catalog, or the replay's number).
double replay_speed(const ReplaySpec& spec, const LoggedJob& job);

class ReplayFeed {
 public:
  // Opens the log (InputError if it cannot be read). `spec` has been read by with_replays_read (its
  // anchor and last time set) and outlives the feed.
  ReplayFeed(const ReplaySpec& spec, Phase phase);
  ~ReplayFeed();
  ReplayFeed(const ReplayFeed&) = delete;
  ReplayFeed& operator=(const ReplayFeed&) = delete;

  // The next kept job in submit order (ties: log order), into `job`; false at the end. Reads
  // ahead the log's disorder (ReplaySpec::disorder_s), holding the jobs read meanwhile.
  bool next(ReplayedJob& job);

 private:
  struct Later {  // the heap's order: the earliest submit on top, then the first written
    bool operator()(const ReplayedJob& a, const ReplayedJob& b) const {
      return a.submit_s != b.submit_s ? a.submit_s > b.submit_s : a.index > b.index;
    }
  };

  // On the read-ahead thread: the next kept job in log order, from reader_.
  bool read_kept(ReplayedJob& job);

  const ReplaySpec& spec_;
  Phase phase_;
  // The read-ahead thread's alone (declared before it, so they outlive it).
  std::unique_ptr<JobLogReader> reader_;
  LoggedJob logged_;
  std::uint64_t kept_ = 0;
  // The log parsed, filtered and made into jobs on a thread of its own: most of a replay's own
  // cost, off the simulation's core.
  ReadAhead<ReplayedJob> read_ahead_;
  std::vector<ReplayedJob> ahead_;  // a heap (Later): read, not yet handed out
  double latest_read_s_ = -std::numeric_limits<double>::infinity();
  bool log_done_ = false;
};

}  // namespace mlcycle
