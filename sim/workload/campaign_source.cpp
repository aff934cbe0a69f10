#include "workload/campaign_source.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "core/seed_stream.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

// Stream purposes, distinct from the trial-length streams (0x1'0000'0000 + campaign index).
std::uint64_t run_purpose(const CampaignRunInfo& info, std::uint64_t kind) {
  return (kind << 56) ^ (static_cast<std::uint64_t>(info.campaign) << 32) ^
         (static_cast<std::uint64_t>(info.stage_run) << 8);
}

// A campaign run's own seed: the first run of a campaign keeps the scenario seed, so a
// scenario without stages draws exactly what it drew before stages existed.
std::uint64_t run_seed(std::uint64_t scenario_seed, const CampaignRunInfo& info) {
  return info.stage_run == 0 ? scenario_seed : mix_seed(scenario_seed ^ mix_seed(info.stage_run));
}

}  // namespace

CampaignSource::CampaignSource(CampaignSpec spec, CampaignRunInfo info, UtcTime scenario_start,
                               std::uint64_t scenario_seed)
    : spec_(std::move(spec)),
      info_(info),
      failures_(spec_.failures, make_stream(scenario_seed, run_purpose(info, 0xF1))) {
  const std::uint64_t seed = run_seed(scenario_seed, info);
  if (spec_.replay) {
    replay_ = std::make_unique<ReplayFeed>(*spec_.replay, spec_.phase);
    ReplayedJob first;
    if (replay_->next(first)) next_replayed_ = first;
  } else if (spec_.search) {
    search_ = make_search(*spec_.search, mix_seed(seed ^ run_purpose(info, 0x5E)));
  } else {
    trials_.emplace(spec_, info_.campaign, seed);
  }
  const double first_s = info_.release_s + spec_.submit_s;
  if (spec_.arrival && !search_) {
    arrivals_.emplace(*spec_.arrival, scenario_start, first_s,
                      make_stream(seed, run_purpose(info, 0xA7)));
    next_arrival_s_ = arrivals_->next_s();
  } else {
    next_arrival_s_ = first_s;
  }
}

void CampaignSource::release_arrivals(double now_s) {
  if (replay_ && info_.release_s + spec_.submit_s <= now_s) release_replayed(now_s);
  if (!trials_ || info_.release_s + spec_.submit_s > now_s) return;
  const std::uint64_t total = spec_.trials;
  while (released_ < total && next_arrival_s_ <= now_s) {
    released_ =
        arrivals_ ? std::min<std::uint64_t>(total, released_ + spec_.trials_per_arrival) : total;
    if (arrivals_) batches_.emplace_back(released_, next_arrival_s_);
    next_arrival_s_ = arrivals_ && released_ < total ? arrivals_->next_s()
                                                     : std::numeric_limits<double>::infinity();
  }
}

void CampaignSource::release_replayed(double now_s) {
  const double base_s = info_.release_s + spec_.submit_s;
  while (next_replayed_ && base_s + next_replayed_->submit_s <= now_s) {
    const ReplayedJob& r = *next_replayed_;
    JobRequest job;
    job.campaign = info_.campaign;
    job.phase = r.phase;
    job.gpus = r.gpus;
    job.trial = r.index;
    job.submit_s = base_s + r.submit_s;
    job.work_s = job.duration_s = r.work_s;
    // Its logged walltime, never less than it runs: the log's jobs ran to their end, or were
    // stopped by the limit their run time already holds. (Backfilling reads it while queued.)
    job.requested_s = std::max(r.requested_s, run_time_s(r.work_s, run_time_factor_));
    if (free_logged_.empty()) {
      job.logged = static_cast<std::uint32_t>(logged_.size());
      logged_.push_back(r.logged);
    } else {
      job.logged = free_logged_.back();
      free_logged_.pop_back();
      logged_[job.logged] = r.logged;
    }
    replayed_.push_back(job);
    ++replayed_read_;
    if (!replay_->next(*next_replayed_)) next_replayed_.reset();
  }
}

