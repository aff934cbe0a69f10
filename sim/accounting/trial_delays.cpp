#include "accounting/trial_delays.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "core/units.hpp"

namespace mlcycle {

namespace {

// Doubles as unsigned keys in the same order (negative ones reversed), for the radix select.
std::uint64_t ordered_key(double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  return bits >> 63 ? ~bits : bits | (std::uint64_t{1} << 63);
}

double from_ordered_key(std::uint64_t key) {
  return std::bit_cast<double>(key >> 63 ? key & ~(std::uint64_t{1} << 63) : ~key);
}

}  // namespace

double nearest_rank(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(values.size())));
  const std::size_t index = std::max<std::size_t>(rank, 1) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

TrialDelays::TrialDelays(TrialEndStore policy_ends, std::size_t chunk)
    : ends_(std::move(policy_ends)), chunk_(chunk) {
  pending_.reserve(chunk_);
}

void TrialDelays::pair(const Key& key, std::size_t first, std::span<const double> baseline_ends) {
  const std::uint64_t size = ends_.size_of(key);
  if (first >= size) return;
  const std::size_t n = std::min<std::size_t>(baseline_ends.size(), size - first);
  policy_chunk_.resize(n);
  ends_.read(key, first, policy_chunk_);
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(policy_chunk_[i]) || std::isnan(baseline_ends[i])) continue;
    const double delay_h = (policy_chunk_[i] - baseline_ends[i]) / units::kSecondsPerHour;
    sum_h_ += delay_h;
    max_h_ = count_ == 0 ? delay_h : std::max(max_h_, delay_h);
    ++count_;
    pending_.push_back(delay_h);
    if (pending_.size() == chunk_) {
      file_.write(in_file_ * sizeof(double), pending_.data(), pending_.size() * sizeof(double));
      in_file_ += pending_.size();
      pending_.clear();
    }
  }
}

// The rank-th smallest of the delays in the file and in memory: four passes, each fixing 16
// more bits of its key by counting the delays that share the bits fixed so far.
std::uint64_t TrialDelays::select(std::uint64_t rank) {
  constexpr int kDigitBits = 16;
  std::vector<std::uint64_t> counts(std::size_t{1} << kDigitBits);
  std::vector<double> chunk(chunk_);
  std::uint64_t prefix = 0;
  for (int shift = 64 - kDigitBits; shift >= 0; shift -= kDigitBits) {
    std::fill(counts.begin(), counts.end(), 0);
    const int fixed_bits = 64 - kDigitBits - shift;
    auto count = [&](std::span<const double> values) {
      for (double v : values) {
        const std::uint64_t key = ordered_key(v);
        if (fixed_bits > 0 && (key >> (shift + kDigitBits)) != (prefix >> (shift + kDigitBits)))
          continue;
        ++counts[(key >> shift) & ((std::uint64_t{1} << kDigitBits) - 1)];
      }
    };
    for (std::uint64_t at = 0; at < in_file_; at += chunk_) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(chunk_, in_file_ - at));
      file_.read(at * sizeof(double), chunk.data(), n * sizeof(double));
      count(std::span<const double>(chunk.data(), n));
    }
    count(pending_);
    std::uint64_t digit = 0;
    while (rank >= counts[digit]) rank -= counts[digit++];
    prefix |= digit << shift;
  }
  return prefix;
}

DelaySummary TrialDelays::take() {
  DelaySummary summary;
  summary.count = count_;
  if (count_ == 0) return summary;
  summary.mean_h = sum_h_ / static_cast<double>(count_);
  summary.max_h = max_h_;
  if (in_file_ == 0) {
    summary.p95_h = nearest_rank(pending_, 95);
  } else {
    const auto rank =
        static_cast<std::uint64_t>(std::ceil(95.0 / 100 * static_cast<double>(count_)));
    summary.p95_h = from_ordered_key(select(std::max<std::uint64_t>(rank, 1) - 1));
  }
  return summary;
}

}  // namespace mlcycle
