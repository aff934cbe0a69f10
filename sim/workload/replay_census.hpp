#pragma once
// Each [[replay]]'s log read once before the run: how many jobs it replays, where its time 0
// falls, its last time, its largest job and its GPU types. Streams: memory stays flat.
#include "scenario/scenario.hpp"

namespace mlcycle {

// The campaigns' `trials` become the replays' job counts and `gpus_per_trial` their largest
// jobs, so the platform's checks see them; a replay with speed = "catalog" lists its jobs' GPU
// types in `speed_of_type` (NaN: the engine looks them up once the platform is loaded).
// InputError for a log that cannot be read, or a replay that keeps no job.
Scenario with_replays_read(const Scenario& scenario);

}  // namespace mlcycle
