// The job-log importers (Slurm sacct, SWF) and the log's tally, on hand-written files: every
// field, every special case the docs state (docs/replay.md), and errors located by file:line.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "support/error_text.hpp"
#include "support/temp_dir.hpp"
#include "workload/job_csv_reader.hpp"
#include "workload/job_log_stats.hpp"
#include "workload/log_fields.hpp"
#include "workload/sacct_reader.hpp"
#include "workload/swf_reader.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

std::vector<LoggedJob> read_all(JobLogReader& reader) {
  std::vector<LoggedJob> jobs;
  LoggedJob job;
  while (reader.next(job)) jobs.push_back(job);
  return jobs;
}

using test::error_of;

constexpr double kMarch1 = 1709251200;  // 2024-03-01T00:00:00Z
const char* const kHeader =
    "JobID|Submit|Start|End|Elapsed|State|AllocTRES|ReqTRES|NNodes|Partition|Account|User|"
    "Timelimit\n";

}  // namespace

TEST_CASE("slurm durations: [D-]HH:MM:SS and MM:SS") {
  CHECK(parse_slurm_duration_s("00:05:00") == 300);
  CHECK(parse_slurm_duration_s("1-02:03:04") == 93784);  // 86,400 + 7,200 + 180 + 4
  CHECK(parse_slurm_duration_s("30:00") == 1800);
  CHECK(parse_slurm_duration_s("01:00:00.5") == 3600.5);
  CHECK_FALSE(parse_slurm_duration_s("UNLIMITED"));
  CHECK_FALSE(parse_slurm_duration_s("Partition_Limit"));
  CHECK_FALSE(parse_slurm_duration_s("60"));
  CHECK_FALSE(parse_slurm_duration_s("00:61:00"));
  CHECK_FALSE(parse_slurm_duration_s("-1:00:00"));
  CHECK_FALSE(parse_slurm_duration_s("1:2:3:4"));
  CHECK_FALSE(parse_log_count("-1"));
  CHECK(parse_log_count("4294967295") == 4294967295u);
  CHECK_FALSE(parse_log_count("4294967296"));
}

