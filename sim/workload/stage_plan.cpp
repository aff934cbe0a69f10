#include "workload/stage_plan.hpp"

#include <algorithm>

namespace mlcycle {

StagePlan::StagePlan(const Scenario& scenario) {
  stages_.resize(scenario.stages.size());
  for (std::uint32_t i = 0; i < stages_.size(); ++i) stages_[i].spec = &scenario.stages[i];
  for (Stage& stage : stages_)
    for (const std::string& dep : stage.spec->after) stage.after.push_back(*index_of(dep));
  for (std::uint32_t c = 0; c < scenario.campaigns.size(); ++c)
    if (!scenario.campaigns[c].stage.empty())
      stages_[*index_of(scenario.campaigns[c].stage)].campaigns.push_back(c);
  for (Stage& stage : stages_) resolve_first_start(stage);
}

std::optional<std::uint32_t> StagePlan::index_of(const std::string& name) const {
  for (std::uint32_t i = 0; i < stages_.size(); ++i)
    if (stages_[i].spec->name == name) return i;
  return std::nullopt;
}

void StagePlan::resolve_first_start(Stage& stage) {
  if (stage.first_start_s != kNever) return;
  double start_s = stage.spec->start_s.value_or(0);
  for (std::uint32_t dep : stage.after) {
    if (stages_[dep].finished_at_s == kNever) return;  // not yet known
    start_s = std::max(start_s, stages_[dep].finished_at_s);
  }
  stage.first_start_s = start_s;
}

double StagePlan::next_start_after(double now_s) const {
  double next = kNever;
  for (const Stage& stage : stages_) {
    if (stage.started >= stage.spec->repeat || stage.first_start_s == kNever) continue;
    const double t = stage.first_start_s + stage.started * stage.spec->every_s;
    if (t > now_s) next = std::min(next, t);
  }
  return next;
}

std::vector<StageRunEvent> StagePlan::take_starts(double now_s) {
  std::vector<StageRunEvent> due;
  // Runs without campaigns finish as they start, which may release dependants at once.
  for (bool progress = true; progress;) {
    progress = false;
    for (std::uint32_t s = 0; s < stages_.size(); ++s) {
      Stage& stage = stages_[s];
      resolve_first_start(stage);
      while (stage.started < stage.spec->repeat && stage.first_start_s != kNever) {
        const double t = stage.first_start_s + stage.started * stage.spec->every_s;
        if (t > now_s) break;
        const std::uint32_t run = stage.started++;
        stage.open.push_back(static_cast<std::uint32_t>(stage.campaigns.size()));
        due.push_back(StageRunEvent{s, run, t});
        if (stage.campaigns.empty()) finish_run(s, run, t);
        progress = true;
      }
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const StageRunEvent& a, const StageRunEvent& b) {
    return a.time_s < b.time_s;
  });
  return due;
}

void StagePlan::campaign_finished(std::uint32_t stage, std::uint32_t run, double now_s) {
  if (--stages_[stage].open[run] == 0) finish_run(stage, run, now_s);
}

void StagePlan::finish_run(std::uint32_t s, std::uint32_t run, double now_s) {
  Stage& stage = stages_[s];
  ++stage.finished;
  finished_.push_back(StageRunEvent{s, run, now_s});
  if (stage.finished == stage.spec->repeat) stage.finished_at_s = now_s;
}

std::vector<StageRunEvent> StagePlan::take_finished() {
  std::vector<StageRunEvent> out;
  out.swap(finished_);
  return out;
}

std::optional<double> StagePlan::finished_at(std::uint32_t stage) const {
  if (stages_[stage].finished_at_s == kNever) return std::nullopt;
  return stages_[stage].finished_at_s;
}

}  // namespace mlcycle
