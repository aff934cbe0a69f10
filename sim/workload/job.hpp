#pragma once
// A job is one attempt of one trial (or training run) asking for a gang of GPUs.
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <limits>
#include <vector>

#include "scenario/phase.hpp"

namespace mlcycle {

// Outcomes are data: a job still running when the horizon is reached is recorded as such.
enum class JobStatus : std::uint8_t { completed = 0, unfinished = 1 };

// Why a job ended. A crash or a node failure is retried (if attempts remain) from the last
// checkpoint; `failed` is a crash with no retry left; `walltime`: killed at its request.
enum class StopReason : std::uint8_t {
  completed = 0,
  crashed = 1,
  node_failure = 2,
  failed = 3,
  walltime = 4,
  horizon = 5,
  suspended = 6,  // paused by a suspend-resume policy: the rest of its work is queued again
};
inline constexpr const char* kStopReasonNames[] = {"completed", "crashed", "node_failure", "failed",
                                                   "walltime",  "horizon", "suspended"};

inline constexpr std::uint32_t kNoStage = std::numeric_limits<std::uint32_t>::max();

// JobRequest::logged of a job that comes from no log.
inline constexpr std::uint32_t kNotLogged = UINT32_MAX;

struct JobRequest {
  std::uint64_t job_id = 0;
  std::uint32_t campaign = 0;  // index of the [[campaign]]
  std::uint32_t source = 0;    // the campaign's run this job belongs to (see CampaignSource)
  std::uint32_t stage = kNoStage;
  std::uint32_t stage_run = 0;
  Phase phase = Phase::experimentation;
  std::uint32_t gpus = 1;
  double submit_s = 0;
  double duration_s = 0;    // planned run time of this attempt (set when it starts)
  double work_s = 0;        // compute still to do, before checkpoint writes and all-reduce
  double requested_s = 0;   // the scheduler's view of the run time (walltime request)
  std::uint64_t trial = 0;  // the trial within its campaign run, the same for every attempt
  std::uint32_t attempt = 0;
  std::int32_t rung = -1;  // searches: the rung this job trains to; -1 otherwise
  std::uint64_t config = 0;
  std::uint32_t bracket = 0;
  // Replays: the job's log record in its campaign run (CampaignSource::logged_of); in the
  // padding before budget_from, at no cost to the other jobs.
  std::uint32_t logged = kNotLogged;
  double budget_from = 0;
  double budget_to = 0;
  std::int64_t priority = 0;
  // suspend-resume: a resumed part first restores its checkpoint; until `shift_deadline_s`
  // (the first part's ready + slack) the trial may be held and paused.
  bool resumed = false;
  double shift_deadline_s = std::numeric_limits<double>::quiet_NaN();
};

// GPUs taken on one host: `cores` of host `host` (an index into the platform's host list).
struct HostShare {
  std::uint32_t host = 0;
  std::uint32_t cores = 0;
};

// Most jobs take GPUs on one node: their share lives inline, with no heap block of its own
// (in a million-job run such a block has long left the cache by the job's end).
using Allocation = boost::container::small_vector<HostShare, 1>;

// A job the scheduler has placed: its request, its GPUs, and the cluster they belong to.
struct JobStart {
  JobRequest request;
  Allocation allocation;
  std::uint32_t cluster = 0;
  std::vector<std::uint32_t> woken;  // hosts of the allocation that were off: they boot first
  // The campaign's power cap holds now (always, unless a carbon-cap schedule released it).
  bool cap_engaged = true;
};

}  // namespace mlcycle
