#pragma once
// What a user asks of `mlcycle sweep`, however it was given (command line, sweep file): the
// sweep wing's input. The command line (app/cli.cpp) only fills it in.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlcycle {

struct SweepRequest {
  std::string input;  // a scenario, or a sweep file ([sweep] table)
  std::string dir;
  std::vector<std::string> vary;
  std::vector<std::string> zip;
  std::vector<std::string> overrides;
  std::optional<std::uint32_t> replicates;  // default: the sweep file's, else 1
  std::optional<unsigned> jobs;
  bool resume = false;
};

}  // namespace mlcycle
