#include "accounting/trial_end_store.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

#include "core/special_values.hpp"

namespace mlcycle {

TrialEndStore::TrialEndStore(std::size_t block, std::size_t resident, std::size_t resident_total)
    : block_(block), max_resident_(resident), max_resident_total_(resident_total) {
  if (block_ == 0 || max_resident_ == 0 || max_resident_total_ == 0)
    throw std::invalid_argument("TrialEndStore: a block holds a trial, memory holds a block");
}

// Writes a block's ends (as far as any trial of it has ended) to its place in the file; a block
// that grew past its place gets a new one, sized to the next power of two.
void TrialEndStore::spill(Run& run, const Block& block) {
  if (block.ends.empty()) return;
  Spilled& place = run.spilled[block.index];
  if (block.ends.size() > place.capacity) {
    place.capacity = std::min<std::size_t>(std::bit_ceil(block.ends.size()), block_);
    place.offset = file_end_;
    file_end_ += place.capacity * sizeof(double);
  }
  place.length = block.ends.size();
  file_.write(place.offset, block.ends.data(), place.length * sizeof(double));
}

// Makes room for one more block in memory: the least recently used block of `run` when it
// holds its most, else of all runs when memory holds its most (written to the file first).
TrialEndStore::Block* TrialEndStore::free_slot(Run& run) {
  if (run.resident.size() < max_resident_ && resident_total_ < max_resident_total_) {
    ++resident_total_;
    return &run.resident.emplace_back();
  }
  Run* owner = &run;
  std::size_t victim = 0;
  auto older = [](const Block& a, const Block& b) { return a.last_use < b.last_use; };
  if (run.resident.size() < max_resident_) {
    std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
    for (auto& [key, other] : runs_)
      for (std::size_t b = 0; b < other.resident.size(); ++b)
        if (other.resident[b].last_use < oldest) {
          oldest = other.resident[b].last_use;
          owner = &other;
          victim = b;
        }
  } else {
    victim = static_cast<std::size_t>(
        std::min_element(run.resident.begin(), run.resident.end(), older) - run.resident.begin());
  }
  spill(*owner, owner->resident[victim]);
  if (owner == &run) return &run.resident[victim];
  owner->resident.erase(owner->resident.begin() + static_cast<std::ptrdiff_t>(victim));
  return &run.resident.emplace_back();
}

// The block `index` of `run`, in memory: found, read back from the file, or new (no ends).
TrialEndStore::Block& TrialEndStore::block_of(Run& run, std::uint64_t index) {
  ++clock_;
  for (Block& block : run.resident)
    if (block.index == index) {
      block.last_use = clock_;
      return block;
    }
  Block* slot = free_slot(run);
  slot->index = index;
  slot->last_use = clock_;
  slot->ends.clear();
  if (const auto on_file = run.spilled.find(index); on_file != run.spilled.end()) {
    slot->ends.resize(on_file->second.length);
    file_.read(on_file->second.offset, slot->ends.data(), slot->ends.size() * sizeof(double));
  }
  return *slot;
}

void TrialEndStore::record(const Key& key, std::uint64_t trial, double end_s) {
  if (!last_run_ || key != last_key_) {
    last_run_ = &runs_[key];
    last_key_ = key;
  }
  Run& run = *last_run_;
  run.size = std::max(run.size, trial + 1);
  std::vector<double>& ends = block_of(run, trial / block_).ends;
  const std::size_t at = trial % block_;
  if (ends.size() <= at) ends.resize(at + 1, kNaN);  // a block grows with its trials
  if (!(ends[at] >= end_s)) ends[at] = end_s;
}

std::vector<std::pair<TrialEndStore::Key, std::uint64_t>> TrialEndStore::runs() const {
  std::vector<std::pair<Key, std::uint64_t>> out;
  for (const auto& [key, run] : runs_) out.emplace_back(key, run.size);
  return out;
}

std::uint64_t TrialEndStore::size_of(const Key& key) const {
  const auto found = runs_.find(key);
  return found == runs_.end() ? 0 : found->second.size;
}

void TrialEndStore::read(const Key& key, std::uint64_t first, std::span<double> out) const {
  std::fill(out.begin(), out.end(), kNaN);
  const auto found = runs_.find(key);
  if (found == runs_.end()) return;
  const Run& run = found->second;
  const std::uint64_t end = std::min<std::uint64_t>(first + out.size(), run.size);
  for (std::uint64_t t = first; t < end;) {
    const std::uint64_t index = t / block_;
    const std::uint64_t from = t % block_;
    const std::uint64_t n = std::min<std::uint64_t>(block_ - from, end - t);
    double* to = out.data() + (t - first);
    const auto resident = std::find_if(run.resident.begin(), run.resident.end(),
                                       [&](const Block& b) { return b.index == index; });
    // Only the part of a block that any trial reached holds ends; past it stays NaN.
    auto copy = [&](std::size_t length, auto&& fetch) {
      if (from < length) fetch(std::min<std::uint64_t>(n, length - from));
    };
    if (resident != run.resident.end()) {
      copy(resident->ends.size(), [&](std::uint64_t k) {
        std::copy_n(resident->ends.begin() + static_cast<std::ptrdiff_t>(from), k, to);
      });
    } else if (const auto on_file = run.spilled.find(index); on_file != run.spilled.end()) {
      copy(on_file->second.length, [&](std::uint64_t k) {
        file_.read(on_file->second.offset + from * sizeof(double), to, k * sizeof(double));
      });
    }
    t += n;
  }
}

}  // namespace mlcycle
