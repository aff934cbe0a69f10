#pragma once
// A temporary file that holds what would otherwise grow with the number of trials in memory
// (the trial ends and delays of a policy comparison): created in $TMPDIR (else /tmp) on first
// use and unlinked at once, so it disappears with the process whatever happens. Reads and
// writes are positional; a failure (disk full) is a std::runtime_error naming the file's use.
#include <cstddef>
#include <cstdint>
#include <string>

namespace mlcycle {

class SpillFile {
 public:
  explicit SpillFile(std::string use) : use_(std::move(use)) {}
  SpillFile(SpillFile&& other) noexcept;
  SpillFile& operator=(SpillFile&& other) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  ~SpillFile();

  void write(std::uint64_t offset, const void* data, std::size_t bytes);
  void read(std::uint64_t offset, void* data, std::size_t bytes) const;
  bool opened() const { return fd_ >= 0; }

 private:
  void open();
  [[noreturn]] void fail(const char* what) const;

  std::string use_;
  int fd_ = -1;
};

}  // namespace mlcycle
