// HeapPrefault (app/huge_page_heap.hpp) backs, on a thread of its own, the part of the heap the
// next allocations take. Its own program, not a Catch2 case: the heap must be set up first thing
// in main, before any thread exists. Exits 77 (CTest: skipped) where the heap cannot be on huge
// pages (the kernel offers none, or a sanitizer's allocator owns the heap).
//
//   heap_prefault_test        the heap on huge pages: the prefault must back the memory
//   heap_prefault_test off    run with MLCYCLE_HUGE_PAGES=off: it must back nothing
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "app/huge_page_heap.hpp"

namespace {

constexpr long kMiB = 1024 * 1024;

// Anonymous memory resident now (the heap's backed pages), from /proc/self/status.
long anonymous_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("RssAnon:", 0) == 0) return std::atol(line.c_str() + 8) * 1024;
  return -1;
}

int failures = 0;

void expect(bool ok, const char* what, long value_mib) {
  std::printf("%s %s (%ld MiB)\n", ok ? "ok:" : "FAILED:", what, value_mib);
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  mlcycle::back_heap_with_huge_pages();
  const bool expect_off = argc > 1 && std::strcmp(argv[1], "off") == 0;
  const std::string state(mlcycle::heap_huge_pages());
  if (anonymous_rss_bytes() < 0) {
    std::puts("skipped: /proc/self/status has no RssAnon");
    return 77;
  }
  if (expect_off ? state != "off" : state != "on") {
    std::printf("skipped: heap_huge_pages is '%s'\n", state.c_str());
    return 77;
  }

  // 64 MiB asked for: from the huge page holding the heap's top (`from`, rounded down) to
  // from + 64 MiB, that is 64 to 66 MiB, less the 8 MiB lead the prefault leaves to the
  // allocations themselves: 56 to 58 MiB, 28 or 29 huge pages. When the heap's top still lies
  // in its first, unaligned 2 MiB (on 4 KiB pages, not the prefault's), the range starts at the
  // first huge page instead, up to 2 MiB later: 62 to 64 MiB less the lead, 54 to 56 MiB. (That
  // depends on where the kernel put the heap: about 1 run in 50 here.) So 54 to 58 MiB.
  const long before = anonymous_rss_bytes();
  {
    mlcycle::HeapPrefault prefault;
    prefault.start(64 * kMiB);
    prefault.start(64 * kMiB);  // a second start while one is under way is ignored
  }                             // the destructor waits for the thread
  const long backed = anonymous_rss_bytes() - before;
  if (expect_off) {
    expect(backed < 2 * kMiB, "MLCYCLE_HUGE_PAGES=off: the prefault backs nothing", backed / kMiB);
    return failures == 0 ? 0 : 1;
  }
  expect(backed >= 54 * kMiB && backed <= 58 * kMiB, "64 MiB asked: 54 to 58 MiB backed",
         backed / kMiB);

  // The next allocation lands where the prefault worked: writing 60 MiB of it backs at most
  // the 8 MiB lead (4 huge pages, one of which may have been backed already) and a few pages
  // of stdio's: under 12 MiB, not 60.
  const long prefaulted = anonymous_rss_bytes();
  auto* block = static_cast<char*>(std::malloc(60 * kMiB));
  std::memset(block, 1, 60 * kMiB);
  const long grew = anonymous_rss_bytes() - prefaulted;
  expect(grew < 12 * kMiB, "a 60 MiB block written after it: under 12 MiB more backed",
         grew / kMiB);
  const bool written = block[60 * kMiB - 1] == 1;
  std::free(block);
  expect(written, "the block holds what was written", 0);

  // Nothing to do: no thread, no memory.
  const long idle = anonymous_rss_bytes();
  {
    mlcycle::HeapPrefault nothing;
    nothing.start(0);
  }
  expect(anonymous_rss_bytes() - idle < kMiB, "start(0) backs nothing", 0);
  return failures == 0 ? 0 : 1;
}
