#pragma once
// `mlcycle replay-stats LOG`: what a cluster's job log holds (jobs by state, the jobs a replay
// would run, GPU-hours, span, sizes, how busy the cluster was), before any simulation.
#include <ostream>
#include <string>
#include <vector>

#include "app/job_log_cli.hpp"

namespace mlcycle {

struct ReplayStatsCli {
  JobLogText log;
  std::string gpus;  // the logged cluster's GPUs, for its utilization
};

boost::program_options::options_description replay_stats_options();
// Throws InputError (exit 2) on a usage error.
void parse_replay_stats_options(const std::vector<std::string>& args, ReplayStatsCli& cli);
int run_replay_stats_command(const ReplayStatsCli& cli, std::ostream& out);

}  // namespace mlcycle
