#pragma once
// A [[replay]]: a cluster's job log replayed as one campaign (docs/replay.md). The log's reading
// options stay text here, as the command line gives them too; the workload wing reads them into
// a JobLogSpec (this wing cannot see the readers).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "scenario/phase.hpp"

namespace mlcycle {

// One reading option as written: its text ("" when not given), and where, for its errors.
struct LogOption {
  std::string value;
  std::string key;  // "--utc-offset" on the command line, "replay[0].utc_offset" in a scenario
  SourceLocation where;
};

struct JobLogText {
  std::string path;
  LogOption format, utc_offset, processors_per_gpu, log_start, time, duration_unit, gpu_units;
  // CSV mappings, field -> column and the file's text -> state; `*_at` locate them (no value).
  std::vector<std::pair<std::string, std::string>> columns, states;
  LogOption columns_at, states_at;
};

// Where the log's time 0 falls: its first kept submit at the scenario start, or the logged
// times kept as they are (a job submitted at 2024-03-01T08:00Z is submitted then).
enum class ReplayAnchor : std::uint8_t { first_submit, log };
inline constexpr EnumName<ReplayAnchor> kReplayAnchorNames[] = {
    {ReplayAnchor::first_submit, "first-submit"}, {ReplayAnchor::log, "log"}};
constexpr std::span<const EnumName<ReplayAnchor>> enum_names(ReplayAnchor) {
  return kReplayAnchorNames;
}

// A logged job's grouping key, for filters and the phase mapping.
enum class LogKey : std::uint8_t { account, partition, user };
inline constexpr EnumName<LogKey> kLogKeyNames[] = {
    {LogKey::account, "account"}, {LogKey::partition, "partition"}, {LogKey::user, "user"}};
constexpr std::span<const EnumName<LogKey>> enum_names(LogKey) {
  return kLogKeyNames;
}

struct ReplaySpec {
  JobLogText log;
  ReplayAnchor anchor = ReplayAnchor::first_submit;
  double offset_s = 0;  // added after anchoring
  // Only jobs submitted in [from, to) (Unix seconds), of these partitions, accounts and users
  // (empty: all), and of none of the excluded ones (the rest of a log split into campaigns).
  std::optional<double> from_unix_s, to_unix_s;
  std::vector<std::string> partitions, accounts, users;
  std::vector<std::string> exclude_partitions, exclude_accounts, exclude_users;
  // Simulated run time = logged run time / speed. From the catalog: the simulated cluster's
  // training peak over that of the job's logged GPU type (`logged_gpu` for jobs without one).
  double speed = 1;
  bool speed_from_catalog = false;
  std::string logged_gpu;
  // The log's GPU type names -> catalog ids (sacct's gres/gpu:a100 says "a100"); a type not
  // listed is taken as a catalog id itself.
  std::map<std::string, std::string> gpu_types;
  // The phase of each job by one of its keys (values not listed: the replay's phase).
  std::optional<LogKey> phase_by;
  std::map<std::string, Phase> phases;
  SourceLocation speed_where;

  // Filled in when the log is read before the run (workload/replay_census, with_replays_read;
  // the catalog speeds by engine/work_sizing, with_replay_speeds):
  double anchor_unix_s = 0;  // the logged time simulated at 0 s (before `offset_s`)
  double last_unix_s = 0;    // the log's last time: a running job without an end is cut there
  // How far the log runs out of submit order: the most any kept job was submitted before one
  // written above it. The feed reads that far ahead to release its jobs in submit order.
  double disorder_s = 0;
  std::map<std::string, double> speed_of_type;  // from the catalog: logged GPU type -> speed
};

}  // namespace mlcycle
