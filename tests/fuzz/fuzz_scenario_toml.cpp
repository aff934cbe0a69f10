// Fuzzes the scenario loader: TOML parsing, every section reader, `--set` overrides and the
// checks that cross sections. Input: a scenario's TOML text; its comment lines "#set KEY=VALUE"
// are also applied as overrides, in order, so that the override parser is fuzzed with it.
// The text is loaded as if it were the file scenarios/fuzz-input.toml of the source tree: the
// seeds (scenarios/*.toml) then find their platforms and data files, and the readers behind
// them (demand CSV, traces, PUE profiles) run too, and a [[replay]]'s log is read as a run
// reads it before it starts (its census: the log's options, filters, anchor), and an llm
// deployment's replica is built and asked its power at several loads. An InputError is the
// expected answer to bad input; anything else that escapes (std::bad_alloc, std::logic_error, a
// crash, UB) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "fuzz_support.hpp"
#include "scenario/scenario_loader.hpp"
#include "workload/replay_census.hpp"
#include "workload/replica_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = mlcycle::fuzz::as_text(data, size);
  std::vector<std::string> overrides;
  constexpr std::string_view kSet = "#set ";
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    if (line.substr(0, kSet.size()) == kSet) overrides.emplace_back(line.substr(kSet.size()));
    pos = end + 1;
  }
  try {
    const mlcycle::Scenario scenario = mlcycle::load_scenario_text(
        std::string(text), MLCYCLE_SOURCE_DIR "/scenarios/fuzz-input.toml", overrides);
    mlcycle::with_replays_read(scenario);
    // An llm replica the reader accepted: the model must take it (an InputError for a model
    // that does not fit is an answer; std::invalid_argument would be a finding), and its
    // steady state must exist at every load.
    for (const mlcycle::DeploymentSpec& d : scenario.deployments) {
      if (!d.serving.replica.llm) continue;
      const auto& llm = *d.serving.replica.llm;
      const double gpus = llm.replica.tensor_parallel;
      const mlcycle::ReplicaModel replica(llm,
                                          mlcycle::ReplicaPowerDefaults{100 * gpus, 700 * gpus});
      for (double u : {0.0, 0.3, 0.999, 1.0, 2.0}) (void)replica.power_w(u);
    }
  } catch (const mlcycle::InputError&) {
  }
  return 0;
}
