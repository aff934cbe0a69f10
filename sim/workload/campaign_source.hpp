#pragma once
// One run of a [[campaign]]: its trials (independent, or handed out by a search as workers ask),
// released by its arrival process, retried after crashes, limited by max_concurrent. The
// scheduler pulls jobs: peek() shows the job this campaign would start now, take() commits it.
// Materialising one job at a time keeps a million-trial campaign O(1) in memory and lets a
// search decide (promote or sample) only when a gang is actually free, as ASHA's workers do.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>

#include "core/utc_time.hpp"
#include "scenario/scenario.hpp"
#include "workload/arrival_process.hpp"
#include "workload/failure_model.hpp"
#include "workload/job.hpp"
#include "workload/job_placement.hpp"
#include "workload/release_policy.hpp"
#include "workload/replay_feed.hpp"
#include "workload/search_algorithm.hpp"
#include "workload/trial_campaign.hpp"

namespace mlcycle {

struct CampaignRunInfo {
  std::uint32_t campaign = 0;  // index of the [[campaign]]
  std::uint32_t source = 0;    // index of this run among all campaign runs
  std::uint32_t stage = kNoStage;
  std::uint32_t stage_run = 0;
  double release_s = 0;  // when its trials may first be submitted
};

// The source owns a copy of its spec (a few hundred bytes), so the caller's list may grow or
// die while the run goes on. Its trials and failure model refer to that copy, hence the source
// is neither copied nor moved: hold it by unique_ptr.
// Whether a cluster has `gpus` free GPUs now (the scheduler answers for its pools).
using RoomCheck = std::function<bool(std::uint32_t cluster, std::uint32_t gpus)>;
inline constexpr std::uint32_t kAnyCluster = UINT32_MAX;

class CampaignSource {
 public:
  CampaignSource(CampaignSpec spec, CampaignRunInfo info, UtcTime scenario_start,
                 std::uint64_t scenario_seed);
  CampaignSource(const CampaignSource&) = delete;
  CampaignSource& operator=(const CampaignSource&) = delete;

  const CampaignSpec& spec() const { return spec_; }
  const CampaignRunInfo& info() const { return info_; }
  // Jobs start only when `policy` lets them (nullptr: when ready), in their order: a held job
  // holds the campaign's jobs behind it. The policy outlives the source.
  void set_release_policy(const ReleasePolicy* policy) { release_policy_ = policy; }
  // The run-time factor of its power cap (1: none): the walltime a job requests covers it.
  void set_run_time_factor(double factor) { run_time_factor_ = factor; }

  // Spatial shifting: `placement` places each job on one of its clusters; `has_room(cluster,
  // gpus)` says whether a cluster could take the job's gang now. The placement outlives the
  // source.
  void set_placement(JobPlacement* placement, RoomCheck has_room) {
    placement_ = placement;
    has_room_ = std::move(has_room);
  }
  const JobPlacement* placement() const { return placement_; }

  // The job this campaign would start at `now_s` on `cluster` (nullptr: none eligible now,
  // or placed on another cluster). A placed campaign's next job is placed on the first ask
  // once it may start, and stays there until it starts.
  const JobRequest* peek(double now_s, std::uint32_t cluster = kAnyCluster);
  JobRequest take();  // commits the job peek() returned

  // Backfilling inside a replay (its jobs are one queue, as in the scheduler that logged them):
  // after peek(), the jobs queued behind the peeked one that a backfill may start, up to
  // kBackfillDepth of them (Slurm's bf_max_job_test default); `queued_behind(k)` is the k-th,
  // `take_behind(k)` starts it. 0 for every other campaign.
  static constexpr std::size_t kBackfillDepth = 500;
  std::size_t backfill_depth() const;
  const JobRequest& queued_behind(std::size_t k) const { return replayed_[k]; }
  JobRequest take_behind(std::size_t k);

  // Plans the attempt of a started job whose run time per unit of work is `stretch` (1, or
  // (step + all-reduce) / step for data-parallel jobs): draws its crash, if any.
  AttemptPlan plan_attempt(const JobRequest& job, double stretch);
  AttemptPlan cut_attempt(const JobRequest& job, double stretch, double after_s) const;
  double run_time_s(double work_s, double stretch) const;

