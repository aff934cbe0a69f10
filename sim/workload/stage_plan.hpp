#pragma once
// When each stage of the project runs. Run 0 of a stage starts once every stage it follows
// has finished all its runs, and not before its `start_at`; run k starts `every` after run
// k - 1 started (periodic retraining does not wait for the previous run). A run finishes when
// all its campaign runs have finished (at once when it has no campaigns).
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "scenario/scenario.hpp"

namespace mlcycle {

struct StageRunEvent {
  std::uint32_t stage = 0;
  std::uint32_t run = 0;
  double time_s = 0;
};

class StagePlan {
 public:
  explicit StagePlan(const Scenario& scenario);

  std::size_t size() const { return stages_.size(); }
  const std::vector<std::uint32_t>& campaigns_of(std::uint32_t stage) const {
    return stages_[stage].campaigns;
  }
  std::optional<std::uint32_t> index_of(const std::string& name) const;

  // Runs due at or before `now_s`, in start order; each is returned once. Runs without
  // campaigns finish at once (see take_finished).
  std::vector<StageRunEvent> take_starts(double now_s);
  double next_start_after(double now_s) const;
  // One campaign run of stage run (stage, run) finished at `now_s`.
  void campaign_finished(std::uint32_t stage, std::uint32_t run, double now_s);
  // Stage runs that finished since the last call, in finish order.
  std::vector<StageRunEvent> take_finished();
  // Every run of `stage` finished: when (none yet: nullopt).
  std::optional<double> finished_at(std::uint32_t stage) const;
  std::uint32_t runs_started(std::uint32_t stage) const { return stages_[stage].started; }

 private:
  static constexpr double kNever = std::numeric_limits<double>::infinity();
  struct Stage {
    const StageSpec* spec = nullptr;
    std::vector<std::uint32_t> after;
    std::vector<std::uint32_t> campaigns;
    double first_start_s = kNever;  // known once its dependencies have finished
    std::uint32_t started = 0;
    std::uint32_t finished = 0;
    std::vector<std::uint32_t> open;  // per started run: campaign runs still going
    double finished_at_s = kNever;
  };
  void resolve_first_start(Stage& stage);
  void finish_run(std::uint32_t stage, std::uint32_t run, double now_s);

  std::vector<Stage> stages_;
  std::vector<StageRunEvent> finished_;
};

}  // namespace mlcycle
