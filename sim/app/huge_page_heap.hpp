#pragma once
// Backs the allocator's heap with transparent huge pages (2 MiB) where the kernel offers them
// on request (/sys/kernel/mm/transparent_hugepage/enabled is "madvise" or "always").
//
// Why: a run on a 100,000-GPU platform keeps about 100,000 jobs running at once, and each job
// end touches its state at a random place in tens of MiB. On 4 KiB pages every such touch is a
// TLB miss, and the first touch of each page a page fault (on a virtual machine, a costly
// one). On 2 MiB pages both nearly vanish (docs/performance.md has the figures). Results do not
// depend on it: only where memory comes from.
//
// MLCYCLE_HUGE_PAGES=off keeps 4 KiB pages (for comparisons, or on a kernel whose huge-page
// compaction stalls).
#include <cstddef>
#include <string_view>
#include <thread>

namespace mlcycle {

// Call first thing in main, before any thread starts.
void back_heap_with_huge_pages();

// What back_heap_with_huge_pages() did, for the run file's provenance: "on" (the heap asked
// for huge pages), "off" (MLCYCLE_HUGE_PAGES=off) or "unavailable" (the kernel offers none, a
// sanitizer's allocator owns the heap, or the heap could not grow in place).
std::string_view heap_huge_pages();

// Faults in, on a thread of its own, the part of the huge-page heap the next `bytes` of
// allocations will take, while the caller goes on (SimGrid building the platform, the first
// jobs starting). Why: a virtual machine zeroes and maps fresh memory slowly (0.4 to 1 GB/s
// here), and a 100,000-GPU run touches about 90 MB more than a 4,096-GPU one; on the otherwise
// idle second core that cost leaves the simulation's path (docs/performance.md). The pages
// hold zeros until used, so results do not change. Does nothing unless heap_huge_pages() is
// "on"; the destructor waits for the thread.
class HeapPrefault {
 public:
  HeapPrefault() = default;
  HeapPrefault(const HeapPrefault&) = delete;
  HeapPrefault& operator=(const HeapPrefault&) = delete;
  ~HeapPrefault();
  void start(std::size_t bytes);

 private:
  std::thread thread_;
};

}  // namespace mlcycle