double CampaignSource::budget_hours(double budget) const {
  const SearchSpec& s = *spec_.search;
  return s.unit == BudgetUnit::gpu_hours ? budget / spec_.gpus_per_trial
                                         : budget * s.hours_per_epoch;
}

JobRequest CampaignSource::make_trial_job() {
  JobRequest job = trials_->next();
  job.trial = next_trial_++;
  job.work_s = job.duration_s;
  job.submit_s = std::max(info_.release_s + spec_.submit_s, job.submit_s);
  return job;
}

JobRequest CampaignSource::make_search_job(const SearchTrial& trial) {
  JobRequest job;
  job.campaign = info_.campaign;
  job.phase = spec_.phase;
  job.gpus = spec_.gpus_per_trial;
  job.trial = trial.config;
  job.config = trial.config;
  job.rung = static_cast<std::int32_t>(trial.rung);
  job.bracket = trial.bracket;
  job.budget_from = trial.budget_from;
  job.budget_to = trial.budget_to;
  job.work_s = budget_hours(trial.budget_to - trial.budget_from) * units::kSecondsPerHour;
  return job;
}

const JobRequest* CampaignSource::peek(double now_s, std::uint32_t cluster) {
  const JobRequest* job = peek_ready(now_s);
  if (!job || !placement_ || cluster == kAnyCluster) return job;
  const auto identity = std::make_tuple(job->trial, job->attempt, job->rung, job->budget_from);
  if (placed_cluster_ && identity != placed_job_) placed_cluster_.reset();
  if (!placed_cluster_) {
    placed_job_ = identity;
    const std::vector<std::uint32_t>& clusters = placement_->clusters();
    room_.assign(clusters.size(), false);
    for (std::size_t i = 0; i < clusters.size(); ++i) room_[i] = has_room_(clusters[i], job->gpus);
    placed_cluster_ = clusters.at(placement_->choose(*job, now_s, room_));
  }
  return *placed_cluster_ == cluster ? job : nullptr;
}

const JobRequest* CampaignSource::peek_ready(double now_s) {
  // A search's next trial may change when a result arrives (a promotion becomes possible):
  // ask it again rather than keep a stale answer.
  if (peeked_ && peeked_from_search_) peeked_.reset();
  // A replay's jobs due by now join its queue even while its next job waits: they may backfill.
  if (replay_ && info_.release_s + spec_.submit_s <= now_s) release_replayed(now_s);
  if (peeked_) {
    if (held(now_s)) return nullptr;
    // Its hold expired, or it was peeked before a hold applied: ask the policy (again).
    if (release_policy_) {
      peeked_release_s_ =
          release_policy_->earliest_start_s(peeked_->submit_s, peeked_->shift_deadline_s, now_s);
      if (held(now_s)) return nullptr;
    }
    return &*peeked_;
  }
  peeked_from_search_ = false;
  if (info_.release_s + spec_.submit_s > now_s) return nullptr;
  release_arrivals(now_s);
  if (spec_.max_concurrent != 0 && running_ >= spec_.max_concurrent) return nullptr;
  if (!retries_.empty()) {
    peeked_ = retries_.front();
    retries_.pop_front();
  } else if (replay_) {
    release_replayed(now_s);
    if (replayed_.empty()) return nullptr;
    peeked_ = std::move(replayed_.front());
    replayed_.pop_front();
  } else if (search_) {
    std::optional<SearchTrial> trial = search_->peek();
    if (!trial) return nullptr;
    peeked_ = make_search_job(*trial);
    peeked_from_search_ = true;
    // A search submits a trial when a worker asks for one; one that a policy holds keeps the
    // time of the first ask (else every wake-up would start its wait again).
    if (release_policy_ && search_ready_s_ < 0) search_ready_s_ = now_s;
    peeked_->submit_s = search_ready_s_ >= 0 ? search_ready_s_ : now_s;
  } else {
    if (next_trial_ >= released_) return nullptr;
    peeked_ = make_trial_job();
    if (arrivals_) {
      // A trial was submitted when its arrival released it, however long it waited since.
      while (batches_.front().first <= peeked_->trial) batches_.pop_front();
      peeked_->submit_s = batches_.front().second;
    }
  }
  JobRequest& job = *peeked_;
  job.source = info_.source;
  job.stage = info_.stage;
  job.stage_run = info_.stage_run;
  job.priority = spec_.priority;
  const double run_s = run_time_s(job.work_s, run_time_factor_);
  // A replayed job's request was set when it was released (release_replayed).
  if (!spec_.replay)
    job.requested_s = spec_.walltime_s ? *spec_.walltime_s : run_s * spec_.walltime_factor;
  if (release_policy_) {
    // A trial's first part sets the deadline; its resumed parts keep it.
    if (std::isnan(job.shift_deadline_s))
      job.shift_deadline_s = job.submit_s + release_policy_->slack_s();
    peeked_release_s_ =
        release_policy_->earliest_start_s(job.submit_s, job.shift_deadline_s, now_s);
    if (held(now_s)) return nullptr;
  }
  return &job;
}

