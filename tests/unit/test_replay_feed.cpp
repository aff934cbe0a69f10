// A [[replay]]'s jobs from its log (workload/replay_feed, replay_census, job_log_text): which
// jobs are kept, where simulated time 0 falls, the speed factor, the phase mapping, submit
// order from a log out of order, the pre-pass's counts, and the reading options' located errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/special_values.hpp"
#include "support/error_text.hpp"
#include "support/temp_dir.hpp"
#include "workload/job_log_text.hpp"
#include "workload/job_scheduler.hpp"
#include "workload/read_ahead.hpp"
#include "workload/replay_census.hpp"
#include "workload/replay_feed.hpp"

using namespace mlcycle;

namespace {

using test::error_of;
using test::TempDir;

constexpr double kMarch1 = 1709251200;  // 2024-03-01T00:00:00Z
const std::string kHeader =
    "JobID|Submit|Start|End|Elapsed|State|AllocTRES|NNodes|Partition|Account|User|Timelimit\n";

// 7 records: 1 (2 GPUs, 1 h) at 00:10; 2 never started; 3 without GPUs; 4 (1 GPU, 30 min,
// prod) at 00:05, written after 1; 5 running without an end or Elapsed, started 01:00; 6 (4
// GPUs, 2 h, prod, limit 4 h) at 02:00; 7 (1 GPU) of the partition "debug" at 03:00. The log's
// last time: 6's end, 04:00.
const std::string kLog =
    kHeader +
    "1|2024-03-01T00:10:00|2024-03-01T00:10:00|2024-03-01T01:10:00|01:00:00|COMPLETED|gres/"
    "gpu=2|1|gpu|research|ann|02:00:00\n"
    "2|2024-03-01T00:20:00|None|2024-03-01T00:30:00|00:00:00|CANCELLED||1|gpu|research|ann|\n"
    "3|2024-03-01T00:30:00|2024-03-01T00:30:00|2024-03-01T00:40:00|00:10:00|COMPLETED|cpu=4|1|cpu|"
    "research|ann|\n"
    "4|2024-03-01T00:05:00|2024-03-01T00:40:00|2024-03-01T01:10:00|00:30:00|COMPLETED|gres/"
    "gpu=1|1|gpu|prod|bo|\n"
    "5|2024-03-01T01:00:00|2024-03-01T01:00:00|Unknown||RUNNING|gres/gpu=1|1|gpu|research|ann|\n"
    "6|2024-03-01T02:00:00|2024-03-01T02:00:00|2024-03-01T04:00:00|02:00:00|FAILED|gres/"
    "gpu=4|1|gpu|prod|bo|04:00:00\n"
    "7|2024-03-01T03:00:00|2024-03-01T03:00:00|2024-03-01T03:30:00|00:30:00|COMPLETED|gres/"
    "gpu=1|1|debug|research|ann|\n";

Scenario scenario_with(const ReplaySpec& replay, double start_unix_s = kMarch1) {
  Scenario scenario;
  scenario.simulation.start = UtcTime{static_cast<std::int64_t>(start_unix_s)};
  CampaignSpec campaign;
  campaign.name = "log";
  campaign.replay = replay;
  scenario.campaigns.push_back(campaign);
  return scenario;
}

std::vector<ReplayedJob> feed_all(const ReplaySpec& replay) {
  ReplayFeed feed(replay, Phase::experimentation);
  std::vector<ReplayedJob> jobs;
  ReplayedJob job;
  while (feed.next(job)) jobs.push_back(job);
  return jobs;
}

}  // namespace

