#pragma once
// SimGrid aborts the process on a bad availability or state profile (a missing file, unsorted
// dates, a malformed line), so the files the platform XML names are checked here first, with
// the error located in the profile file. The hosts that have a state profile (node failures)
// are reported too: the scheduler actor must live on a host that never fails.
#include <set>
#include <string>

namespace mlcycle {

struct PlatformProfiles {
  std::set<std::string> failing_hosts;  // hosts with a state_file
};

// Scans `platform_path` for the profile attributes of <host> and <link> elements
// (state_file, speed_file, bandwidth_file, latency_file) and checks each file.
PlatformProfiles check_platform_profiles(const std::string& platform_path);

}  // namespace mlcycle