TEST_CASE("sacct: every field, steps, array tasks, running and never-started jobs") {
  TempDir tmp("mlcycle_job_logs");
  const std::string path = tmp.write(
      "a.sacct",
      std::string(kHeader) +
          // 1. A job of 2 GPUs on one node, its two steps after it.
          "100|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|COMPLETED|"
          "billing=8,cpu=8,gres/gpu=2,mem=64G,node=1|cpu=8,gres/gpu=2,node=1|1|gpu|proj-a|alice|"
          "04:00:00\n"
          "100.batch|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|"
          "COMPLETED|cpu=8,gres/gpu=2,node=1||1||proj-a||\n"
          "100.0|2024-03-01T10:00:05|2024-03-01T10:00:05|2024-03-01T12:00:00|01:59:55|COMPLETED|"
          "cpu=8,gres/gpu=2,node=1||1||proj-a||\r\n"
          // 2. An array task with a typed GPU; then its pending range.
          "101_1|2024-03-01T10:30:00|2024-03-01T11:00:00|2024-03-01T11:30:00|00:30:00|FAILED|"
          "cpu=4,gres/gpu:a100=1,node=1|cpu=4,gres/gpu:a100=1,node=1|1|gpu|proj-b|bob|"
          "1-00:00:00\n"
          "101_[2-5]|2024-03-01T10:30:00|Unknown|Unknown|00:00:00|PENDING||"
          "cpu=4,gres/gpu:a100=1,node=1|1|gpu|proj-b|bob|1-00:00:00\n"
          // 3. Cancelled while pending; 4. running, started 2 s before its submit (skew).
          "102|2024-03-01T11:00:00|None|2024-03-01T11:10:00|00:00:00|CANCELLED by 1001||"
          "cpu=8,gres/gpu=8,node=1|1|gpu|proj-a|alice|UNLIMITED\n"
          "103|2024-03-01T12:00:00|2024-03-01T11:59:58|Unknown|01:00:02|RUNNING|"
          "cpu=16,gres/gpu=8,node=2|cpu=16,gres/gpu=8,node=2|2|gpu|proj-a|carol|2-00:00:00\n"
          "\n"
          // 5. No GPU; 6. cancelled at its start (Start = End, nothing allocated).
          "104|2024-03-01T09:00:00|2024-03-01T09:00:00|2024-03-01T09:30:00|00:30:00|COMPLETED|"
          "cpu=2,mem=4G,node=1|cpu=2,mem=4G,node=1|1|cpu|proj-c|dave|01:00:00\n"
          "105|2024-03-01T13:00:00|2024-03-01T13:05:00|2024-03-01T13:05:00|00:00:00|CANCELLED||"
          "gres/gpu=4|1|gpu|proj-c|dave|01:00:00\n");
  SacctReader reader(path, SacctOptions{3600});  // times in CET: 10:00 local is 09:00Z
  const std::vector<LoggedJob> jobs = read_all(reader);
  REQUIRE(jobs.size() == 7);
  CHECK(reader.records_skipped() == 2);

  const LoggedJob& a = jobs[0];
  CHECK(a.id == "100");
  CHECK(a.line == 2);
  CHECK(a.submit_s == kMarch1 + 9 * 3600);
  CHECK(a.start_s == kMarch1 + 9 * 3600);
  CHECK(a.end_s == kMarch1 + 11 * 3600);
  CHECK(a.gpus == 2);
  CHECK(a.nodes == 1);
  CHECK(a.state == LoggedState::completed);
  CHECK(a.partition == "gpu");
  CHECK(a.account == "proj-a");
  CHECK(a.user == "alice");
  CHECK(a.walltime_s == 4 * 3600.0);
  CHECK(a.gpu_type.empty());

  const LoggedJob& task = jobs[1];
  CHECK(task.id == "101_1");
  CHECK(task.line == 5);
  CHECK(task.gpus == 1);
  CHECK(task.gpu_type == "a100");
  CHECK(task.state == LoggedState::failed);
  CHECK(task.walltime_s == 86400.0);

  const LoggedJob& range = jobs[2];
  CHECK(range.id == "101_[2-5]");
  CHECK(range.state == LoggedState::pending);
  CHECK_FALSE(range.start_s);
  CHECK(range.gpus == 1);  // from ReqTRES: nothing is allocated

  const LoggedJob& cancelled = jobs[3];
  CHECK(cancelled.state == LoggedState::cancelled);
  CHECK_FALSE(cancelled.start_s);
  CHECK_FALSE(cancelled.end_s);
  CHECK_FALSE(cancelled.walltime_s);  // UNLIMITED

  const LoggedJob& running = jobs[4];
  CHECK(running.state == LoggedState::running);
  CHECK(running.start_before_submit);
  CHECK(running.start_s == kMarch1 + 11 * 3600);  // moved up to its submit
  // Elapsed counts from the logged start, 10:59:58Z: sacct ran at 12:00:00Z.
  CHECK(running.end_s == kMarch1 + 12 * 3600);
  CHECK(running.nodes == 2);

  CHECK(jobs[5].gpus == 0);
  CHECK(jobs[5].start_s);
  CHECK(jobs[6].state == LoggedState::cancelled);
  CHECK_FALSE(jobs[6].start_s);
}

TEST_CASE("sacct: --parsable's trailing bar, and header fields in any order") {
  TempDir tmp("mlcycle_job_logs");
  const std::string path =
      tmp.write("p.sacct",
                "State|JobID|ReqTRES|Submit|End|Start|\n"
                "COMPLETED|7|gres/gpu=3|2024-03-01T00:00:00|2024-03-01T01:00:00|"
                "2024-03-01T00:30:00|\n");
  SacctReader reader(path, SacctOptions{});
  const std::vector<LoggedJob> jobs = read_all(reader);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].gpus == 3);
  CHECK(jobs[0].start_s == kMarch1 + 1800);
  CHECK(jobs[0].end_s == kMarch1 + 3600);
  CHECK(jobs[0].nodes == 0);  // not in the log
}