std::size_t CampaignSource::backfill_depth() const {
  // Only a replay's queue is open to backfilling, and only when no policy holds or places its
  // jobs (the head alone is asked then, as for a synthetic campaign).
  if (!replay_ || release_policy_ || placement_ || !peeked_) return 0;
  if (spec_.max_concurrent != 0 && running_ + 1 >= spec_.max_concurrent) return 0;
  return std::min(replayed_.size(), kBackfillDepth);
}

JobRequest CampaignSource::take_behind(std::size_t k) {
  if (k >= backfill_depth()) throw std::logic_error("CampaignSource::take_behind out of range");
  JobRequest job = std::move(replayed_[k]);
  replayed_.erase(replayed_.begin() + static_cast<std::ptrdiff_t>(k));
  job.source = info_.source;
  job.stage = info_.stage;
  job.stage_run = info_.stage_run;
  job.priority = spec_.priority;
  ++running_;
  return job;
}

JobRequest CampaignSource::take() {
  if (!peeked_) throw std::logic_error("CampaignSource::take without a peeked job");
  JobRequest job = std::move(*peeked_);
  peeked_.reset();
  if (peeked_from_search_) {
    const SearchTrial trial = search_->take();
    if (trial.config != job.config || static_cast<std::int32_t>(trial.rung) != job.rung)
      throw std::logic_error("CampaignSource: the search changed its mind between peek and take");
  }
  peeked_from_search_ = false;
  search_ready_s_ = -1;
  placed_cluster_.reset();
  ++running_;
  return job;
}

double CampaignSource::run_time_s(double work_s, double stretch) const {
  return failures_.run_time_s(work_s * stretch);
}

AttemptPlan CampaignSource::plan_attempt(const JobRequest& job, double stretch) {
  AttemptPlan plan = failures_.plan(job.work_s * stretch, job.gpus);
  plan.work_saved_s /= stretch;
  plan.work_done_s /= stretch;
  return plan;
}

AttemptPlan CampaignSource::cut_attempt(const JobRequest& job, double stretch,
                                        double after_s) const {
  AttemptPlan plan = failures_.cut(job.work_s * stretch, after_s);
  plan.work_saved_s /= stretch;
  plan.work_done_s /= stretch;
  return plan;
}

