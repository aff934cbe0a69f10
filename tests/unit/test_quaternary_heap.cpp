// The four-child heap of the lifecycle's events: it must give exactly the order of a sorted
// list (the lifecycle's outputs depend on the order of events, not only on their set).
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <vector>

#include "core/quaternary_heap.hpp"

using namespace mlcycle;

namespace {
struct Entry {
  int key;
  int tie;
};
struct Less {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.key < b.key || (a.key == b.key && a.tie < b.tie);
  }
};
}  // namespace

TEST_CASE("quaternary heap: pops in order from a hand-made list", "[quaternary_heap]") {
  QuaternaryHeap<Entry, Less> heap;
  CHECK(heap.empty());
  // Keys 5 3 9 1 7 3 (the second 3 has the larger tie): pops 1 3(0) 3(1) 5 7 9.
  for (Entry e : {Entry{5, 0}, Entry{3, 0}, Entry{9, 0}, Entry{1, 0}, Entry{7, 0}, Entry{3, 1}})
    heap.push(e);
  CHECK(heap.size() == 6);
  std::vector<std::pair<int, int>> popped;
  while (!heap.empty()) {
    popped.emplace_back(heap.top().key, heap.top().tie);
    heap.pop();
  }
  CHECK(popped == std::vector<std::pair<int, int>>{{1, 0}, {3, 0}, {3, 1}, {5, 0}, {7, 0}, {9, 0}});
}

TEST_CASE("quaternary heap: interleaved pushes and pops match a sorted reference",
          "[quaternary_heap]") {
  // A simulation's pattern: each pop is followed by a push later than it (a job end, then the
  // next job's end), with a few thousand entries pending and many duplicate keys.
  boost::random::mt19937 rng(7);
  boost::random::uniform_int_distribution<int> length(0, 500);
  QuaternaryHeap<Entry, Less> heap;
  std::vector<Entry> reference;
  int tie = 0;
  for (int i = 0; i < 3000; ++i) {
    const Entry e{length(rng), tie++};
    heap.push(e);
    reference.push_back(e);
  }
  for (int step = 0; step < 20000; ++step) {
    const auto least = std::min_element(reference.begin(), reference.end(), Less{});
    REQUIRE(heap.top().key == least->key);
    REQUIRE(heap.top().tie == least->tie);
    const int now = least->key;
    reference.erase(least);
    heap.pop();
    if (step % 7 != 0) {  // the heap shrinks now and then
      const Entry e{now + length(rng), tie++};
      heap.push(e);
      reference.push_back(e);
    }
  }
  CHECK(heap.size() == reference.size());
}
