#pragma once
// A sweep file: the options of `mlcycle sweep` written as TOML. Its [[sweep.vary]] and
// [[sweep.zip]] entries become `--vary`/`--zip` option texts, so that the command line and the
// file share parse_vary/parse_zip. Errors are InputErrors located at FILE:LINE:COL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/sweep_file_reader.hpp"  // toml_float_text

namespace mlcycle {

struct SweepFileSpec {
  std::string scenario_path;      // resolved against the sweep file's directory
  std::vector<std::string> vary;  // "KEY=V1,V2,..." or "KEY=start:stop:step", one per axis
  std::vector<std::string> zip;   // "KEY=V1,V2,...", all forming one axis
  std::vector<std::string> set;   // "KEY=VALUE" overrides for every run
  std::uint32_t replicates = 1;
  std::optional<std::uint32_t> jobs;
};

SweepFileSpec read_sweep_file(const std::string& path);
// Same, from text (the path locates errors and anchors the scenario path).
SweepFileSpec read_sweep_text(const std::string& text, const std::string& path);

}  // namespace mlcycle
