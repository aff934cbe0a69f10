#include "sweep/sweep_file.hpp"

#include "scenario/sweep_file_reader.hpp"
#include "sweep/sweep_plan.hpp"

namespace mlcycle {

namespace {

// The message of an InputError without its location and key.
std::string bare_message(const InputError& e) {
  const std::string prefix = format_input_error(e.where(), e.key(), "");
  const std::string what = e.what();
  return what.compare(0, prefix.size(), prefix) == 0 ? what.substr(prefix.size()) : what;
}

// Moves an error of the command-line parser to the entry of the file that caused it.
InputError relocated(const InputError& e, const SweepAxisEntry& entry) {
  return InputError(entry.where, entry.key_path, bare_message(e));
}

}  // namespace

SweepFileSpec read_sweep_text(const std::string& text, const std::string& path) {
  const SweepFileEntries entries = read_sweep_file_entries(text, path);
  SweepFileSpec spec;
  spec.scenario_path = entries.scenario_path;
  spec.set = entries.set;
  spec.replicates = entries.replicates;
  spec.jobs = entries.jobs;
  const std::vector<SweepAxisEntry>& vary = entries.vary;
  const std::vector<SweepAxisEntry>& zip = entries.zip;
  // Checked now with the command line's parser, so that errors point into the file.
  for (const SweepAxisEntry& entry : vary) {
    try {
      parse_vary(entry.option);
    } catch (const InputError& e) {
      throw relocated(e, entry);
    }
    spec.vary.push_back(entry.option);
  }
  for (const SweepAxisEntry& entry : zip) spec.zip.push_back(entry.option);
  if (!zip.empty()) {
    try {
      parse_zip(spec.zip);
    } catch (const InputError& e) {
      for (const SweepAxisEntry& entry : zip)
        if (e.key() == "--zip " + entry.option) throw relocated(e, entry);
      throw relocated(e, zip.front());
    }
  }
  return spec;
}

SweepFileSpec read_sweep_file(const std::string& path) {
  return read_sweep_text(read_sweep_file_text(path), path);
}

}  // namespace mlcycle
