#pragma once
// A run interrupted by SIGINT, SIGTERM or SIGHUP (Ctrl-C, a batch system's time limit) removes
// its partial trace, OUT.h5.tmp, on the way out and then dies of the same signal, so the shell
// and schedulers see the usual status (130 for SIGINT). Nothing else of the run is kept.
#include <string>

namespace mlcycle {

// From now on, these signals remove `path` before the process ends. One path at a time; call it
// again after a library replaced the handlers (SimGrid's engine does, for SIGINT).
void remove_on_interrupt(const std::string& path);

// The file is complete or renamed: signals end the process as usual again.
void keep_on_interrupt();

}  // namespace mlcycle