TEST_CASE("sacct: bad input is located by file:line:column") {
  TempDir tmp("mlcycle_job_logs");
  const auto error = [&](const std::string& body) {
    const std::string path = tmp.write("bad.sacct", std::string(kHeader) + body);
    return error_of(path, [&] {
      SacctReader reader(path, SacctOptions{});
      read_all(reader);
    });
  };
  const std::string ok_tail = "|1|gpu|a|u|01:00:00\n";
  CHECK(error("1|2024-03-01T00:00:00|2024-13-01T00:00:00|2024-03-01T01:00:00|01:00:00|COMPLETED|"
              "gres/gpu=1|gres/gpu=1" +
              ok_tail) ==
        "F:2:23: Start: '2024-13-01T00:00:00' is not a time (sacct's YYYY-MM-DDTHH:MM:SS)");
  CHECK(error("1|2024-03-01T00:00:00|2024-03-01T02:00:00|2024-03-01T01:00:00|01:00:00|COMPLETED|"
              "gres/gpu=1|gres/gpu=1" +
              ok_tail) ==
        "F:2:43: End: '2024-03-01T01:00:00' is before Start '2024-03-01T02:00:00'");
  CHECK(error("1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T01:00:00|01:00:00|COMPLETED|"
              "gres/gpu=-1|gres/gpu=1" +
              ok_tail) ==
        "F:2:82: AllocTRES: gres/gpu=-1: not a count of 0 or more (GPUs < 0, or not a number)");
  CHECK(error("1|2024-03-01T00:00:00|2024-03-01T00:00:00\n") ==
        "F:2:1: record: has 3 fields, the header 13");
  CHECK(error("1|Unknown|Unknown|Unknown|00:00:00|PENDING||gres/gpu=1" + ok_tail) ==
        "F:2:3: Submit: is missing: every job has a submit time");
  const std::string no_start = tmp.write("h.sacct", "JobID|Submit|End|State|AllocTRES\n");
  CHECK(error_of(no_start, [&] {
          SacctReader reader(no_start, SacctOptions{});
        }).starts_with("F:1:1: header: has no field Start"));
  const std::string no_gpus = tmp.write("g.sacct", "JobID|Submit|Start|End|State\n");
  CHECK(error_of(no_gpus, [&] { SacctReader reader(no_gpus, SacctOptions{}); }) ==
        "F:1:1: header: has neither AllocTRES nor ReqTRES: the jobs' GPUs are unknown");
}

TEST_CASE("swf: fields, the start anchor, processors to GPUs, status codes") {
  TempDir tmp("mlcycle_job_logs");
  const std::string path =
      tmp.write("b.swf",
                "; Version: 2.2\n"
                "; UnixStartTime: 1709283600\n"  // 2024-03-01T09:00:00Z
                "1   0    10   3600  8  -1 -1  8  7200  -1 1 1 1 -1 1 -1 -1 -1\n"
                "2   60   -1   1800  -1 -1 -1  5  3600  -1 0 2 1 -1 1 2  -1 -1\n"
                "\t3 120 0 0 -1 -1 -1 16 3600 -1 5 1 1 -1 1 -1 -1 -1\n"
                "4   180  600  -1    4  -1 -1  4  -1    -1 -1 3 2 -1 2 -1 -1 -1\n"
                "5   200  0    900   0  -1 -1  0  -1    -1 3 3 2 -1 2 -1 -1 -1\n");
  SwfReader reader(path, SwfOptions{4, 0});
  const std::vector<LoggedJob> jobs = read_all(reader);
  REQUIRE(jobs.size() == 5);
  const double t0 = kMarch1 + 9 * 3600;
  CHECK(jobs[0].id == "1");
  CHECK(jobs[0].line == 3);
  CHECK(jobs[0].submit_s == t0);
  CHECK(jobs[0].start_s == t0 + 10);
  CHECK(jobs[0].end_s == t0 + 3610);
  CHECK(jobs[0].gpus == 2);  // 8 processors / 4
  CHECK(jobs[0].walltime_s == 7200.0);
  CHECK(jobs[0].state == LoggedState::completed);
  CHECK(jobs[0].user == "1");
  CHECK(jobs[0].account == "1");
  CHECK(jobs[0].partition == "1");    // the queue, when there is no partition
  CHECK(jobs[1].gpus == 2);           // 5 requested processors / 4, rounded up
  CHECK(jobs[1].start_s == t0 + 60);  // wait -1: 0
  CHECK(jobs[1].state == LoggedState::failed);
  CHECK(jobs[1].partition == "2");
  CHECK(jobs[2].state == LoggedState::cancelled);  // cancelled with run 0: never started
  CHECK_FALSE(jobs[2].start_s);
  CHECK(jobs[3].state == LoggedState::pending);  // run -1: never started
  CHECK_FALSE(jobs[3].start_s);
  CHECK(jobs[4].gpus == 0);
  CHECK(jobs[4].state == LoggedState::completed);  // status 3: last part completed
}

