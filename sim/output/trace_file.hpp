#pragma once
// The HDF5 trace of one run (schema version 1, docs/hdf5-schema.md). Rows are buffered and
// appended to chunked datasets as the simulation emits them, so memory stays flat however many
// jobs run. The file is written as OUT.tmp and renamed to OUT only by commit(); a writer
// destroyed without commit removes the temporary, so a failed run leaves nothing behind.
#include <memory>
#include <string>
#include <vector>

#include "accounting/run_outcome.hpp"
#include "accounting/run_records.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

inline constexpr int kTraceFormatVersion = 1;

class TraceFile final : public RunRecorder {
 public:
  // Creates OUT.tmp now, so an unwritable path fails before any simulation work.
  // `regions`: the scenario's grid regions (columns of the per-region trace series).
  // `logged_columns`: /jobs has the replays' columns (logged_id, logged_wait_s, logged_state).
  TraceFile(std::string path, std::size_t regions, bool logged_columns = false);
  ~TraceFile() override;
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  void record_job(const JobRecord& job) override;
  void record_bin(const TraceBin& bin) override;

  // Writes the run-level tables and attributes, closes the file and renames it to its path.
  void commit(const Scenario& scenario, const RunOutcome& outcome);

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::string path_;
  std::string temp_path_;
  std::unique_ptr<Impl> impl_;
  bool committed_ = false;
};

}  // namespace mlcycle
