#pragma once
// The command line's description of a job log (`mlcycle replay-stats`): its options, read as
// text into the JobLogText a [[replay]] fills too (workload/job_log_text checks both).
#include <boost/program_options.hpp>

#include "scenario/replay_spec.hpp"

namespace mlcycle {

boost::program_options::options_description job_log_options();
void read_job_log_options(const boost::program_options::variables_map& vm, JobLogText& log);

}  // namespace mlcycle
