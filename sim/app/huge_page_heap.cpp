#include "app/huge_page_heap.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>

namespace mlcycle {
namespace {

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define MLCYCLE_SANITIZED_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MLCYCLE_SANITIZED_ALLOCATOR 1
#endif

std::string_view heap_state = "unavailable";

#ifndef MLCYCLE_SANITIZED_ALLOCATOR
// The part of the heap marked for huge pages, [huge_first, huge_end): where a prefault may act.
std::uintptr_t huge_first = 0;
std::uintptr_t huge_end = 0;
// Address space the heap takes up front (only what is touched is ever backed by memory). A run
// that needs more grows the heap past it on 4 KiB pages, as it would without this.
constexpr std::size_t kHeapReserveBytes = std::size_t{1} << 30;
constexpr std::uintptr_t kHugePageBytes = std::uintptr_t{2} << 20;
// How far ahead of the allocations a prefault starts (HeapPrefault::start).
constexpr std::uintptr_t kLeadBytes = 4 * kHugePageBytes;

// The kernel's setting marks the choice in force in brackets: "always [madvise] never".
bool kernel_offers_huge_pages() {
  std::ifstream setting("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(setting, line)) return false;
  return line.find("[madvise]") != std::string::npos || line.find("[always]") != std::string::npos;
}
#endif

}  // namespace

void back_heap_with_huge_pages() {
  if (const char* asked = std::getenv("MLCYCLE_HUGE_PAGES"); asked && std::string(asked) == "off") {
    heap_state = "off";
    return;
  }
#ifndef MLCYCLE_SANITIZED_ALLOCATOR
  if (!kernel_offers_huge_pages()) return;
  // Every block comes from the one heap (no block mapped apart, which would get 4 KiB pages),
  // and freed memory stays in it rather than going back to the kernel (-1: never trimmed;
  // mallopt(3)).
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, -1);
  // Grow the heap by the reserve now, then mark all of it: a mark holds for the mapping it is
  // made on, and the heap's later growth would make new mappings without it.
  const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  void* volatile reserve = std::malloc(kHeapReserveBytes);  // volatile: must not be elided
  const auto after = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const bool grown = reserve != nullptr;
  std::free(reserve);
  const std::uintptr_t first = (before + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  // A heap that could not grow in place (malloc mapped the block elsewhere) moved nothing.
  if (!grown || after < first + kHugePageBytes) return;
  if (madvise(reinterpret_cast<void*>(first), after - first, MADV_HUGEPAGE) != 0) return;
  heap_state = "on";
  huge_first = first;
  huge_end = after & ~(kHugePageBytes - 1);
#endif
}

void HeapPrefault::start(std::size_t bytes) {
#ifndef MLCYCLE_SANITIZED_ALLOCATOR
  if (heap_state != "on" || bytes == 0 || thread_.joinable()) return;
  bytes = std::min<std::size_t>(bytes, huge_end - huge_first);  // beyond it: 4 KiB pages anyway
  // Where the next allocations go: a block this large comes from the top of the heap (the
  // allocator's free lists hold nothing that big yet), and freed it goes back there unwritten.
  void* probe = std::malloc(bytes);
  const auto from = reinterpret_cast<std::uintptr_t>(probe);
  std::free(probe);
  // (Below huge_first lies at most the heap's first 2 MiB, on 4 KiB pages: left to be touched.)
  if (probe == nullptr || from >= huge_end || from + bytes <= huge_first) return;
  const std::uintptr_t begin = std::max(huge_first, from & ~(kHugePageBytes - 1));
  const std::uintptr_t end = std::min(huge_end, from + bytes);
  // In address order, one huge page at a time, so that the thread stays ahead of the
  // allocations that follow it. It starts kLeadBytes ahead of them, and jumps as far again
  // whenever it finds a page already backed: a thread that walked just in front of the
  // allocations would fault every other page in step with them, halving what it saves.
  const auto prefault = [begin, end] {
    for (std::uintptr_t page = begin + kLeadBytes; page < end; page += kHugePageBytes) {
      unsigned char backed = 0;
      if (mincore(reinterpret_cast<void*>(page), 1, &backed) == 0 && (backed & 1)) {
        page += kLeadBytes - kHugePageBytes;
        continue;
      }
      if (madvise(reinterpret_cast<void*>(page), kHugePageBytes, MADV_POPULATE_WRITE) != 0) return;
    }
  };
  try {
    thread_ = std::thread(prefault);
  } catch (const std::system_error&) {
    // No thread to be had (a process limit): the run touches its pages itself, as without this.
  }
#else
  (void)bytes;
#endif
}

HeapPrefault::~HeapPrefault() {
  if (thread_.joinable()) thread_.join();
}

std::string_view heap_huge_pages() {
  return heap_state;
}

}  // namespace mlcycle
