#pragma once
// One job of a cluster's accounting log, in the one form every importer produces
// (docs/replay.md, "The job-log form"). Importers stream: they hand over one job at a time, so a
// log of millions of jobs is never held in memory. Times are seconds since the Unix epoch, UTC.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlcycle {

class LineReader;

// The job's final state as its log reports it (Slurm's names; SWF's status codes map onto
// them). `running`: no end yet when the log was taken; `pending`: never started.
enum class LoggedState : std::uint8_t {
  completed,
  failed,
  cancelled,
  timeout,
  node_fail,
  out_of_memory,
  preempted,
  running,
  pending,
  other,
};
inline constexpr int kLoggedStateCount = 10;
std::string_view logged_state_name(LoggedState state);

// A log's ids are short ("4711_3", an SWF job number; Philly's application ids, the longest of
// the public traces', have 31 characters): a replay keeps the first 31 bytes of a
// longer one (the logged_id of the trace's /jobs).
inline constexpr std::size_t kLoggedIdChars = 31;

// What a replayed job's /jobs row keeps of its log record: its id (a fixed array, so that the
// job passes between threads and queues as plain bytes), its logged wait and final state.
struct LoggedIdentity {
  double wait_s = 0;  // logged start - logged submit
  LoggedState state = LoggedState::other;
  std::uint8_t id_chars = 0;
  std::array<char, kLoggedIdChars> id{};

  std::string_view id_text() const { return {id.data(), id_chars}; }
  void set_id(std::string_view text);  // its first kLoggedIdChars bytes
};

struct LoggedJob {
  std::string id;  // the log's own id: "4711", "4711_3" (an array task), SWF's job number
  int line = 0;    // 1-based line of the job's record in its file
  double submit_s = 0;
  // None: the job never started (pending, or cancelled before it started).
  std::optional<double> start_s;
  // Still running when the log was taken (state `running`): the start plus the run so far, when
  // the log says it (sacct's Elapsed), else none.
  std::optional<double> end_s;
  std::uint32_t gpus = 0;   // 0: a job without GPUs (counted, never replayed)
  std::uint32_t nodes = 0;  // 0: the log does not say
  LoggedState state = LoggedState::other;
  std::string user, account, partition;
  std::string gpu_type;              // "" when the log does not say
  std::optional<double> walltime_s;  // the requested time limit, when the log has one
  bool start_before_submit = false;  // clock skew: the start was moved up to the submit

  // Back to a default job, keeping the strings' buffers (a reader reuses one job per record).
  void reset();
};

// Reads a log record by record. Bad input is an InputError at the record's file and line.
class JobLogReader {
 public:
  virtual ~JobLogReader() = default;
  // The next job, into `job` (reusing its strings); false at the end of the log.
  virtual bool next(LoggedJob& job) = 0;
  // Records read and passed over so far (Slurm's job steps, SWF's comment lines are not
  // records; a pending array range is one record).
  virtual std::uint64_t records_skipped() const = 0;
  // What the skipped records were, for `replay-stats` ("job steps", ...).
  virtual std::string_view skipped_what() const = 0;
  // The file's lines, once the header is read, when a record is one line: a part of the file
  // can then be read on its own (LineReader::seek, stop_at). Null when records span lines.
  virtual LineReader* record_lines() { return nullptr; }
};

}  // namespace mlcycle