TEST_CASE("swf: bad input is located by file:line:column") {
  TempDir tmp("mlcycle_job_logs");
  const auto error = [&](const std::string& body) {
    const std::string path = tmp.write("bad.swf", body);
    return error_of(path, [&] {
      SwfReader reader(path, SwfOptions{});
      read_all(reader);
    });
  };
  CHECK(error("1 0 10 3600 8\n") == "F:1:1: record: has 5 fields: an SWF record has 18");
  CHECK(error("1 0 10 -5 8 -1 -1 8 7200 -1 1 1 1 -1 1 -1 -1 -1\n") ==
        "F:1:8: run time: is negative (-5): -1 is the only unknown");
  CHECK(error("1 x 10 3600 8 -1 -1 8 7200 -1 1 1 1 -1 1 -1 -1 -1\n") ==
        "F:1:3: submit time: 'x' is not a number");
  CHECK(error("; UnixStartTime: soon\n") ==
        "F:1:18: UnixStartTime: 'soon' is not a number of seconds since 1970 (before 10000)");
  CHECK(error_of("x", [] { SwfReader reader("/nonexistent/x.swf", SwfOptions{}); }) ==
        "/nonexistent/x.swf: log: cannot be read");
}

TEST_CASE("job-log tally: GPU-hours, span, sizes, peak (hand-computed)") {
  TempDir tmp("mlcycle_job_logs");
  // Four jobs from 00:00Z: A 1 GPU [0, 2 h); B 4 GPUs [1 h, 3 h); C 4 GPUs [3 h, 4 h), starting
  // as B ends (not 8 at once); D 16 GPUs never started; E no GPU [0, 5 h).
  // GPU-hours: 2 + 8 + 4 = 14. Span: first submit 0 to last time 5 h. Mean busy: 14 / 5 = 2.8.
  // Peak: 5 GPUs over [1 h, 2 h), first at 1 h.
  const std::string path = tmp.write(
      "t.sacct",
      "JobID|Submit|Start|End|State|AllocTRES\n"
      "A|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T02:00:00|COMPLETED|gres/gpu=1\n"
      "B|2024-03-01T00:30:00|2024-03-01T01:00:00|2024-03-01T03:00:00|COMPLETED|gres/gpu=4\n"
      "C|2024-03-01T00:30:00|2024-03-01T03:00:00|2024-03-01T04:00:00|TIMEOUT|gres/gpu=4\n"
      "D|2024-03-01T00:45:00|Unknown|Unknown|PENDING|\n"
      "E|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T05:00:00|COMPLETED|cpu=4\n");
  SacctReader reader(path, SacctOptions{});
  const JobLogStats s = tally_job_log(reader);
  CHECK(s.jobs == 5);
  CHECK(s.replayable == 3);
  CHECK(s.never_started == 1);
  CHECK(s.without_gpus == 1);
  CHECK(s.by_state[static_cast<int>(LoggedState::completed)] == 3);
  CHECK(s.by_state[static_cast<int>(LoggedState::timeout)] == 1);
  CHECK(s.by_state[static_cast<int>(LoggedState::pending)] == 1);
  CHECK(s.gpu_hours == 14);
  CHECK(s.span_s() == 5 * 3600);
  CHECK(s.mean_busy_gpus() == Approx(2.8).epsilon(1e-15));
  CHECK(s.peak_gpus == 5);
  CHECK(s.peak_at_s == kMarch1 + 3600);
  // Buckets: 1 GPU (A), 3-4 GPUs (B, C).
  REQUIRE(s.gpus_histogram.size() == 3);
  CHECK(s.gpus_histogram == std::vector<std::uint64_t>{1, 0, 2});
}

TEST_CASE("job-log tally: a running job without Elapsed is cut at the log's last time") {
  TempDir tmp("mlcycle_job_logs");
  // R 2 GPUs from 01:00, no end; the last time in the log is B's end, 03:00: 2 x 2 h = 4.
  const std::string path = tmp.write(
      "r.sacct",
      "JobID|Submit|Start|End|State|AllocTRES\n"
      "R|2024-03-01T01:00:00|2024-03-01T01:00:00|Unknown|RUNNING|gres/gpu=2\n"
      "B|2024-03-01T02:00:00|2024-03-01T02:00:00|2024-03-01T03:00:00|COMPLETED|gres/gpu=1\n");
  SacctReader reader(path, SacctOptions{});
  const JobLogStats s = tally_job_log(reader);
  CHECK(s.running == 1);
  CHECK(s.running_without_elapsed == 1);
  CHECK(s.gpu_hours == 5);  // 4 + 1
  CHECK(s.peak_gpus == 3);
}

