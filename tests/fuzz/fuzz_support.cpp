#include "fuzz_support.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace mlcycle::fuzz {

namespace {

std::string temp_dir() {
  std::error_code error;
  if (std::filesystem::is_directory("/dev/shm", error)) return "/dev/shm";
  return std::filesystem::temp_directory_path().string();
}

}  // namespace

TempInput::TempInput(std::string_view bytes, std::string_view suffix)
    : path_(temp_dir() + "/mlcycle-fuzz-" + std::to_string(::getpid()) + std::string(suffix)) {
  // A harness that cannot write its input would fuzz nothing: stop loudly, never pass quietly.
  std::FILE* file = std::fopen(path_.c_str(), "wb");
  if (!file) throw std::runtime_error("fuzz: cannot create " + path_);
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  if (std::fclose(file) != 0 || !written) throw std::runtime_error("fuzz: cannot write " + path_);
}

TempInput::~TempInput() {
  std::remove(path_.c_str());
}

}  // namespace mlcycle::fuzz
