#pragma once
// /replay_jobs: what each replayed job's log says, one row per job a [[replay]] replayed, joined
// to /jobs by (campaign, trial): its logged id and line, times, wait, run, GPUs, state and the
// speed it ran at (docs/hdf5-schema.md). Written by reading each log again, a chunk at a time.
#include <hdf5.h>

#include <vector>

#include "scenario/replay_spec.hpp"

namespace mlcycle {

// Writes the table when `replays` is not empty (a run without replays has none).
void write_replay_jobs_table(hid_t root, const std::vector<ReplayOfCampaign>& replays);

}  // namespace mlcycle
