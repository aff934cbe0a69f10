// Fuzzes the HDF5 readers behind `mlcycle info` and the sweep table: the bytes are written to a
// .h5 file, then read as `mlcycle info FILE` does (the format attribute, then the trace or sweep
// reader and the printed table), and by the sweep's run-file checks, which must never throw.
// InputError is the expected answer to a bad file; anything else escaping is a finding. HDF5
// itself is Debian's library, not instrumented: a crash inside it shows as a SEGV in libhdf5.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "app/info_command.hpp"
#include "core/input_error.hpp"
#include "fuzz_support.hpp"
#include "output/run_file_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mlcycle::fuzz::TempInput file(mlcycle::fuzz::as_text(data, size), ".h5");
  (void)mlcycle::run_file_complete(file.path());
  (void)mlcycle::read_run_results(file.path());
  (void)mlcycle::read_run_wall_time_s(file.path());
  try {
    mlcycle::InfoCli cli;
    cli.path = file.path();
    std::ostringstream out;
    mlcycle::run_info_command(cli, out);
  } catch (const mlcycle::InputError&) {
  }
  return 0;
}
