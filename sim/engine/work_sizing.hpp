#pragma once
// Compute-sized campaigns (`work`) on the loaded platform: their clusters' accelerator gives
// the peak FLOP/s per GPU, the campaign or the catalog the MFU, and so each trial's length.
#include <vector>

#include "engine/platform_loader.hpp"
#include "scenario/scenario.hpp"
#include "workload/compute_work.hpp"

namespace mlcycle {

// The scenario with each compute-sized campaign's length fixed at FLOPs / (GPUs x peak x MFU);
// `rates` gets each campaign's rate (peak 0: not compute-sized). InputError at the campaign's
// `work` when its cluster names no accelerator of the catalog, or its clusters differ.
Scenario with_work_lengths(const Scenario& scenario, const LoadedPlatform& platform,
                           std::vector<WorkRate>& rates);

// The scenario with the catalog speed of each GPU type of each replay with speed = "catalog":
// the training peak of its cluster's accelerator over the logged type's. InputError at the
// replay's `speed` for a type, or a cluster accelerator, the catalog does not hold.
Scenario with_replay_speeds(const Scenario& scenario, const LoadedPlatform& platform);

}  // namespace mlcycle
