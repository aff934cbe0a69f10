#pragma once
// The jobs of every campaign run, queued per cluster and started by the scenario's policy.
// Campaign runs are opened as their stages start; each cluster has one queue and one GPU pool.
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "workload/campaign_source.hpp"
#include "workload/scheduling_policy.hpp"

namespace mlcycle {

struct ClusterGpus {
  std::vector<std::uint32_t> hosts;
  std::vector<std::uint32_t> cores;
};

class JobScheduler {
 public:
  JobScheduler(const std::vector<ClusterGpus>& clusters, SchedulerPolicy policy);

  // Opens a campaign run on `cluster` (a placed run: on each cluster of its placement, the
  // first being `cluster`); returns its index (CampaignRunInfo::source must equal it).
  std::uint32_t open(std::unique_ptr<CampaignSource> source, std::uint32_t cluster,
                     JobPlacement* placement = nullptr);
  std::uint32_t next_source_index() const { return static_cast<std::uint32_t>(sources_.size()); }

  // Starts every job that can start at `now_s`, its GPUs taken, and hands each to `started` in
  // start order; returns how many started.
  std::size_t dispatch(double now_s, StartSink& started);
  // The same, the jobs in a list (for tests).
  std::vector<JobStart> dispatch(double now_s);
  void finish(const JobStart& job);

  CampaignSource& source(std::uint32_t index) { return *sources_[index]; }
  const CampaignSource& source(std::uint32_t index) const { return *sources_[index]; }
  std::size_t sources() const { return sources_.size(); }
  std::size_t clusters() const { return queues_.size(); }
  GpuPool& pool(std::uint32_t cluster) { return queues_[cluster].pool(); }
  const GpuPool& pool(std::uint32_t cluster) const { return queues_[cluster].pool(); }
  std::uint32_t cluster_of_source(std::uint32_t index) const { return source_cluster_[index]; }

  // Lets replays under FIFO arrive quietly (CampaignSource::set_quiet_arrivals): for a driver
  // that counts their queue lengths at next_quiet_arrival_s() itself. Placed runs never do.
  void allow_quiet_arrivals();
  // The next time a campaign run releases jobs without any job ending (infinity: none).
  double next_release_after(double now_s) const;
  // Jobs released but not started in `cluster`'s queue; a placed run's count with its first
  // cluster (a job not yet placed belongs to none).
  std::uint64_t waiting(std::uint32_t cluster, double now_s);
  std::uint64_t never_started() const;

 private:
  std::vector<ClusterQueue> queues_;
  std::unique_ptr<SchedulingPolicy> policy_;
  std::vector<std::unique_ptr<CampaignSource>> sources_;
  std::vector<std::uint32_t> source_cluster_;
  // For placed runs: a cluster could allocate a gang now. It holds the queues' buffer, which
  // never grows after construction and stays put when the scheduler moves.
  RoomCheck room_;
  std::uint32_t placed_runs_ = 0;
  bool fifo_;
  bool quiet_arrivals_ = false;
  std::uint64_t next_job_id_ = 0;
};

}  // namespace mlcycle
