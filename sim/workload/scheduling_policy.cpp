#include "workload/scheduling_policy.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlcycle {

namespace {

double release_time_s(const CampaignSource* s) {
  return s->info().release_s + s->spec().submit_s;
}

}  // namespace

void ClusterQueue::add(CampaignSource* source) {
  auto before = [](const CampaignSource* a, const CampaignSource* b) {
    if (a->spec().priority != b->spec().priority) return a->spec().priority > b->spec().priority;
    if (release_time_s(a) != release_time_s(b)) return release_time_s(a) < release_time_s(b);
    return a->info().source < b->info().source;
  };
  order_.insert(std::upper_bound(order_.begin(), order_.end(), source, before), source);
}

JobStart ClusterQueue::start(CampaignSource& source, Allocation allocation, double now_s,
                             std::uint64_t job_id) {
  return started(source.take(), std::move(allocation), now_s, job_id);
}

JobStart ClusterQueue::start_behind(CampaignSource& source, std::size_t k, Allocation allocation,
                                    double now_s, std::uint64_t job_id) {
  return started(source.take_behind(k), std::move(allocation), now_s, job_id);
}

JobStart ClusterQueue::started(JobRequest request, Allocation allocation, double now_s,
                               std::uint64_t job_id) {
  JobStart start{std::move(request), std::move(allocation), cluster_, pool_.woken()};
  start.request.job_id = job_id;
  if (track_requests_)
    running_[job_id] =
        requested_ends_.emplace(now_s + start.request.requested_s, start.request.gpus);
  return start;
}

void ClusterQueue::finish(const JobStart& job) {
  pool_.release(job.allocation);
  if (!track_requests_) return;
  auto it = running_.find(job.request.job_id);
  if (it == running_.end()) throw std::logic_error("ClusterQueue: finishing an unknown job");
  requested_ends_.erase(it->second);
  running_.erase(it);
}

namespace {

// Starts the head of the queue while it fits; returns the head that does not (or nullptr).
CampaignSource* start_heads(ClusterQueue& queue, double now_s, std::uint64_t& next_job_id,
                            StartSink& started) {
  while (true) {
    const std::vector<CampaignSource*>& order = queue.candidates(now_s);
    if (order.empty()) return nullptr;
    CampaignSource* head = order.front();
    std::optional<Allocation> allocation =
        queue.pool().allocate(head->peek(now_s, queue.cluster())->gpus);
    if (!allocation) return head;
    started.take(queue.start(*head, std::move(*allocation), now_s, next_job_id++));
  }
}

}  // namespace

const std::vector<CampaignSource*>& ClusterQueue::candidates(double now_s) {
  ready_.clear();
  for (CampaignSource* source : order_)
    if (const JobRequest* job = source->peek(now_s, cluster_)) ready_.emplace_back(job, source);
  if (ready_.size() > 1)
    std::stable_sort(ready_.begin(), ready_.end(), [](const auto& a, const auto& b) {
      if (a.first->priority != b.first->priority) return a.first->priority > b.first->priority;
      return a.first->submit_s < b.first->submit_s;
    });
  candidates_.clear();
  for (const auto& r : ready_) candidates_.push_back(r.second);
  return candidates_;
}

void FifoPolicy::dispatch(ClusterQueue& queue, double now_s, std::uint64_t& next_job_id,
                          StartSink& started) {
  // Strict FIFO: a head that does not fit waits, and so does everyone behind it.
  start_heads(queue, now_s, next_job_id, started);
}

void EasyBackfillPolicy::dispatch(ClusterQueue& queue, double now_s, std::uint64_t& next_job_id,
                                  StartSink& started) {
  CampaignSource* head = start_heads(queue, now_s, next_job_id, started);
  if (!head) return;
  // The head's reservation. GPUs free at the shadow time beyond its need are `extra`.
  const std::uint64_t needed = head->peek(now_s, queue.cluster())->gpus;
  std::uint64_t free_gpus = queue.pool().free_gpus();
  double shadow_s = now_s;
  for (const auto& [end_s, gpus] : queue.requested_ends()) {
    if (free_gpus >= needed) break;
    free_gpus += gpus;
    shadow_s = std::max(now_s, end_s);
  }
  if (free_gpus < needed) shadow_s = std::numeric_limits<double>::infinity();
  std::uint64_t extra = free_gpus >= needed ? free_gpus - needed : 0;
  // Whether a job may start now without delaying the head: it ends (by its request) before
  // the shadow time, or it fits in the GPUs the head will not need then.
  const auto backfill = [&](const JobRequest& job) -> std::optional<Allocation> {
    const bool ends_in_time = now_s + job.requested_s <= shadow_s;
    if (!ends_in_time && job.gpus > extra) return std::nullopt;
    std::optional<Allocation> allocation = queue.pool().allocate(job.gpus);
    if (allocation && !ends_in_time) extra -= job.gpus;
    return allocation;
  };
  // Backfill from the other campaign runs, in queue order, each in its own order; then from
  // the jobs queued behind a replay's next one, each in turn (its log's scheduler backfilled
  // job by job).
  const std::vector<CampaignSource*> others = queue.candidates(now_s);
  for (CampaignSource* source : others) {
    if (source != head)
      while (const JobRequest* job = source->peek(now_s, queue.cluster())) {
        std::optional<Allocation> allocation = backfill(*job);
        if (!allocation) break;
        started.take(queue.start(*source, std::move(*allocation), now_s, next_job_id++));
      }
    for (std::size_t k = 0; k < source->backfill_depth();) {
      std::optional<Allocation> allocation = backfill(source->queued_behind(k));
      if (!allocation) {
        ++k;
        continue;
      }
      started.take(queue.start_behind(*source, k, std::move(*allocation), now_s, next_job_id++));
    }
  }
}

std::unique_ptr<SchedulingPolicy> make_policy(SchedulerPolicy policy) {
  if (policy == SchedulerPolicy::easy_backfill) return std::make_unique<EasyBackfillPolicy>();
  return std::make_unique<FifoPolicy>();
}

}  // namespace mlcycle
