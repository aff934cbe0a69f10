#include "workload/replay_feed.hpp"

#include <algorithm>

#include "workload/job_log_text.hpp"

namespace mlcycle {

namespace {

const std::string& key_of(const LoggedJob& job, LogKey key) {
  switch (key) {
    case LogKey::account:
      return job.account;
    case LogKey::partition:
      return job.partition;
    case LogKey::user:
      return job.user;
  }
  return job.user;
}

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

bool excluded(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool replay_keeps(const ReplaySpec& spec, const LoggedJob& job) {
  if (!job.start_s || job.gpus == 0) return false;
  if (spec.from_unix_s && job.submit_s < *spec.from_unix_s) return false;
  if (spec.to_unix_s && job.submit_s >= *spec.to_unix_s) return false;
  return listed(spec.partitions, job.partition) && listed(spec.accounts, job.account) &&
         listed(spec.users, job.user) && !excluded(spec.exclude_partitions, job.partition) &&
         !excluded(spec.exclude_accounts, job.account) && !excluded(spec.exclude_users, job.user);
}

Phase replay_phase(const ReplaySpec& spec, const LoggedJob& job, Phase fallback) {
  if (!spec.phase_by) return fallback;
  const auto it = spec.phases.find(key_of(job, *spec.phase_by));
  return it == spec.phases.end() ? fallback : it->second;
}

double replay_submit_s(const ReplaySpec& spec, double anchor_unix_s, const LoggedJob& job) {
  return job.submit_s - anchor_unix_s + spec.offset_s;
}

double logged_run_s(const ReplaySpec& spec, const LoggedJob& job) {
  const double end_s = job.end_s ? *job.end_s : std::max(*job.start_s, spec.last_unix_s);
  return end_s - *job.start_s;
}

double replay_speed(const ReplaySpec& spec, const LoggedJob& job) {
  if (!spec.speed_from_catalog) return spec.speed;
  const std::string& type = job.gpu_type.empty() ? spec.logged_gpu : job.gpu_type;
  return spec.speed_of_type.at(type);  // every type was looked up when the log was prepared
}

ReplayFeed::ReplayFeed(const ReplaySpec& spec, Phase phase)
    : spec_(spec),
      phase_(phase),
      reader_(open_job_log(job_log_spec(spec.log))),
      read_ahead_([this](ReplayedJob& job) { return read_kept(job); }) {}

ReplayFeed::~ReplayFeed() = default;

bool ReplayFeed::read_kept(ReplayedJob& job) {
  while (reader_->next(logged_)) {
    if (!replay_keeps(spec_, logged_)) continue;
    const double submit_s = replay_submit_s(spec_, spec_.anchor_unix_s, logged_);
    if (submit_s < 0) continue;  // before the scenario start (anchor = "log")
    const double speed = replay_speed(spec_, logged_);
    job.index = kept_++;
    job.line = logged_.line;
    job.submit_s = submit_s;
    job.work_s = logged_run_s(spec_, logged_) / speed;
    job.requested_s = logged_.walltime_s ? *logged_.walltime_s / speed : 0;
    job.gpus = logged_.gpus;
    job.phase = replay_phase(spec_, logged_, phase_);
    job.logged.wait_s = *logged_.start_s - logged_.submit_s;
    job.logged.state = logged_.state;
    job.logged.set_id(logged_.id);
    return true;
  }
  return false;
}

bool ReplayFeed::next(ReplayedJob& job) {
  // A log in submit order (the census found no job submitted before one above it): the log's
  // order is the submit order, ties included.
  if (spec_.disorder_s == 0) return read_ahead_.next(job);
  // A job read later was submitted at least disorder_s before the latest submit read so far:
  // the earliest job held may go once it is that far behind (or the log is done).
  while (!log_done_ &&
         (ahead_.empty() || ahead_.front().submit_s > latest_read_s_ - spec_.disorder_s)) {
    ReplayedJob read;
    if (!read_ahead_.next(read)) {
      log_done_ = true;
      break;
    }
    latest_read_s_ = std::max(latest_read_s_, read.submit_s);
    ahead_.push_back(std::move(read));
    std::push_heap(ahead_.begin(), ahead_.end(), Later{});
  }
  if (ahead_.empty()) return false;
  std::pop_heap(ahead_.begin(), ahead_.end(), Later{});
  job = std::move(ahead_.back());
  ahead_.pop_back();
  return true;
}

}  // namespace mlcycle
