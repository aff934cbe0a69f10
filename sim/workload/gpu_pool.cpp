#include "workload/gpu_pool.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlcycle {

GpuPool::GpuPool(std::vector<std::uint32_t> hosts, std::vector<std::uint32_t> cores)
    : hosts_(std::move(hosts)),
      cores_(std::move(cores)),
      free_(cores_),
      state_(hosts_.size(), NodeState::on),
      off_(static_cast<std::uint32_t>(hosts_.size())) {
  for (std::uint32_t c : cores_) max_cores_ = std::max(max_cores_, c);
  by_free_.assign(max_cores_ + 1, IndexSet(static_cast<std::uint32_t>(hosts_.size())));
  std::uint32_t max_host = 0;
  for (std::uint32_t h : hosts_) max_host = std::max(max_host, h);
  global_to_local_.assign(hosts_.empty() ? 0 : max_host + 1, UINT32_MAX);
  for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
    global_to_local_[hosts_[i]] = i;
    by_free_[free_[i]].insert(i);
    total_ += cores_[i];
  }
  free_total_ = total_;
}

std::uint32_t GpuPool::local_index(std::uint32_t host) const {
  if (host >= global_to_local_.size() || global_to_local_[host] == UINT32_MAX)
    throw std::logic_error("GpuPool: host not in this pool");
  return global_to_local_[host];
}

// Only powered nodes live in by_free_; off nodes are always whole; down nodes are nowhere.
void GpuPool::move_node(std::uint32_t local, std::uint32_t new_free) {
  if (state_[local] == NodeState::on) {
    by_free_[free_[local]].erase(local);
    by_free_[new_free].insert(local);
  }
  if (state_[local] != NodeState::down) free_total_ = free_total_ - free_[local] + new_free;
  allocated_ = allocated_ + free_[local] - new_free;
  free_[local] = new_free;
}

void GpuPool::wake(std::uint32_t local) {
  off_.erase(local);
  state_[local] = NodeState::on;
  by_free_[free_[local]].insert(local);
  woken_.push_back(hosts_[local]);
}

bool GpuPool::can_allocate(std::uint32_t gpus) const {
  if (gpus == 0 || gpus > free_total_) return false;
  if (gpus > max_cores_) return true;  // a gang over nodes takes any free GPUs
  for (std::uint32_t f = gpus; f <= max_cores_; ++f)
    if (!by_free_[f].empty()) return true;
  for (std::uint32_t local = off_.first(); local != IndexSet::kNone; local = off_.next(local + 1))
    if (cores_[local] >= gpus) return true;
  return false;
}

std::optional<Allocation> GpuPool::allocate(std::uint32_t gpus) {
  woken_.clear();
  if (gpus == 0 || gpus > free_total_) return std::nullopt;
  if (gpus <= max_cores_) {
    for (std::uint32_t f = gpus; f <= max_cores_; ++f) {
      if (by_free_[f].empty()) continue;
      const std::uint32_t local = by_free_[f].first();
      move_node(local, f - gpus);
      return Allocation{HostShare{hosts_[local], gpus}};
    }
    for (std::uint32_t local = off_.first(); local != IndexSet::kNone; local = off_.next(local + 1))
      if (cores_[local] >= gpus) {
        wake(local);
        move_node(local, cores_[local] - gpus);
        return Allocation{HostShare{hosts_[local], gpus}};
      }
    return std::nullopt;  // enough GPUs in total, but no single node has them: wait
  }
  // A gang larger than any node spans nodes: whole free powered nodes (lowest index first)
  // while the gang fills them, then whole off nodes, then the remainder best fit, then any
  // free GPUs, largest nodes first.
  // Built in place (returned without a move: GCC 12 misreads the inline buffer's move).
  std::optional<Allocation> result(std::in_place);
  Allocation& allocation = *result;
  std::uint32_t needed = gpus;
  auto take = [&](std::uint32_t local, std::uint32_t count) {
    if (state_[local] == NodeState::off) wake(local);
    allocation.push_back(HostShare{hosts_[local], count});
    move_node(local, free_[local] - count);
    needed -= count;
  };
  for (std::uint32_t local = 0; local < hosts_.size() && needed > 0; ++local)
    if (state_[local] == NodeState::on && free_[local] == cores_[local] && free_[local] > 0 &&
        free_[local] <= needed)
      take(local, free_[local]);
  for (std::uint32_t local = off_.first(); local != IndexSet::kNone && needed > 0;
       local = off_.next(local + 1))
    if (cores_[local] <= needed) take(local, cores_[local]);
  for (std::uint32_t f = needed; f <= max_cores_ && needed > 0; ++f)
    if (f > 0 && !by_free_[f].empty()) take(by_free_[f].first(), needed);
  if (needed > 0 && !off_.empty()) take(off_.first(), needed);
  for (std::uint32_t f = max_cores_; f > 0 && needed > 0; --f)
    while (needed > 0 && !by_free_[f].empty()) {
      const std::uint32_t local = by_free_[f].first();
      take(local, std::min(needed, free_[local]));
    }
  return result;
}

void GpuPool::release(const Allocation& allocation) {
  for (const HostShare& share : allocation) {
    const std::uint32_t local = local_index(share.host);
    if (free_[local] + share.cores > cores_[local])
      throw std::logic_error("GpuPool: released more GPUs than the node has");
    move_node(local, free_[local] + share.cores);
  }
}

bool GpuPool::fully_free(std::uint32_t host) const {
  const std::uint32_t local = local_index(host);
  return free_[local] == cores_[local];
}

bool GpuPool::is_off(std::uint32_t host) const {
  return state_[local_index(host)] == NodeState::off;
}

bool GpuPool::is_down(std::uint32_t host) const {
  return state_[local_index(host)] == NodeState::down;
}

void GpuPool::power_off(std::uint32_t host) {
  const std::uint32_t local = local_index(host);
  if (state_[local] != NodeState::on || free_[local] != cores_[local])
    throw std::logic_error("GpuPool: only an idle powered node can be switched off");
  by_free_[free_[local]].erase(local);
  state_[local] = NodeState::off;
  off_.insert(local);
}

void GpuPool::node_down(std::uint32_t host) {
  const std::uint32_t local = local_index(host);
  if (state_[local] == NodeState::down) return;
  if (state_[local] == NodeState::on) by_free_[free_[local]].erase(local);
  if (state_[local] == NodeState::off) off_.erase(local);
  state_[local] = NodeState::down;
  free_total_ -= free_[local];
}

void GpuPool::node_up(std::uint32_t host) {
  const std::uint32_t local = local_index(host);
  if (state_[local] != NodeState::down) return;
  state_[local] = NodeState::on;
  by_free_[free_[local]].insert(local);
  free_total_ += free_[local];
}

}  // namespace mlcycle
