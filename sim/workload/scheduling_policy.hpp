#pragma once
// Scheduling policies decide which queued jobs of one cluster start now. They see the
// cluster's queue (campaign runs in priority order, each offering its next job), its GPU pool
// and the requested end times of its running jobs, and start jobs through the queue. New
// policies (carbon-aware ones) implement the same interface.
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "scenario/scenario.hpp"
#include "workload/campaign_source.hpp"
#include "workload/gpu_pool.hpp"

namespace mlcycle {

// One cluster's queue as the policies see it.
class ClusterQueue {
 public:
  // `track_requests`: keep the running jobs' requested end times (backfilling needs them).
  ClusterQueue(std::uint32_t cluster, GpuPool pool, bool track_requests)
      : cluster_(cluster), pool_(std::move(pool)), track_requests_(track_requests) {}

  std::uint32_t cluster() const { return cluster_; }
  GpuPool& pool() { return pool_; }
  const GpuPool& pool() const { return pool_; }
  // Campaign runs in queue order: priority (high first), release time, creation order.
  const std::vector<CampaignSource*>& order() const { return order_; }
  void add(CampaignSource* source);
  // Running jobs by requested end time: (requested end, GPUs).
  const std::multimap<double, std::uint32_t>& requested_ends() const { return requested_ends_; }

  // Takes `source`'s peeked job onto `allocation` at `now_s`.
  JobStart start(CampaignSource& source, Allocation allocation, double now_s, std::uint64_t job_id);
  // Takes the k-th job queued behind `source`'s peeked one (CampaignSource::take_behind).
  JobStart start_behind(CampaignSource& source, std::size_t k, Allocation allocation, double now_s,
                        std::uint64_t job_id);
  void finish(const JobStart& job);

  // The campaign runs with a job eligible now, by priority (high first), then that job's submit
  // time, then queue order: first come, first served across campaigns. Valid until the next call.
  const std::vector<CampaignSource*>& candidates(double now_s);

 private:
  JobStart started(JobRequest request, Allocation allocation, double now_s, std::uint64_t job_id);

  std::uint32_t cluster_;
  GpuPool pool_;
  std::vector<CampaignSource*> order_;
  std::multimap<double, std::uint32_t> requested_ends_;
  std::map<std::uint64_t, std::multimap<double, std::uint32_t>::iterator> running_;
  bool track_requests_;
  std::vector<std::pair<const JobRequest*, CampaignSource*>> ready_;  // scratch
  std::vector<CampaignSource*> candidates_;
};

// Where a dispatch hands the jobs it starts, one by one in start order. The lifecycle core puts
// each straight into its slot: a list of them would be one more copy of every job's state (the
// first dispatch on an idle 100,000-GPU platform starts 100,000 jobs at once).
class StartSink {
 public:
  virtual ~StartSink() = default;
  virtual void take(JobStart&& start) = 0;
};

class SchedulingPolicy {
 public:
  virtual ~SchedulingPolicy() = default;
  // Starts what the policy allows at `now_s`; `next_job_id` numbers the started jobs.
  virtual void dispatch(ClusterQueue& queue, double now_s, std::uint64_t& next_job_id,
                        StartSink& started) = 0;
};

// First come, first served: the eligible job with the highest priority, then the earliest
// submit time, starts when its gang fits; when it does not fit, the cluster waits (no job
// overtakes it). Within one campaign run, jobs keep their order.
class FifoPolicy : public SchedulingPolicy {
 public:
  void dispatch(ClusterQueue& queue, double now_s, std::uint64_t& next_job_id,
                StartSink& started) override;
};

// EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): as FIFO, but when the head does not
// fit it gets a reservation at the shadow time, the earliest time enough GPUs are free given
// the running jobs' *requested* end times; a later job may start now if it fits and either
// ends (by its request) before the shadow time or uses only the GPUs the head will not need.
// Candidates are the next jobs of the other campaign runs in the queue (trials of one campaign
// stay in order).
class EasyBackfillPolicy : public SchedulingPolicy {
 public:
  void dispatch(ClusterQueue& queue, double now_s, std::uint64_t& next_job_id,
                StartSink& started) override;
};

std::unique_ptr<SchedulingPolicy> make_policy(SchedulerPolicy policy);

}  // namespace mlcycle
