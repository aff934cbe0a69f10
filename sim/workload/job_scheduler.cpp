#include "workload/job_scheduler.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlcycle {

JobScheduler::JobScheduler(const std::vector<ClusterGpus>& clusters, SchedulerPolicy policy)
    : policy_(make_policy(policy)), fifo_(policy == SchedulerPolicy::fifo) {
  for (std::uint32_t c = 0; c < clusters.size(); ++c)
    queues_.emplace_back(c, GpuPool(clusters[c].hosts, clusters[c].cores),
                         policy == SchedulerPolicy::easy_backfill);
  room_ = [queues = queues_.data()](std::uint32_t cluster, std::uint32_t gpus) {
    return queues[cluster].pool().can_allocate(gpus);
  };
}

std::uint32_t JobScheduler::open(std::unique_ptr<CampaignSource> source, std::uint32_t cluster,
                                 JobPlacement* placement) {
  const auto index = static_cast<std::uint32_t>(sources_.size());
  if (source->info().source != index)
    throw std::logic_error("JobScheduler: campaign run opened with the wrong index");
  if (placement) {
    if (placement->home() != cluster)
      throw std::logic_error("JobScheduler: a placed run opens on its first cluster");
    source->set_placement(placement, room_);
    ++placed_runs_;
    for (std::uint32_t c : placement->clusters()) queues_.at(c).add(source.get());
  } else {
    queues_.at(cluster).add(source.get());
    source->set_quiet_arrivals(quiet_arrivals_ && fifo_);
  }
  sources_.push_back(std::move(source));
  source_cluster_.push_back(cluster);
  return index;
}

void JobScheduler::allow_quiet_arrivals() {
  quiet_arrivals_ = true;
  for (const auto& source : sources_) source->set_quiet_arrivals(fifo_ && !source->placement());
}

namespace {

// Counts what passes through to the caller's sink.
class CountingSink final : public StartSink {
 public:
  explicit CountingSink(StartSink& to) : to_(to) {}
  void take(JobStart&& start) override {
    ++count;
    to_.take(std::move(start));
  }
  std::size_t count = 0;

 private:
  StartSink& to_;
};

class ListSink final : public StartSink {
 public:
  void take(JobStart&& start) override { list.push_back(std::move(start)); }
  std::vector<JobStart> list;
};

}  // namespace

std::size_t JobScheduler::dispatch(double now_s, StartSink& started) {
  CountingSink counted(started);
  for (ClusterQueue& queue : queues_) policy_->dispatch(queue, now_s, next_job_id_, counted);
  // A placed run's job may be placed on a cluster whose queue has had its turn (a later
  // cluster filled up meanwhile): go round again while that starts anything.
  for (std::size_t before = 0; placed_runs_ > 0 && counted.count > before;) {
    before = counted.count;
    for (ClusterQueue& queue : queues_) policy_->dispatch(queue, now_s, next_job_id_, counted);
  }
  return counted.count;
}

std::vector<JobStart> JobScheduler::dispatch(double now_s) {
  ListSink sink;
  dispatch(now_s, sink);
  return std::move(sink.list);
}

void JobScheduler::finish(const JobStart& job) {
  queues_[job.cluster].finish(job);
}

double JobScheduler::next_release_after(double now_s) const {
  double next = std::numeric_limits<double>::infinity();
  for (const auto& source : sources_) next = std::min(next, source->next_release_after(now_s));
  return next;
}

std::uint64_t JobScheduler::waiting(std::uint32_t cluster, double now_s) {
  std::uint64_t n = 0;
  for (CampaignSource* source : queues_[cluster].order()) {
    if (source_cluster_[source->info().source] != cluster) continue;  // placed: counted at home
    source->release_arrivals(now_s);
    n += source->waiting(now_s);
  }
  return n;
}

std::uint64_t JobScheduler::never_started() const {
  std::uint64_t n = 0;
  for (const auto& source : sources_) n += source->never_started();
  return n;
}

}  // namespace mlcycle
