#pragma once
// A job log's file, format and reading options, and the reader for it: one description shared by
// `mlcycle replay-stats` and (with the scenario's keys) the replays of a run.
#include <memory>
#include <string>

#include "workload/job_csv_reader.hpp"
#include "workload/job_log.hpp"
#include "workload/sacct_reader.hpp"
#include "workload/swf_reader.hpp"

namespace mlcycle {

enum class JobLogFormat : std::uint8_t { sacct, swf, csv };

struct JobLogSpec {
  std::string path;
  JobLogFormat format = JobLogFormat::sacct;
  SacctOptions sacct;
  SwfOptions swf;
  JobCsvOptions csv;
};

// The format a file name suggests: *.swf SWF, *.csv CSV, anything else sacct.
JobLogFormat format_of_path(const std::string& path);
// InputError when the file cannot be read or the options do not fit it.
std::unique_ptr<JobLogReader> open_job_log(const JobLogSpec& spec);

}  // namespace mlcycle