bool CampaignSource::on_end(const JobRequest& job, StopReason reason, double work_saved_s,
                            double now_s) {
  --running_;
  if (reason == StopReason::suspended) {  // the rest of its work, queued again as it is now
    JobRequest rest = job;
    rest.work_s = std::max(0.0, job.work_s - work_saved_s);
    rest.submit_s = now_s;
    rest.resumed = true;
    retries_.push_back(rest);
    return true;
  }
  const bool crash = reason == StopReason::crashed || reason == StopReason::node_failure;
  if (crash && job.attempt + 1 < failures_.max_attempts()) {
    JobRequest retry = job;
    retry.attempt = job.attempt + 1;
    retry.work_s = std::max(0.0, job.work_s - work_saved_s);
    retry.submit_s = now_s;
    retries_.push_back(retry);
    return true;
  }
  if (search_ && reason != StopReason::horizon) {
    SearchTrial trial{job.config, static_cast<std::uint32_t>(job.rung), job.bracket,
                      job.budget_from, job.budget_to};
    search_->report(trial, reason == StopReason::completed);
  }
  return false;
}

const LoggedIdentity* CampaignSource::logged_of(const JobRequest& job) const {
  return job.logged == kNotLogged ? nullptr : &logged_[job.logged];
}

void CampaignSource::forget_logged(const JobRequest& job) {
  if (job.logged != kNotLogged) free_logged_.push_back(job.logged);
}

void CampaignSource::requeue(const JobRequest& job) {
  --running_;
  retries_.push_front(job);
}

double CampaignSource::next_release_after(double now_s) const {
  const double first_s = info_.release_s + spec_.submit_s;
  if (first_s > now_s && !finished()) return first_s;
  double next_s = std::numeric_limits<double>::infinity();
  if (peeked_ && held(now_s)) next_s = peeked_release_s_;
  if (trials_ && released_ < spec_.trials && next_arrival_s_ > now_s)
    next_s = std::min(next_s, next_arrival_s_);
  if (next_replayed_ && first_s + next_replayed_->submit_s > now_s && !arrivals_quiet())
    next_s = std::min(next_s, first_s + next_replayed_->submit_s);
  return next_s;
}

// Under FIFO a job queued behind a waiting one changes no queue's head: the dispatch at its
// arrival would start nothing. A job of its own still running guarantees a later clock stop
// (its end), so the run neither ends nor waits past the quiet arrivals.
bool CampaignSource::arrivals_quiet() const {
  return quiet_arrivals_ && running_ > 0 && (peeked_ || !replayed_.empty() || !retries_.empty());
}

double CampaignSource::next_quiet_arrival_s() const {
  if (!next_replayed_ || !arrivals_quiet()) return std::numeric_limits<double>::infinity();
  return info_.release_s + spec_.submit_s + next_replayed_->submit_s;
}

bool CampaignSource::finished() const {
  if (running_ > 0 || !retries_.empty() || (peeked_ && !peeked_from_search_)) return false;
  if (replay_) return replayed_.empty() && !next_replayed_;
  return search_ ? search_->finished() : next_trial_ >= spec_.trials;
}

std::uint64_t CampaignSource::waiting(double now_s) const {
  if (info_.release_s + spec_.submit_s > now_s) return 0;
  std::uint64_t n = retries_.size() + (peeked_ ? 1 : 0);
  if (trials_) n += released_ - next_trial_;
  return n + replayed_.size();
}

std::uint64_t CampaignSource::never_started() const {
  std::uint64_t n = retries_.size() + (peeked_ && !peeked_from_search_ ? 1 : 0);
  if (trials_) n += spec_.trials - next_trial_;
  if (replay_) n += replayed_.size() + (spec_.trials - replayed_read_);
  return n;
}

double CampaignSource::score_of(const JobRequest& job) const {
  if (!search_ || job.rung < 0) return std::numeric_limits<double>::quiet_NaN();
  return search_->score_of(SearchTrial{job.config, static_cast<std::uint32_t>(job.rung),
                                       job.bracket, job.budget_from, job.budget_to});
}

double CampaignSource::full_trial_gpu_hours() const {
  if (!search_) return std::numeric_limits<double>::quiet_NaN();
  return budget_hours(spec_.search->max_budget) * spec_.gpus_per_trial;
}

}  // namespace mlcycle
