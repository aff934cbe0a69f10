#pragma once
// A fresh directory for one test case, removed with everything in it at the end; files are
// written in binary mode, so "\r\n" and byte-order marks reach the reader under test unchanged.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace mlcycle::test {

struct TempDir {
  std::filesystem::path dir;
  explicit TempDir(const std::string& prefix) {
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    dir = std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(ticks));
    std::filesystem::create_directories(dir);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  // Writes `text` to `name` in the directory; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

}  // namespace mlcycle::test
