#include "accounting/trial_end_store.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace mlcycle {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TrialEndStore::TrialEndStore(std::size_t block, std::size_t resident)
    : block_(block), max_resident_(resident) {
  if (block_ == 0 || max_resident_ == 0)
    throw std::invalid_argument("TrialEndStore: a block holds a trial, a run holds a block");
}

void TrialEndStore::spill(Run& run, const Block& block) {
  auto [at, fresh] = run.spilled.emplace(block.index, file_end_);
  if (fresh) file_end_ += block_ * sizeof(double);
  file_.write(at->second, block.ends.data(), block_ * sizeof(double));
}

// The block `index` of `run`, in memory: found, read back from the file, or new (no ends). The
// least recently used block makes room, written to the file first.
TrialEndStore::Block& TrialEndStore::block_of(Run& run, std::uint64_t index) {
  ++clock_;
  for (Block& block : run.resident)
    if (block.index == index) {
      block.last_use = clock_;
      return block;
    }
  Block* slot = nullptr;
  if (run.resident.size() < max_resident_) {
    slot = &run.resident.emplace_back();
    slot->ends.resize(block_);
  } else {
    slot =
        &*std::min_element(run.resident.begin(), run.resident.end(),
                           [](const Block& a, const Block& b) { return a.last_use < b.last_use; });
    spill(run, *slot);
  }
  slot->index = index;
  slot->last_use = clock_;
  const auto on_file = run.spilled.find(index);
  if (on_file != run.spilled.end())
    file_.read(on_file->second, slot->ends.data(), block_ * sizeof(double));
  else
    std::fill(slot->ends.begin(), slot->ends.end(), kNaN);
  return *slot;
}

void TrialEndStore::record(const Key& key, std::uint64_t trial, double end_s) {
  if (!last_run_ || key != last_key_) {
    last_run_ = &runs_[key];
    last_key_ = key;
  }
  Run& run = *last_run_;
  run.size = std::max(run.size, trial + 1);
  double& end = block_of(run, trial / block_).ends[trial % block_];
  if (!(end >= end_s)) end = end_s;
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
    if (resident != run.resident.end()) {
      std::copy_n(resident->ends.begin() + static_cast<std::ptrdiff_t>(from), n, to);
    } else if (const auto on_file = run.spilled.find(index); on_file != run.spilled.end()) {
      file_.read(on_file->second + from * sizeof(double), to, n * sizeof(double));
    }
    t += n;
  }
}

}  // namespace mlcycle
