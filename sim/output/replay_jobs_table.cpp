#include "output/replay_jobs_table.hpp"

#include <cstddef>
#include <cstring>
#include <iterator>

#include "output/h5_appendable.hpp"
#include "output/h5_types.hpp"
#include "workload/replay_feed.hpp"

namespace mlcycle {

namespace {

// A log's ids are short ("4711_3", an SWF job number); a longer one keeps its first 47 bytes.
constexpr std::size_t kIdBytes = 48;
constexpr hsize_t kChunkRows = 8192;

#pragma pack(push, 1)
struct ReplayJobRow {
  std::uint32_t campaign;
  std::uint64_t trial;
  char logged_id[kIdBytes];
  std::uint32_t line;
  double logged_submit_unix_s;
  double logged_start_unix_s;
  double logged_wait_s;
  double logged_run_s;
  std::uint32_t logged_gpus;
  std::uint8_t logged_state;
  double speed;
};
#pragma pack(pop)

h5::Handle id_type() {
  h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.id(), kIdBytes);
  H5Tset_strpad(type.id(), H5T_STR_NULLTERM);
  return type;
}

}  // namespace

void write_replay_jobs_table(hid_t root, const std::vector<ReplayOfCampaign>& replays) {
  if (replays.empty()) return;
  std::vector<std::string> states;
  for (int s = 0; s < kLoggedStateCount; ++s)
    states.emplace_back(logged_state_name(static_cast<LoggedState>(s)));
  const h5::Handle state_enum = h5::enum_type(states);
  const h5::Handle id = id_type();
  h5::CompoundType row(sizeof(ReplayJobRow));
  row.add("campaign", offsetof(ReplayJobRow, campaign), H5T_NATIVE_UINT32)
      .add("trial", offsetof(ReplayJobRow, trial), H5T_NATIVE_UINT64)
      .add("logged_id", offsetof(ReplayJobRow, logged_id), id.id())
      .add("line", offsetof(ReplayJobRow, line), H5T_NATIVE_UINT32)
      .add("logged_submit_unix_s", offsetof(ReplayJobRow, logged_submit_unix_s), H5T_NATIVE_DOUBLE)
      .add("logged_start_unix_s", offsetof(ReplayJobRow, logged_start_unix_s), H5T_NATIVE_DOUBLE)
      .add("logged_wait_s", offsetof(ReplayJobRow, logged_wait_s), H5T_NATIVE_DOUBLE)
      .add("logged_run_s", offsetof(ReplayJobRow, logged_run_s), H5T_NATIVE_DOUBLE)
      .add("logged_gpus", offsetof(ReplayJobRow, logged_gpus), H5T_NATIVE_UINT32)
      .add("logged_state", offsetof(ReplayJobRow, logged_state), state_enum.id())
      .add("speed", offsetof(ReplayJobRow, speed), H5T_NATIVE_DOUBLE);
  h5::AppendableDataset table(root, "replay_jobs", row.id(), 0, kChunkRows, true);
  std::vector<ReplayJobRow> rows;
  rows.reserve(kChunkRows);
  for (const ReplayOfCampaign& r : replays) {
    ReplayFeed feed(r.replay, Phase::experimentation);
    ReplayedJob job;
    while (feed.next_in_log_order(job)) {
      const LoggedJob& logged = feed.logged();
      ReplayJobRow out{};
      out.campaign = r.campaign;
      out.trial = job.index;
      std::strncpy(out.logged_id, logged.id.c_str(), kIdBytes - 1);
      out.line = static_cast<std::uint32_t>(logged.line);
      out.logged_submit_unix_s = logged.submit_s;
      out.logged_start_unix_s = *logged.start_s;
      out.logged_wait_s = job.logged_wait_s;
      out.logged_run_s = logged_run_s(r.replay, logged);
      out.logged_gpus = logged.gpus;
      out.logged_state = static_cast<std::uint8_t>(logged.state);
      out.speed = replay_speed(r.replay, logged);
      rows.push_back(out);
      if (rows.size() == kChunkRows) {
        table.append(rows.data(), rows.size());
        rows.clear();
      }
    }
  }
  if (!rows.empty()) table.append(rows.data(), rows.size());
  table.finish();
  table.close();
}

}  // namespace mlcycle