TEST_CASE("replay: the kept jobs, anchored at the first submit, in log order") {
  TempDir dir("replay_feed");
  ReplaySpec replay;
  replay.log.path = dir.write("a.sacct", kLog);
  const Scenario read = with_replays_read(scenario_with(replay));
  const CampaignSpec& campaign = read.campaigns[0];
  // Kept: 1, 4, 5, 6, 7 (2 never started, 3 has no GPU). Largest: 6's 4 GPUs.
  CHECK(campaign.trials == 5);
  CHECK(campaign.gpus_per_trial == 4);
  CHECK(campaign.replay->anchor_unix_s == kMarch1 + 300);     // 4's submit, 00:05
  CHECK(campaign.replay->last_unix_s == kMarch1 + 4 * 3600);  // 6's end
  CHECK(campaign.replay->disorder_s == 300);                  // 4 was submitted 5 min before 1
  const std::vector<ReplayedJob> jobs = feed_all(*campaign.replay);
  REQUIRE(jobs.size() == 5);
  // In submit order: 4 (written second, submitted first) at 0, waited 35 min in the log; 1 at
  // 00:10 - 00:05 = 300 s, 1 h, limit 2 h; 5 cut at the log's last time, 04:00 - 01:00 = 3 h.
  std::vector<std::uint64_t> indices;
  for (const ReplayedJob& job : jobs) indices.push_back(job.index);
  CHECK(indices == std::vector<std::uint64_t>{1, 0, 2, 3, 4});  // `trial`: the log's order
  CHECK(jobs[0].submit_s == 0);
  CHECK(jobs[0].logged.wait_s == 2100);
  CHECK(jobs[0].requested_s == 0);  // no limit in the log
  CHECK(jobs[0].line == 5);
  CHECK(jobs[1].submit_s == 300);
  CHECK(jobs[1].work_s == 3600);
  CHECK(jobs[1].requested_s == 7200);
  CHECK(jobs[1].line == 2);
  CHECK(jobs[2].work_s == 3 * 3600);
  CHECK(jobs[3].gpus == 4);
  CHECK(jobs[3].submit_s == 7200 - 300);
}

TEST_CASE("replay: filters, the log's own times, speed and phases") {
  TempDir dir("replay_feed");
  ReplaySpec replay;
  replay.log.path = dir.write("a.sacct", kLog);
  replay.partitions = {"gpu"};         // drops 7
  replay.from_unix_s = kMarch1 + 600;  // drops 4 (00:05); keeps 1 (00:10)
  replay.anchor = ReplayAnchor::log;
  replay.offset_s = 60;
  replay.speed = 2;
  replay.phase_by = LogKey::account;
  replay.phases = {{"prod", Phase::training}};
  const Scenario read = with_replays_read(scenario_with(replay));
  CHECK(read.campaigns[0].trials == 3);  // 1, 5, 6
  const std::vector<ReplayedJob> jobs = feed_all(*read.campaigns[0].replay);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].submit_s == 600 + 60);  // the log's time, after the scenario start, + offset
  CHECK(jobs[0].work_s == 1800);        // 1 h / 2
  CHECK(jobs[0].requested_s == 3600);   // 2 h / 2
  CHECK(jobs[0].phase == Phase::experimentation);
  CHECK(jobs[2].phase == Phase::training);
  CHECK(jobs[2].work_s == 3600);
}

TEST_CASE("replay: with the log's times, jobs before the scenario start are not replayed") {
  TempDir dir("replay_feed");
  ReplaySpec replay;
  replay.log.path = dir.write("a.sacct", kLog);
  replay.anchor = ReplayAnchor::log;
  // Start 01:00: 1 and 4 were submitted before it; 5 (01:00), 6, 7 remain.
  const Scenario read = with_replays_read(scenario_with(replay, kMarch1 + 3600));
  CHECK(read.campaigns[0].trials == 3);
  const std::vector<ReplayedJob> jobs = feed_all(*read.campaigns[0].replay);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].submit_s == 0);
  // An offset of 2 h brings 4 (00:05) and 1 (00:10) back in: 00:05 - 01:00 + 2 h = 3,900 s.
  replay.offset_s = 7200;
  CHECK(with_replays_read(scenario_with(replay, kMarch1 + 3600)).campaigns[0].trials == 5);
}

