#pragma once
// A min-heap with four children per node. A campaign on thousands of GPUs keeps thousands of
// pending job ends, and each end pops the earliest: in a binary heap of that size every pop
// walks twelve levels whose lower half is out of the cache. Four children halve the levels,
// and the four siblings of small entries share one or two cache lines, so a pop touches about
// half the cold lines. The order is that of `Less` alone: entries that compare equal come out
// in an unspecified order, so `Less` must be a total order for a deterministic run.
#include <cstddef>
#include <utility>
#include <vector>

namespace mlcycle {

template <class T, class Less>
class QuaternaryHeap {
 public:
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  void reserve(std::size_t entries) { entries_.reserve(entries); }
  const T& top() const { return entries_.front(); }

  void push(const T& entry) {
    std::size_t hole = entries_.size();
    entries_.push_back(entry);
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!less_(entry, entries_[parent])) break;
      entries_[hole] = std::move(entries_[parent]);
      hole = parent;
    }
    entries_[hole] = entry;
  }

  // Removes the top entry: the last entry sinks from the root into the hole it leaves.
  void pop() {
    T moving = std::move(entries_.back());
    entries_.pop_back();
    const std::size_t count = entries_.size();
    if (count == 0) return;
    std::size_t hole = 0;
    while (true) {
      const std::size_t first = hole * kArity + 1;
      if (first >= count) break;
      const std::size_t last = first + kArity < count ? first + kArity : count;
      std::size_t least = first;
      for (std::size_t child = first + 1; child < last; ++child)
        if (less_(entries_[child], entries_[least])) least = child;
      if (!less_(entries_[least], moving)) break;
      entries_[hole] = std::move(entries_[least]);
      hole = least;
    }
    entries_[hole] = std::move(moving);
  }

 private:
  static constexpr std::size_t kArity = 4;
  std::vector<T> entries_;
  [[no_unique_address]] Less less_;
};

}  // namespace mlcycle
