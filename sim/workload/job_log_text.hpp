#pragma once
// A job log's reading options as text (the command line's, or a [[replay]]'s keys) checked into
// a JobLogSpec. Errors point at the option: "command line: --utc-offset: ..." or the scenario's
// "file:line:col: replay[0].utc_offset: ...".
#include <optional>
#include <string>

#include "scenario/replay_spec.hpp"
#include "workload/job_log_open.hpp"

namespace mlcycle {

// InputError (exit 2) when an option is malformed or does not apply to the format.
JobLogSpec job_log_spec(const JobLogText& text);

// "+01:00", "-05:30", "+0100", "0": seconds east of UTC; nullopt when malformed.
std::optional<double> parse_utc_offset_s(const std::string& text);

}  // namespace mlcycle