TEST_CASE("replay: a log with no job to replay is an error at the replay") {
  TempDir dir("replay_feed");
  ReplaySpec replay;
  replay.log.path = dir.write("a.sacct", kLog);
  replay.users = {"nobody"};
  Scenario scenario = scenario_with(replay);
  scenario.campaigns[0].where = SourceLocation{"s.toml", 12, 1};
  CHECK(error_of("s.toml", [&] { with_replays_read(scenario); }) ==
        "F:12:1: replay.log: the log '" + replay.log.path +
            "' holds no job to replay (none ran with GPUs inside the filters)");
}

TEST_CASE("replay: catalog speeds are looked up per logged GPU type") {
  TempDir dir("replay_feed");
  ReplaySpec replay;
  replay.log.path = dir.write(
      "a.sacct", kHeader +
                     "1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T01:00:00|01:00:"
                     "00|COMPLETED|gres/gpu:v100=2|1|gpu|a|u|\n"
                     "2|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T01:00:00|01:00:"
                     "00|COMPLETED|gres/gpu=1|1|gpu|a|u|\n");
  replay.speed_from_catalog = true;
  replay.logged_gpu = "t4";
  const Scenario read = with_replays_read(scenario_with(replay));
  const std::map<std::string, double>& types = read.campaigns[0].replay->speed_of_type;
  REQUIRE(types.size() == 2);
  CHECK(std::isnan(types.at("v100")));  // the engine fills them once the platform is loaded
  CHECK(types.count("t4") == 1);
}

TEST_CASE("replay: reading options are checked where they were written") {
  JobLogText text;
  text.path = "a.sacct";
  const SourceLocation at{"s.toml", 7, 3};
  text.processors_per_gpu = LogOption{"4", "replay[0].processors_per_gpu", at};
  CHECK(error_of("s.toml", [&] { job_log_spec(text); }) ==
        "F:7:3: replay[0].processors_per_gpu: is for swf logs");
  text.processors_per_gpu = LogOption{};
  text.format = LogOption{"swf", "replay[0].format", at};
  text.processors_per_gpu = LogOption{"0", "replay[0].processors_per_gpu", at};
  CHECK(error_of("s.toml", [&] { job_log_spec(text); }) ==
        "F:7:3: replay[0].processors_per_gpu: '0' is not a number > 0");
  text.processors_per_gpu.value = "2.5";
  CHECK(job_log_spec(text).swf.processors_per_gpu == 2.5);
  text.format.value = "csv";
  text.processors_per_gpu = LogOption{};
  text.states = {{"Pass", "done"}};
  text.states_at = LogOption{"", "replay[0].states", at};
  CHECK(error_of("s.toml", [&] {
          job_log_spec(text);
        }).starts_with("F:7:3: replay[0].states: 'done' is not a state"));
}

namespace {

// Jobs 0, 1, 2, ... (their ids), then an InputError at `fail_at` (or the end at `count`).
class CountingLog final : public JobLogReader {
 public:
  CountingLog(int count, int fail_at) : count_(count), fail_at_(fail_at) {}
  bool next(LoggedJob& job) override {
    if (read_ == fail_at_) throw InputError({"log", read_ + 1, 1}, "Submit", "bad");
    if (read_ == count_) return false;
    job.id = std::to_string(read_++);
    return true;
  }
  std::uint64_t records_skipped() const override { return 7; }
  std::string_view skipped_what() const override { return "steps"; }

 private:
  int count_, fail_at_, read_ = 0;
};

}  // namespace

