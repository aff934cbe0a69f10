#pragma once
// SimGrid's profile files (a host's state_file or speed_file, a link's state_file,
// bandwidth_file or latency_file). SimGrid 3.32 aborts the process on anything its parser or its
// event loop cannot take (a line it cannot read, `nan`, an out-of-range number, a negative value
// after the first event, a loop of zero length hangs it), so mlcycle parses the files itself with
// a strict grammar that accepts only what SimGrid runs correctly, and hands SimGrid the parsed
// events (simgrid_profile_text) instead of the file:
//   - blank lines, and comments starting with '#' or '%';
//   - "TIME VALUE" lines: decimal numbers (no hex, inf or nan), times >= 0 and not decreasing;
//   - at most one "LOOPAFTER SECONDS" (repeat after the last event) or "PERIODICITY SECONDS"
//     (the whole pattern's period, at least the last time) line; the cycle must be positive;
//   - no STOCHASTIC profiles (mlcycle needs to know when a failing node comes back).
// Values: a state is 0 (off) or 1 (on); a speed or bandwidth is a fraction of the peak in
// (0, 1]; a latency is seconds >= 0.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mlcycle {

enum class ProfileKind { state, speed, bandwidth, latency };

struct StateProfile {
  std::vector<std::pair<double, double>> events;  // (time, value): 0 = off, 1 = on for states
  double loop_after_s = -1;  // >= 0: repeat the events this long after the last one
};

// Parses a profile of the given kind. Errors are InputErrors located at
// `file_for_errors`:LINE:COL and keyed by `key` (e.g. "host g1: state_file").
StateProfile parse_profile(std::string_view text, const std::string& file_for_errors,
                           const std::string& key, ProfileKind kind);

// A host's or link's state profile (node failures).
StateProfile parse_state_profile(std::string_view text, const std::string& file_for_errors,
                                 const std::string& key = "state_file");

// The profile in SimGrid's syntax, every number printed exactly (17 significant digits), for
// ProfileBuilder::from_string: SimGrid runs exactly what was checked.
std::string simgrid_profile_text(const StateProfile& profile);

struct PlatformProfiles {
  std::set<std::string> failing_hosts;  // hosts with a state_file
  std::map<std::string, StateProfile> states;
  // The first time after `now_s` the host's state profile turns it on (infinity: never).
  double next_up_s(const std::string& host, double now_s) const;
};

}  // namespace mlcycle
