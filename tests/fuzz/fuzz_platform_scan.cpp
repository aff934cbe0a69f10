// Fuzzes what mlcycle reads of a platform XML before SimGrid sees it (scan_platform_text: the
// tag reader, UTF-8, host and core counts, duplicate routes, elements that read other files,
// the profile files of hosts). Input: the XML text, read as if it were tests/data/fuzz-input.xml
// so that the seeds' relative profile files (g1.state) are found. InputError is the expected
// answer to bad input; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>

#include "core/input_error.hpp"
#include "engine/platform_scan.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const mlcycle::PlatformScan scan = mlcycle::scan_platform_text(
        mlcycle::fuzz::as_text(data, size), MLCYCLE_SOURCE_DIR "/tests/data/fuzz-input.xml");
    // The text SimGrid gets keeps every line and column of the original.
    if (scan.simgrid_xml.size() != size) __builtin_trap();
  } catch (const mlcycle::InputError&) {
  }
  return 0;
}
