#pragma once
// What mlcycle checks in a platform file before SimGrid reads it, because SimGrid 3.32 aborts
// (or exhausts memory later) instead of reporting: bytes that are not UTF-8, a host with fewer
// than one core or more than kMaxCoresPerHost, more than kMaxHosts hosts, the same route twice,
// elements that read other files (<include>, <trace>, <peer>, a link's profiles), and the
// profile files of hosts (state_file, speed_file), which mlcycle reads and parses itself
// (state_profiles.hpp). SimGrid then gets `simgrid_xml`: the same text with those
// attributes blanked (lines and columns unchanged), and the parsed profiles are attached to the
// hosts once they exist, so SimGrid never opens a profile file (it aborts on an
// absolute path, and a file could change between our check and its read).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "core/limits.hpp"
#include "engine/state_profiles.hpp"

namespace mlcycle {

inline constexpr std::uint64_t kMaxHosts = limits::kMaxHosts;
inline constexpr std::int64_t kMaxCoresPerHost = limits::kMaxCoresPerHost;

struct ProfileAttachment {
  std::string element;    // "host"
  std::string id;         // the element's id
  std::string attribute;  // state_file or speed_file
  ProfileKind kind = ProfileKind::state;
  StateProfile profile;
  SourceLocation where;  // the attribute in the platform file
};

struct PlatformScan {
  std::string simgrid_xml;  // the platform with the profile attributes blanked
  std::vector<ProfileAttachment> profiles;
  std::uint64_t hosts = 0;              // <host> elements plus the clusters' radicals
  std::uint64_t gpus = 0;               // sum of their cores
  std::int64_t max_cores_per_host = 0;  // the largest `core`
};

// Reads `path` (as the user gave it; relative profile files are looked up next to it, then in
// the working directory) and checks it. Errors are InputErrors at `path`:LINE:COL.
PlatformScan scan_platform(const std::string& path);

// The same on text already read (`path` locates errors and relative profile files).
PlatformScan scan_platform_text(std::string_view text, const std::string& path);

}  // namespace mlcycle
