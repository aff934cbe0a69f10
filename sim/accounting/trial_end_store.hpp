#pragma once
// The end of each deferrable trial of one pass of a policy comparison, by campaign run and
// trial index, for the completion delays. A million-trial campaign would need 8 MB a pass in
// memory; the store keeps a few blocks of each run's trials in memory (the trials ending now
// are close to each other in index), at most `resident_total` blocks over all runs, and the
// rest in a temporary file (SpillFile), so its memory grows neither with the trials nor with
// the campaign runs. A block holds only as many trials as have ended in it.
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
  TrialEndStore() : TrialEndStore(8192, 4, 64) {}
  // `block`: trials per block; `resident`: blocks of one run in memory at most;
  // `resident_total`: of all runs (tests use small values).
  TrialEndStore(std::size_t block, std::size_t resident, std::size_t resident_total);

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
  struct Spilled {
    std::uint64_t offset = 0;
    std::size_t capacity = 0;  // trials its place in the file holds
    std::size_t length = 0;    // trials written
  };
  struct Run {
    std::uint64_t size = 0;
    std::map<std::uint64_t, Spilled> spilled;  // by block index
    std::vector<Block> resident;
  };
  Block& block_of(Run& run, std::uint64_t index);
  Block* free_slot(Run& run);
  void spill(Run& run, const Block& block);

  std::size_t block_;
  std::size_t max_resident_;
  std::size_t max_resident_total_;
  std::size_t resident_total_ = 0;
  std::map<Key, Run> runs_;
  Run* last_run_ = nullptr;  // the run of the last record (jobs of one run come in streaks)
  Key last_key_{};
  SpillFile file_{"the trial ends"};
  std::uint64_t file_end_ = 0;
  std::uint64_t clock_ = 0;
};

}  // namespace mlcycle
