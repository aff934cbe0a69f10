#pragma once
// The command line's description of a job log (`mlcycle replay-stats`): its format and the
// options each format reads, checked into a JobLogSpec.
#include <string>

#include <boost/program_options.hpp>

#include "workload/job_log_open.hpp"

namespace mlcycle {

struct JobLogCli {
  std::string path;
  std::string format;              // sacct | swf | csv; empty: from the file name
  std::string utc_offset;          // sacct, csv (iso): "+01:00"
  std::string processors_per_gpu;  // swf
  std::string log_start;           // swf without UnixStartTime, csv in seconds: ISO-8601
  std::string columns;             // csv: "submit=submit_time,gpus=gpu_num,..."
  std::string time;                // csv: iso | unix | seconds
  std::string duration_unit;       // csv: s | min | h
  std::string gpu_units;           // csv
  std::string states;              // csv: "Pass=completed,Killed=cancelled"
};

boost::program_options::options_description job_log_options();
void read_job_log_options(const boost::program_options::variables_map& vm, JobLogCli& cli);
// InputError (exit 2) when an option is malformed or does not apply to the format.
JobLogSpec job_log_spec(const JobLogCli& cli);

// "+01:00", "-05:30", "+0100", "0": seconds east of UTC; nullopt when malformed.
std::optional<double> parse_utc_offset_s(const std::string& text);

}  // namespace mlcycle
