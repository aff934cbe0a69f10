#pragma once
// Shared by the libFuzzer harnesses: libFuzzer hands over bytes, most readers take a path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlcycle::fuzz {

// The input as text (any bytes, NULs included).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// One input written to a file, removed when this goes out of scope. The file is in /dev/shm
// when it exists (no disk write per execution) and its name carries the process id, so that
// parallel fuzzing jobs (-jobs=N) never share a file.
class TempInput {
 public:
  TempInput(std::string_view bytes, std::string_view suffix);
  ~TempInput();
  TempInput(const TempInput&) = delete;
  TempInput& operator=(const TempInput&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace mlcycle::fuzz
