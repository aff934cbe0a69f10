#include "workload/job_log_open.hpp"

#include <filesystem>

#include "core/input_error.hpp"

namespace mlcycle {

JobLogFormat format_of_path(const std::string& path) {
  const auto ends_with = [&](const char* suffix) {
    const std::string s(suffix);
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with(".swf")) return JobLogFormat::swf;
  if (ends_with(".csv")) return JobLogFormat::csv;
  return JobLogFormat::sacct;
}

std::unique_ptr<JobLogReader> open_job_log(const JobLogSpec& spec) {
  std::error_code unknown;
  if (std::filesystem::is_directory(spec.path, unknown))
    throw InputError({spec.path, 0, 0}, "log", "is a directory, not a file");
  switch (spec.format) {
    case JobLogFormat::swf:
      return std::make_unique<SwfReader>(spec.path, spec.swf);
    case JobLogFormat::csv:
      return std::make_unique<JobCsvReader>(spec.path, spec.csv);
    case JobLogFormat::sacct:
      break;
  }
  return std::make_unique<SacctReader>(spec.path, spec.sacct);
}

}  // namespace mlcycle
