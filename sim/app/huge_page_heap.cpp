#include "app/huge_page_heap.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

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
// Address space the heap takes up front (only what is touched is ever backed by memory). A run
// that needs more grows the heap past it on 4 KiB pages, as it would without this.
constexpr std::size_t kHeapReserveBytes = std::size_t{1} << 30;
constexpr std::uintptr_t kHugePageBytes = std::uintptr_t{2} << 20;

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
  if (madvise(reinterpret_cast<void*>(first), after - first, MADV_HUGEPAGE) == 0) heap_state = "on";
#endif
}

std::string_view heap_huge_pages() {
  return heap_state;
}

}  // namespace mlcycle
