// Fuzzes the parser of SimGrid profile files (a host's state_file or speed_file, a link's
// bandwidth or latency file), which mlcycle runs instead of SimGrid's own (that one aborts).
// Input: one byte choosing the kind (state, speed, bandwidth, latency), then the file's text.
// Oracle beyond "no crash, only InputError": what mlcycle hands SimGrid (simgrid_profile_text)
// parses back to the very same profile, and a host's next start after any event is consistent.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/input_error.hpp"
#include "engine/state_profiles.hpp"
#include "fuzz_support.hpp"

namespace {

bool same(const mlcycle::StateProfile& a, const mlcycle::StateProfile& b) {
  return a.events == b.events && a.loop_after_s == b.loop_after_s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<mlcycle::ProfileKind>(data[0] % 4);
  const std::string file = "fuzz.profile";
  mlcycle::StateProfile profile;
  try {
    profile =
        mlcycle::parse_profile(mlcycle::fuzz::as_text(data + 1, size - 1), file, "fuzz", kind);
  } catch (const mlcycle::InputError&) {
    return 0;
  }
  // SimGrid gets exactly what was checked: the printed profile must parse back unchanged.
  const mlcycle::StateProfile again =
      mlcycle::parse_profile(mlcycle::simgrid_profile_text(profile), file, "fuzz", kind);
  if (!same(profile, again)) __builtin_trap();
  if (kind == mlcycle::ProfileKind::state) {
    mlcycle::PlatformProfiles profiles;
    profiles.states["h"] = profile;
    for (const auto& [time_s, value] : profile.events) {
      (void)value;
      // A next start, when there is one, is strictly later than the time asked about.
      const double next_s = profiles.next_up_s("h", time_s);
      if (!(next_s > time_s)) __builtin_trap();
    }
  }
  return 0;
}