  // A started job ended. `work_saved_s`: work its retry does not redo (crash / node failure),
  // or the work a suspended job did (its rest is queued as a resumed job).
  // Returns whether a retry was queued.
  // A retry is submitted again at `now_s`.
  bool on_end(const JobRequest& job, StopReason reason, double work_saved_s, double now_s);

  // A started job that never computed (its node failed while booting): back at the head, same
  // attempt.
  void requeue(const JobRequest& job);
  double next_release_after(double now_s) const;
  // Quiet arrivals (a replay under FIFO, set by the scheduler): a job the log submits while
  // the replay has jobs waiting and running queues behind them and can start nothing, so
  // next_release_after() leaves it out (a million fewer clock stops in a replay with a
  // backlog); its instant, which the queue length's time-mean still needs, is
  // next_quiet_arrival_s() (infinity: none pending).
  void set_quiet_arrivals(bool quiet) { quiet_arrivals_ = quiet; }

  // A replayed job's log record (null for other jobs): valid until forget_logged(job), which its
  // last attempt's end calls (a retry or a resumed rest keeps it). Memory holds the records of
  // the jobs queued and running, not the log's.
  const LoggedIdentity* logged_of(const JobRequest& job) const;
  void forget_logged(const JobRequest& job);
  double next_quiet_arrival_s() const;
  // Releases the trials whose arrival is due by `now_s` (peek() does it too).
  void release_arrivals(double now_s);
  bool finished() const;
  std::uint32_t running() const { return running_; }
  std::uint64_t waiting(double now_s) const;  // released (arrived) but not started
  std::uint64_t never_started() const;        // not started when the run ended
  bool is_search() const { return search_ != nullptr; }
  const SearchAlgorithm* search() const { return search_.get(); }
  double score_of(const JobRequest& job) const;
  // GPU-hours of one trial run to the full budget (searches) or its drawn length (independent
  // trials are their own counterfactual).
  double full_trial_gpu_hours() const;

 private:
  const JobRequest* peek_ready(double now_s);
  JobRequest make_trial_job();
  // A replay's jobs released by `now_s`, read from its log into `replayed_`.
  void release_replayed(double now_s);
  JobRequest make_search_job(const SearchTrial& trial);
  bool held(double now_s) const { return release_policy_ && peeked_release_s_ > now_s; }
  double budget_hours(double budget) const;

  const CampaignSpec spec_;  // declared first: the members below refer to it
  CampaignRunInfo info_;
  std::optional<TrialCampaign> trials_;
  std::unique_ptr<SearchAlgorithm> search_;
  std::optional<ArrivalProcess> arrivals_;
  // A replay: its log, the next job read from it (not yet released), and the released jobs
  // not yet started (a real queue: as long as the replayed cluster's backlog, not the log).
  std::unique_ptr<ReplayFeed> replay_;
  std::optional<ReplayedJob> next_replayed_;
  std::deque<JobRequest> replayed_;
  std::uint64_t replayed_read_ = 0;
  bool quiet_arrivals_ = false;
  std::vector<LoggedIdentity> logged_;      // by JobRequest::logged
  std::vector<std::uint32_t> free_logged_;  // its slots no job holds
  bool arrivals_quiet() const;
  FailureModel failures_;
  std::deque<JobRequest> retries_;
  std::optional<JobRequest> peeked_;
  bool peeked_from_search_ = false;
  const ReleasePolicy* release_policy_ = nullptr;
  JobPlacement* placement_ = nullptr;
  RoomCheck has_room_;
  std::optional<std::uint32_t> placed_cluster_;  // of the next job, once placed
  // Which job that was: a retry queued ahead of it, or a search that changes its next trial,
  // makes another job the next one, and it is placed anew.
  std::tuple<std::uint64_t, std::uint32_t, std::int32_t, double> placed_job_{};
  std::vector<bool> room_;  // scratch of the placement
  double run_time_factor_ = 1;
  double peeked_release_s_ = 0;  // when the peeked job may start (with a release policy)
  double search_ready_s_ = -1;   // when a worker first asked for the held search trial
  std::uint64_t released_ = 0;   // independent trials released by arrivals so far
  // Arrivals not fully started: (trials released up to and including it, arrival time).
  std::deque<std::pair<std::uint64_t, double>> batches_;
  double next_arrival_s_ = 0;
  std::uint64_t next_trial_ = 0;
  std::uint32_t running_ = 0;
};

}  // namespace mlcycle
