// Fuzzes the job-log importers and the log's tally (mlcycle replay-stats). Input: one selector
// byte, then the file's bytes. The selector's low two bits pick the reader: 0 Slurm sacct
// (--parsable2), 1 SWF, 2 CSV through the mapping id, submit, start, end, state, gpus, wait,
// walltime (to the header's columns of those names), 3 CSV through submit, gpus, duration, wait;
// bit 2 an option: sacct's and CSV's UTC offset (0 or +01:00), SWF's processors per GPU (1 or
// 4), CSV's times (ISO-8601 or seconds from 0). Bit 7 instead runs the Slurm duration parser on
// the rest. Bit 4, with CSV: the file is also read as two halves (LineReader's cut at its middle,
// as the replays' census reads a large log), which must give the same jobs as one reader.
// InputError is the expected answer to bad input; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/line_reader.hpp"
#include "fuzz_support.hpp"
#include "workload/job_csv_reader.hpp"
#include "workload/job_log_stats.hpp"
#include "workload/log_fields.hpp"
#include "workload/sacct_reader.hpp"
#include "workload/swf_reader.hpp"

namespace {

using namespace mlcycle;

struct Read {
  int line;
  double submit_s;
  std::uint32_t gpus;
  std::string id;
  bool operator==(const Read&) const = default;
};

std::vector<Read> read_all(JobLogReader& reader) {
  std::vector<Read> jobs;
  LoggedJob job;
  while (reader.next(job)) jobs.push_back({job.line, job.submit_s, job.gpus, job.id});
  return jobs;
}

// One reader, then two over the file's halves: the same jobs, in the same order, on the same
// lines. (Either may stop at an InputError: then there is nothing to compare.)
void compare_halves(const std::string& path, const JobCsvOptions& options, std::size_t bytes) {
  std::vector<Read> whole;
  try {
    JobCsvReader reader(path, options);
    whole = read_all(reader);
  } catch (const InputError&) {
    return;
  }
  const auto cut = LineReader::line_start_after(path, bytes / 2);
  if (!cut) return;
  JobCsvReader first(path, options), second(path, options);
  if (cut->offset < first.record_lines()->offset()) return;  // inside the header (the census too)
  first.record_lines()->stop_at(cut->offset);
  second.record_lines()->seek(cut->offset, cut->lines_before);
  std::vector<Read> halves;
  try {
    halves = read_all(first);
    const std::vector<Read> rest = read_all(second);
    halves.insert(halves.end(), rest.begin(), rest.end());
  } catch (const InputError&) {
    std::abort();  // the whole file read without an error: so must its halves
  }
  if (halves != whole) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mlcycle;
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view body = fuzz::as_text(data + 1, size - 1);
  if (selector & 0x80) {
    (void)parse_slurm_duration_s(body);
    return 0;
  }
  const bool option = (selector & 4) != 0;
  try {
    const fuzz::TempInput file(body, ".log");
    switch (selector & 3) {
      case 0: {
        SacctReader reader(file.path(), SacctOptions{option ? 3600.0 : 0.0});
        (void)tally_job_log(reader);
        break;
      }
      case 1: {
        SwfReader reader(file.path(), SwfOptions{option ? 4.0 : 1.0, 0});
        (void)tally_job_log(reader);
        break;
      }
      default: {
        JobCsvOptions options;
        if ((selector & 3) == 2)
          for (const char* field :
               {"id", "submit", "start", "end", "state", "gpus", "wait", "walltime"})
            options.columns[field] = field;
        else
          for (const char* field : {"submit", "gpus", "duration", "wait"})
            options.columns[field] = field;
        options.time = option ? LogTimeFormat::seconds : LogTimeFormat::iso;
        options.utc_offset_s = option ? 0 : 3600;
        options.gpu_units = (selector & 8) ? 100 : 1;
        JobCsvReader reader(file.path(), options);
        (void)tally_job_log(reader);
        if (selector & 16) compare_halves(file.path(), options, body.size());
        break;
      }
    }
  } catch (const InputError&) {
  }
  return 0;
}
