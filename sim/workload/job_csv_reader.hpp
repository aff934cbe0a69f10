#pragma once
// A job log as a CSV file with a header (the public GPU-cluster traces' shape), read through a
// column mapping (docs/replay.md, "CSV"): which of the file's columns holds each field of the
// job-log form. Streamed line by line: a record is one line (a quoted field may hold commas and
// "" but no line break).
// Fields: submit and gpus (required); start and end, or duration (with an optional wait: the
// start is submit + wait); id, nodes, state, user, account, partition, gpu_type, walltime.
// Rules: a record without start (and without duration) never started; an empty end with a start
// is still running; a start before submit is moved up to it; an end before the start is an
// error; GPUs are the column's value / `gpu_units`, rounded up (Alibaba PAI's plan_gpu counts
// 100 a GPU); the state text goes through `states`, then Slurm's names and common synonyms
// (case-insensitive), else `other`.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/line_reader.hpp"
#include "workload/job_log.hpp"

namespace mlcycle {

enum class LogTimeFormat : std::uint8_t {
  iso,      // ISO-8601; without an offset, local time at `utc_offset_s`
  unix,     // seconds since 1970-01-01T00:00:00Z
  seconds,  // seconds since `start_unix_s`
};

struct JobCsvOptions {
  std::map<std::string, std::string> columns;  // field -> the file's column name
  LogTimeFormat time = LogTimeFormat::iso;
  double utc_offset_s = 0;
  double start_unix_s = 0;
  double duration_unit_s = 1;  // seconds of one unit of duration, wait and walltime
  double gpu_units = 1;        // the GPU column's units per GPU
  std::map<std::string, LoggedState, std::less<>> states;  // the file's state text -> state
  SourceLocation where;  // where the mapping was given, for its errors
};

// The fields a mapping may name, in the docs' order.
const std::vector<std::string>& job_csv_fields();
// A state name of the job-log form ("completed", ...), for mappings.
std::optional<LoggedState> logged_state_named(std::string_view name);

class JobCsvReader final : public JobLogReader {
 public:
  // InputError when the file cannot be read, or the mapping names an unknown field, a column
  // the header lacks, or misses a required field.
  JobCsvReader(std::string path, JobCsvOptions options);
  bool next(LoggedJob& job) override;
  std::uint64_t records_skipped() const override { return 0; }
  std::string_view skipped_what() const override { return "records"; }
  LineReader* record_lines() override { return &in_; }

 private:
  // The fields of the job-log form, in job_csv_fields() order: columns are looked up by index,
  // not by name, once per record.
  enum class Field : std::uint8_t {
    id,
    submit,
    start,
    end,
    duration,
    wait,
    gpus,
    nodes,
    state,
    user,
    account,
    partition,
    gpu_type,
    walltime,
    count
  };
  bool read_record();
  std::optional<std::size_t> column(Field field) const {
    return column_of_[static_cast<std::size_t>(field)];
  }
  [[noreturn]] void fail(std::size_t column, const std::string& message) const;
  std::optional<double> time_at(std::size_t column) const;
  std::optional<double> duration_at(std::size_t column) const;

  std::string path_;
  JobCsvOptions options_;
  LineReader in_;
  int line_ = 0;
  std::string_view text_;  // the record's line, in in_'s buffer
  // The record's fields: views into text_, or into quoted_ for a quoted field (its "" made ").
  std::vector<std::string_view> fields_;
  std::deque<std::string> quoted_;         // a deque: a field's view stays put as more are added
  std::vector<std::size_t> field_starts_;  // 0-based offsets in text_, for columns in errors
  std::vector<std::string> header_;
  std::array<std::optional<std::size_t>, static_cast<std::size_t>(Field::count)> column_of_;
};

}  // namespace mlcycle
