#include "app/run_command.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "app/huge_page_heap.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/policy_summary.hpp"
#include "app/summary_table.hpp"
#include "engine/baseline_pass.hpp"
#include "output/trace_file.hpp"
#include "scenario/policy_switch.hpp"
#include "scenario/scenario_loader.hpp"

namespace mlcycle {

namespace {

std::string default_output(const std::string& scenario_path) {
  std::filesystem::create_directories("results");
  return "results/" + std::filesystem::path(scenario_path).stem().string() + ".h5";
}

}  // namespace

int run_run_command(const CliOptions& cli, std::chrono::steady_clock::time_point started,
                    std::ostream& out) {
  Scenario scenario = load_scenario(cli.scenario_path, cli.overrides);
  const std::string output =
      cli.output_path.empty() ? default_output(cli.scenario_path) : cli.output_path;
  // Ctrl-C or a batch time limit leaves no partial file, before and after SimGrid's engine
  // (which installs a SIGINT handler of its own) exists.
  const std::string temp_path = output + ".tmp";
  remove_on_interrupt(temp_path);
  EngineOptions engine = cli.engine;
  engine.on_engine_created = [&temp_path] { remove_on_interrupt(temp_path); };
  HeapPrefault prefault;
  engine.on_platform_sized = [&prefault](std::size_t bytes) { prefault.start(bytes); };
  // A run with policies has a counterfactual pass (policies off), in a child started before
  // this process has threads or a SimGrid engine.
  std::optional<BaselinePass> baseline;
  if (has_policies(scenario)) baseline.emplace(scenario, cli.engine);
  const bool replays = std::any_of(scenario.campaigns.begin(), scenario.campaigns.end(),
                                   [](const CampaignSpec& c) { return c.replay.has_value(); });
  TraceFile trace(output, scenario.grids.size(), replays);
  RunOutcome outcome = run_simulation(scenario, trace, engine);
  if (baseline) {
    // The policy pass's trial ends become the delays as the baseline's are read.
    ShiftFigures figures =
        outcome.shift_figures ? std::move(*outcome.shift_figures) : ShiftFigures{};
    TrialDelays delays(std::move(figures.trial_end_s));
    const BaselineResult counterfactual = baseline->wait(delays);
    const auto services_under_policy = static_cast<std::uint64_t>(std::count(
        outcome.deployments_under_policy.begin(), outcome.deployments_under_policy.end(), true));
    outcome.shift_figures.reset();
    outcome.policy = compare_passes(counterfactual.totals, counterfactual.figures,
                                    pass_totals(outcome.summary, outcome.deployments_under_policy),
                                    figures, delays.take(), services_under_policy);
    outcome.policy->placed_campaigns = static_cast<std::uint64_t>(
        std::count_if(scenario.campaigns.begin(), scenario.campaigns.end(),
                      [](const CampaignSpec& c) { return c.placement.has_value(); }));
    outcome.policy->routed_deployments = static_cast<std::uint64_t>(
        std::count_if(scenario.deployments.begin(), scenario.deployments.end(),
                      [](const DeploymentSpec& d) { return d.serving.routing.has_value(); }));
  }
  outcome.provenance.heap_huge_pages = std::string(heap_huge_pages());
  outcome.provenance.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  trace.commit(scenario, outcome);
  keep_on_interrupt();
  if (!cli.quiet) {
    print_summary(out, scenario, outcome, output);
    if (outcome.policy) print_policy_comparison(out, *outcome.policy);
  }
  return 0;
}

}  // namespace mlcycle