TEST_CASE("csv: a mapping, seconds from a start, durations in minutes, GPU units, waits") {
  TempDir tmp("mlcycle_job_logs");
  // PAI-shaped: plan_gpu counts 100 a GPU (50: half a GPU, rounded up to 1). Times in seconds
  // from 2024-03-01T00:00:00Z; duration and wait in minutes.
  const std::string path =
      tmp.write("p.csv",
                "\xEF\xBB\xBFname,plan_gpu,t,wait_min,dur_min,status,\"user, quoted\"\r\n"
                "a,200,60,5,30,Terminated,\"x,y\"\r\n"
                "b,50,120,,10,Failed,z\r\n"
                "c,0,180,0,1,Running,z\r\n");
  JobCsvOptions options;
  options.columns = {{"id", "name"},          {"gpus", "plan_gpu"},    {"submit", "t"},
                     {"wait", "wait_min"},    {"duration", "dur_min"}, {"state", "status"},
                     {"user", "user, quoted"}};
  options.time = LogTimeFormat::seconds;
  options.start_unix_s = kMarch1;
  options.duration_unit_s = 60;
  options.gpu_units = 100;
  options.states = {{"Terminated", LoggedState::completed}};
  JobCsvReader reader(path, options);
  const std::vector<LoggedJob> jobs = read_all(reader);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].id == "a");
  CHECK(jobs[0].gpus == 2);
  CHECK(jobs[0].submit_s == kMarch1 + 60);
  CHECK(jobs[0].start_s == kMarch1 + 60 + 300);
  CHECK(jobs[0].end_s == kMarch1 + 360 + 1800);
  CHECK(jobs[0].state == LoggedState::completed);
  CHECK(jobs[0].user == "x,y");
  CHECK(jobs[1].gpus == 1);
  CHECK(jobs[1].start_s == kMarch1 + 120);  // no wait: starts at its submit
  CHECK(jobs[1].state == LoggedState::failed);
  CHECK(jobs[2].gpus == 0);
  CHECK(jobs[2].state == LoggedState::running);  // "Running", though it has a duration
}

TEST_CASE("csv: mapping errors name the key, record errors the line and column") {
  TempDir tmp("mlcycle_job_logs");
  const std::string path = tmp.write("m.csv", "a,b,c\n1,2,3\n");
  const auto error = [&](std::map<std::string, std::string> columns) {
    JobCsvOptions options;
    options.columns = std::move(columns);
    options.where = {"scenario.toml", 7, 3};
    return error_of(path, [&] {
      JobCsvReader reader(path, options);
      read_all(reader);
    });
  };
  CHECK(error({{"gpus", "a"}, {"duration", "b"}}) ==
        "scenario.toml:7:3: columns: names no column for submit (required)");
  CHECK(error({{"submit", "a"}, {"gpus", "b"}}) ==
        "scenario.toml:7:3: columns: names neither duration nor start and end: the run times "
        "are unknown");
  CHECK(error({{"submit", "a"}, {"gpus", "b"}, {"duration", "nope"}}) ==
        "F:1:1: columns.duration: the file has no column 'nope' (its columns: a, b, c)");
  CHECK(error({{"submit", "a"}, {"gpus", "b"}, {"duration", "c"}}) ==
        "F:2:1: a: '1' is not an ISO-8601 time");
  const std::string unterminated = tmp.write("q.csv", "a,b,c\n\"x,2,3\n");
  JobCsvOptions options;
  options.columns = {{"submit", "a"}, {"gpus", "b"}, {"duration", "c"}};
  CHECK(error_of(unterminated, [&] {
          JobCsvReader reader(unterminated, options);
          read_all(reader);
        }) == "F:2:1: record: a quoted field runs past the end of its line");
}