TEST_CASE("replay: records made ahead on their own thread come in order, then the error") {
  // 5,000 jobs: several batches of 1,024 and a partial one.
  CountingLog counting(5000, -1);
  ReadAhead<LoggedJob> log([&](LoggedJob& made) { return counting.next(made); });
  LoggedJob job;
  int n = 0;
  while (log.next(job)) REQUIRE(job.id == std::to_string(n++));
  CHECK(n == 5000);
  CHECK_FALSE(log.next(job));
  // An error after 2,500 jobs comes after them, once.
  CountingLog counting_to_error(5000, 2500);
  ReadAhead<LoggedJob> failing([&](LoggedJob& made) { return counting_to_error.next(made); });
  n = 0;
  CHECK(error_of("log", [&] {
          while (failing.next(job)) ++n;
        }) == "F:2501:1: Submit: bad");
  CHECK(n == 2500);
  // Dropped in the middle of a long log: the thread stops (the test would hang otherwise).
  CountingLog long_log(1000000, -1);
  auto dropped =
      std::make_unique<ReadAhead<LoggedJob>>([&](LoggedJob& made) { return long_log.next(made); });
  CHECK(dropped->next(job));
  dropped.reset();
}

TEST_CASE("replay: under FIFO, a job submitted behind a waiting one arrives quietly") {
  TempDir dir("replay_feed");
  // 1 takes the 4 GPUs 00:00 to 05:00; 2, 3 and 4 (1 GPU each) arrive at 01:00, 02:00, 03:00.
  const std::string log =
      kHeader +
      "1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T05:00:00|05:00:00|COMPLETED|gres/"
      "gpu=4|2|gpu|a|u|\n"
      "2|2024-03-01T01:00:00|2024-03-01T05:00:00|2024-03-01T06:00:00|01:00:00|COMPLETED|gres/"
      "gpu=1|1|gpu|a|u|\n"
      "3|2024-03-01T02:00:00|2024-03-01T05:00:00|2024-03-01T06:00:00|01:00:00|COMPLETED|gres/"
      "gpu=1|1|gpu|a|u|\n"
      "4|2024-03-01T03:00:00|2024-03-01T05:00:00|2024-03-01T06:00:00|01:00:00|COMPLETED|gres/"
      "gpu=1|1|gpu|a|u|\n";
  ReplaySpec replay;
  replay.log.path = dir.write("q.sacct", log);
  const Scenario read = with_replays_read(scenario_with(replay));
  const std::vector<ClusterGpus> two_nodes{ClusterGpus{{0, 1}, {2, 2}}};
  for (const SchedulerPolicy policy : {SchedulerPolicy::fifo, SchedulerPolicy::easy_backfill}) {
    JobScheduler scheduler(two_nodes, policy);
    scheduler.allow_quiet_arrivals();
    scheduler.open(std::make_unique<CampaignSource>(read.campaigns[0], CampaignRunInfo{0, 0},
                                                    read.simulation.start, 1),
                   0);
    CampaignSource& source = scheduler.source(0);
    REQUIRE(scheduler.dispatch(0).size() == 1);  // 1, on all 4 GPUs
    // Nothing waits: 2's arrival may start it, the clock stops there.
    CHECK(scheduler.next_release_after(0) == 3600);
    CHECK(source.next_quiet_arrival_s() == kInfinity);
    CHECK(scheduler.dispatch(3600).empty());  // 2 waits for 1's GPUs
    CHECK(scheduler.waiting(0, 3600) == 1);
    if (policy == SchedulerPolicy::fifo) {
      // 3 queues behind 2: it can start nothing, the clock need not stop at 02:00.
      CHECK(scheduler.next_release_after(3600) == kInfinity);
      CHECK(source.next_quiet_arrival_s() == 7200);
      CHECK(scheduler.waiting(0, 7200) == 2);  // counted at its own instant all the same
      CHECK(source.next_quiet_arrival_s() == 10800);
    } else {
      // A backfill may start a later job around the waiting one: every arrival stops the clock.
      CHECK(scheduler.next_release_after(3600) == 7200);
      CHECK(source.next_quiet_arrival_s() == kInfinity);
    }
  }
}
