#include "sweep/sweep_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <list>
#include <optional>
#include <thread>

namespace mlcycle {

namespace {

struct Running {
  std::size_t index;
  ChildProcess process;
};

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

class Progress {
 public:
  Progress(bool on, std::size_t total) : on_(on), total_(total), start_(now()) {}
  void update(std::size_t done, std::size_t failed) {
    if (!on_) return;
    const double elapsed = now() - start_;
    const double eta =
        done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : 0;
    std::fprintf(stderr, "\rsweep: %zu/%zu runs, %zu failed, %s elapsed, ETA %s ", done, total_,
                 failed, clock_text(elapsed).c_str(),
                 done > 0 ? clock_text(eta).c_str() : "--:--:--");
    if (done == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  static double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  bool on_;
  std::size_t total_;
  double start_;
};

ChildProcess start_point(const SweepPlan& plan, const SweepRunOptions& options, std::size_t index) {
  const SweepPoint& point = plan.points[index];
  const std::string run_file = options.dir + "/" + run_file_of(point);
  return ChildProcess(point_argv(options.executable, plan, point, run_file),
                      options.dir + "/runs/" + point.id + ".stderr");
}

}  // namespace

std::string run_file_of(const SweepPoint& point) {
  return "runs/" + point.id + ".h5";
}

std::vector<std::string> point_argv(const std::string& executable, const SweepPlan& plan,
                                    const SweepPoint& point, const std::string& run_file_path) {
  std::vector<std::string> argv{executable, "run", plan.scenario_path};
  for (const std::string& set : plan.base_overrides) argv.insert(argv.end(), {"--set", set});
  for (const auto& [key, value] : point.settings)
    argv.insert(argv.end(), {"--set", key + "=" + value.text});
  argv.insert(argv.end(), {"--seed", std::to_string(point.seed), "-o", run_file_path, "--quiet"});
  return argv;
}

void run_points(const SweepPlan& plan, const std::vector<std::size_t>& to_run,
                const SweepRunOptions& options, const FinishPoint& finish,
                std::vector<PointOutcome>& outcomes, MpiLink* mpi) {
  std::deque<std::size_t> pending(to_run.begin(), to_run.end());
  std::list<Running> running;  // a list: running children are never moved
  // Per worker rank: its slots (-1 until it first asks) and the stops it was sent; a worker is
  // done when every slot got its stop.
  const int ranks = mpi ? mpi->size() : 1;
  std::vector<long> worker_slots(static_cast<std::size_t>(ranks), -1),
      stops(static_cast<std::size_t>(ranks), 0);
  auto live_workers = [&] {
    int live = 0;
    for (int r = 1; r < ranks; ++r)
      live += worker_slots[static_cast<std::size_t>(r)] < 0 ||
              stops[static_cast<std::size_t>(r)] < worker_slots[static_cast<std::size_t>(r)];
    return live;
  };
  std::size_t done = 0, failed = 0;
  Progress progress(options.progress, to_run.size());
  progress.update(0, 0);
  auto record = [&](std::size_t index, PointOutcome outcome) {
    failed += outcome.status == PointStatus::failed;
    outcomes[index] = std::move(outcome);
    progress.update(++done, failed);
  };
  while (!pending.empty() || !running.empty() || live_workers() > 0) {
    bool busy = false;
    while (running.size() < options.jobs && !pending.empty()) {
      running.emplace_back(Running{pending.front(), start_point(plan, options, pending.front())});
      pending.pop_front();
      busy = true;
    }
    for (auto it = running.begin(); it != running.end();) {
      if (it->process.poll()) {
        const SweepPoint& point = plan.points[it->index];
        record(it->index,
               finish(point, it->process.result(), options.dir + "/" + run_file_of(point)));
        it = running.erase(it);
        busy = true;
      } else {
        ++it;
      }
    }
    while (mpi && live_workers() > 0) {
      std::optional<WorkerRequest> request = mpi->poll_request();
      if (!request) break;
      busy = true;
      const auto rank = static_cast<std::size_t>(request->rank);
      worker_slots[rank] = request->slots;
      if (request->report) record(request->report->index, std::move(request->report->outcome));
      if (pending.empty()) {
        mpi->send_stop(request->rank);
        ++stops[rank];
      } else {
        mpi->send_point(request->rank, pending.front());
        pending.pop_front();
      }
    }
    if (!busy) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void serve_points(const SweepPlan& plan, const SweepRunOptions& options, const FinishPoint& finish,
                  MpiLink& mpi) {
  // One request per free slot; each reply is a point for that slot or its stop.
  const std::uint32_t slots = std::max(1u, options.jobs);
  std::list<Running> running;
  std::uint32_t stopped = 0;
  std::uint32_t asked = 0;
  for (std::uint32_t i = 0; i < slots; ++i, ++asked) mpi.request(slots, std::nullopt);
  while (stopped < slots) {
    while (asked > 0) {
      std::optional<std::uint64_t> index = mpi.receive_point();
      --asked;
      if (index)
        running.emplace_back(Running{*index, start_point(plan, options, *index)});
      else
        ++stopped;
    }
    if (running.empty()) continue;
    bool freed = false;
    for (auto it = running.begin(); it != running.end();) {
      if (it->process.poll()) {
        const SweepPoint& point = plan.points[it->index];
        mpi.request(slots, PointReport{it->index, finish(point, it->process.result(),
                                                         options.dir + "/" + run_file_of(point))});
        ++asked;
        it = running.erase(it);
        freed = true;
      } else {
        ++it;
      }
    }
    if (!freed) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace mlcycle