TEST_CASE("job logs: the review's cases (ranges, Slurm's day forms, states, CSV quirks)") {
  TempDir tmp("mlcycle_job_logs");
  // Slurm's D-HH and D-HH:MM: 1.5 days.
  CHECK(parse_slurm_duration_s("1-12") == 129600);
  CHECK(parse_slurm_duration_s("1-12:00") == 129600);
  CHECK_FALSE(parse_slurm_duration_s("1-25:00:00"));
  CHECK_FALSE(parse_slurm_duration_s("400000-00:00:00"));  // beyond 1,000 years

  // SWF: out-of-range and non-whole numbers are located errors, never undefined behaviour.
  const auto swf_error = [&](const std::string& body) {
    const std::string path = tmp.write("r.swf", body);
    return error_of(path, [&] {
      SwfReader reader(path, SwfOptions{});
      read_all(reader);
    });
  };
  CHECK(swf_error("1e19 0 0 60 1 -1 -1 1 -1 -1 1 1 1 -1 1 -1 -1 -1\n") ==
        "F:1:1: job number: '1e19' is out of range (a whole number at most 9007199254740992)");
  CHECK(swf_error("1 0 0 60 1 -1 -1 1 -1 -1 7 1 1 -1 1 -1 -1 -1\n") ==
        "F:1:26: status: '7' is out of range (a whole number at most 5)");
  CHECK(swf_error("1 0 0 60 1 -1 -1 1 -7 -1 1 1 1 -1 1 -1 -1 -1\n") ==
        "F:1:20: requested time: is negative (-7): -1 is the only unknown");
  CHECK(swf_error("1 0 0 60 -1 -1 -1 -5 60 -1 1 1 1 -1 1 -1 -1 -1\n") ==
        "F:1:19: requested processors: is negative (-5): -1 is the only unknown");
  CHECK(swf_error("; UnixStartTime: 1e300\n") ==
        "F:1:18: UnixStartTime: '1e300' is not a number of seconds since 1970 (before 10000)");

  // sacct: REQUEUED is the record of a run that was stopped; a job past its deadline while it
  // waited (Start = End, nothing allocated) never started; a FAILED job without End keeps its
  // state, its run cut at Start + Elapsed; several GPU types are all kept.
  const std::string sacct =
      tmp.write("s.sacct",
                "JobID|Submit|Start|End|Elapsed|State|AllocTRES|ReqTRES\n"
                "1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T01:00:00|01:00:00|REQUEUED|"
                "gres/gpu=1|gres/gpu=1\n"
                "2|2024-03-01T00:00:00|2024-03-01T02:00:00|2024-03-01T02:00:00|00:00:00|DEADLINE||"
                "gres/gpu=4\n"
                "3|2024-03-01T00:00:00|2024-03-01T00:00:00|Unknown|00:30:00|FAILED|"
                "gres/gpu:a100=2,gres/gpu:v100=1|\n");
  SacctReader reader(sacct, SacctOptions{});
  const std::vector<LoggedJob> jobs = read_all(reader);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].state == LoggedState::preempted);
  CHECK(jobs[0].end_s == kMarch1 + 3600);
  CHECK_FALSE(jobs[1].start_s);
  CHECK(jobs[1].state == LoggedState::pending);
  CHECK(jobs[2].state == LoggedState::failed);
  CHECK(jobs[2].end_s == kMarch1 + 1800);
  CHECK(jobs[2].gpus == 3);
  CHECK(jobs[2].gpu_type == "a100+v100");

  // CSV: a byte-order mark before a quoted header; an empty GPU field is 0 GPUs; text after a
  // closing quote and a Unix time past 9999 are errors.
  JobCsvOptions options;
  options.columns = {{"submit", "submit"}, {"gpus", "gpus"}, {"duration", "duration"}};
  options.time = LogTimeFormat::unix;
  const std::string bom = tmp.write("b.csv",
                                    "\xEF\xBB\xBF\"submit\",\"gpus\",\"duration\"\n"
                                    "1709251200,,60\n");
  JobCsvReader csv(bom, options);
  const std::vector<LoggedJob> rows = read_all(csv);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].gpus == 0);
  const auto csv_error = [&](const std::string& body) {
    const std::string path = tmp.write("e.csv", "submit,gpus,duration\n" + body);
    return error_of(path, [&] {
      JobCsvReader reader(path, options);
      read_all(reader);
    });
  };
  CHECK(csv_error("\"1\"x,1,60\n") == "F:2:4: record: text after a quoted field's closing quote");
  CHECK(csv_error("1e300,1,60\n") ==
        "F:2:1: submit: '1e300' is out of range (1970 to the end of 9999)");
}
