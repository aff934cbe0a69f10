#pragma once
// The end of each deferrable trial of one pass of a policy comparison, by campaign run and
// trial index, for the completion delays. A million-trial campaign would need 8 MB a pass in
// memory; the store keeps a few blocks of each run's trials in memory (the trials ending now
// are close to each other in index) and the rest in a temporary file (SpillFile), so a run's
// memory does not grow with its trials.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "accounting/spill_file.hpp"

namespace mlcycle {

class TrialEndStore {
 public:
  using Key = std::pair<std::uint32_t, std::uint32_t>;  // (campaign, stage run)
  // `block`: trials per block (a multiple of nothing in particular: tests use small ones);
  // `resident`: blocks of one run held in memory at most.
  TrialEndStore() : TrialEndStore(8192, 4) {}
  TrialEndStore(std::size_t block, std::size_t resident);

  // Keeps the later of `end_s` and the trial's end so far (retries and resumed parts end it
  // again).
  void record(const Key& key, std::uint64_t trial, double end_s);
  // The campaign runs, in key order, each with its size (its highest trial + 1).
  std::vector<std::pair<Key, std::uint64_t>> runs() const;
  bool empty() const { return runs_.empty(); }
  bool has(const Key& key) const { return runs_.count(key) > 0; }
  std::uint64_t size_of(const Key& key) const;
  // `key`'s ends of trials [first, first + out.size()); NaN where a trial has no end (or is
  // past the run's size, or the run is unknown).
  void read(const Key& key, std::uint64_t first, std::span<double> out) const;

 private:
  struct Block {
    std::uint64_t index = 0;
    std::uint64_t last_use = 0;
    std::vector<double> ends;
  };
  struct Run {
    std::uint64_t size = 0;
    std::map<std::uint64_t, std::uint64_t> spilled;  // block index -> offset in the file
    std::vector<Block> resident;
  };
  Block& block_of(Run& run, std::uint64_t index);
  void spill(Run& run, const Block& block);

  std::size_t block_;
  std::size_t max_resident_;
  std::map<Key, Run> runs_;
  Run* last_run_ = nullptr;  // the run of the last record (jobs of one run come in streaks)
  Key last_key_{};
  SpillFile file_{"the trial ends"};
  std::uint64_t file_end_ = 0;
  std::uint64_t clock_ = 0;
};

}  // namespace mlcycle
