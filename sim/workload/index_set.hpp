#pragma once
// An ordered set of the integers [0, n) as a two-level bitmap: insert and erase are O(1), the
// smallest member and the next member after i cost a scan of n / 4096 summary words plus two
// bit scans. It replaces std::set<uint32_t> where a pool asks "the lowest-index node with f free
// GPUs" on every allocation and release: no node allocation, no pointer chasing, same order.
#include <bit>
#include <cstdint>
#include <vector>

namespace mlcycle {

class IndexSet {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;

  explicit IndexSet(std::uint32_t n = 0)
      : words_((n + 63) / 64, 0), summary_((n + 4095) / 4096, 0) {}

  bool empty() const { return size_ == 0; }
  std::uint32_t size() const { return size_; }
  bool contains(std::uint32_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }

  void insert(std::uint32_t i) {
    std::uint64_t& word = words_[i / 64];
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (word & bit) return;
    word |= bit;
    summary_[i / 4096] |= std::uint64_t{1} << (i / 64 % 64);
    ++size_;
  }

  void erase(std::uint32_t i) {
    std::uint64_t& word = words_[i / 64];
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (!(word & bit)) return;
    word &= ~bit;
    if (word == 0) summary_[i / 4096] &= ~(std::uint64_t{1} << (i / 64 % 64));
    --size_;
  }

  // The smallest member (kNone when empty).
  std::uint32_t first() const { return empty() ? kNone : next(0); }

  // The smallest member >= i (kNone: none).
  std::uint32_t next(std::uint32_t i) const {
    std::uint32_t w = i / 64;
    if (w >= words_.size()) return kNone;
    const std::uint64_t here = words_[w] & (~std::uint64_t{0} << (i % 64));
    if (here) return w * 64 + static_cast<std::uint32_t>(std::countr_zero(here));
    ++w;  // the next non-empty word, from the summary
    for (std::uint32_t s = w / 64; s < summary_.size(); ++s) {
      const std::uint64_t mask = s == w / 64 ? ~std::uint64_t{0} << (w % 64) : ~std::uint64_t{0};
      const std::uint64_t bits = summary_[s] & mask;
      if (!bits) continue;
      const std::uint32_t word = s * 64 + static_cast<std::uint32_t>(std::countr_zero(bits));
      return word * 64 + static_cast<std::uint32_t>(std::countr_zero(words_[word]));
    }
    return kNone;
  }

 private:
  std::vector<std::uint64_t> words_;    // bit i % 64 of word i / 64: i is a member
  std::vector<std::uint64_t> summary_;  // bit w % 64 of word w / 64: word w is not empty
  std::uint32_t size_ = 0;
};

}  // namespace mlcycle
