#pragma once
// Catch2 2.x has no SKIP: a test whose inputs are absent (../shared/data) would pass with no
// check run. MLCYCLE_SKIP notes the skip and leaves the test case; tests/catch_main.cpp then
// exits with kSkipExitCode when every test case that ran was skipped and none failed, which
// CTest reports as "Skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt).
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

namespace mlcycle::testing {

// The autotools convention, also what tests/run_pytest.py returns for skipped pytest tests.
constexpr int kSkipExitCode = 77;

// Records that the running test case is skipped, and why (printed at the end of the run).
void note_skipped(const std::string& why);

}  // namespace mlcycle::testing

// Leaves the test case as skipped. Use it in the TEST_CASE body itself (a `return` from a helper
// would only leave the helper), before the checks: a CHECK that failed earlier still fails the run.
#define MLCYCLE_SKIP(why)                                     \
  do {                                                        \
    std::ostringstream mlcycle_skip_why;                      \
    mlcycle_skip_why << why;                                  \
    ::mlcycle::testing::note_skipped(mlcycle_skip_why.str()); \
    WARN("skipped: " << mlcycle_skip_why.str());              \
    return;                                                   \
  } while (false)
