#pragma once
// SimGrid aborts the process on a bad availability or state profile (a missing file, unsorted
// dates, a malformed line), so the files the platform XML names are checked here first, with
// the error located in the profile file. The hosts that have a state profile (node failures)
// are reported too: the scheduler actor must live on a host that never fails.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mlcycle {

struct StateProfile {
  std::vector<std::pair<double, double>> events;  // (time, value): 0 = off, else on
  double loop_after_s = -1;                       // LOOPAFTER: repeat after the last event
};

struct PlatformProfiles {
  std::set<std::string> failing_hosts;  // hosts with a state_file
  std::map<std::string, StateProfile> states;
  // The first time after `now_s` the host's state profile turns it on (infinity: never).
  double next_up_s(const std::string& host, double now_s) const;
};

// Scans `platform_path` for the profile attributes of <host> and <link> elements
// (state_file, speed_file, bandwidth_file, latency_file) and checks each file.
PlatformProfiles check_platform_profiles(const std::string& platform_path);

}  // namespace mlcycle
