#pragma once
// The TOML side of a sweep file: [sweep] read into plain entries, each [[sweep.vary]] and
// [[sweep.zip]] entry as the `--vary`/`--zip` option text it stands for, located in the file.
// The sweep wing checks those texts with the command line's parser (sweep/sweep_file.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"

namespace mlcycle {

struct SweepAxisEntry {
  std::string option;    // the --vary/--zip option text
  SourceLocation where;  // of its values or range
  std::string key_path;  // "sweep.vary[0].values"
};

struct SweepFileEntries {
  std::string scenario_path;  // resolved against the sweep file's directory
  std::vector<SweepAxisEntry> vary;
  std::vector<SweepAxisEntry> zip;
  std::vector<std::string> set;  // "KEY=VALUE" overrides for every run
  std::uint32_t replicates = 1;
  std::optional<std::uint32_t> jobs;
};

// A TOML file with a [sweep] table (else a scenario, or a file the scenario loader reports on).
bool is_sweep_file(const std::string& path);

// Throws InputError located at FILE:LINE:COL on malformed TOML or a bad [sweep] entry.
SweepFileEntries read_sweep_file_entries(const std::string& text, const std::string& path);
// The file's text; InputError when it is a directory or cannot be opened.
std::string read_sweep_file_text(const std::string& path);

// A float as TOML writes it: the shortest text that reads back to the same double, with ".0"
// added to whole numbers (1.0, not 1), so that it stays a float.
std::string toml_float_text(double value);

}  // namespace mlcycle
