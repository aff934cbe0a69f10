#pragma once
// SimGrid 3.32 aborts the process (a CRITICAL line and a backtrace) on much of what it refuses
// in a platform (a duplicate route, a host without cores, an unknown zone routing...) and throws
// for the rest (XML errors, unknown links). The pre-flight loads the platform in a forked child
// first, with the child's stderr captured; when the child fails, its message becomes one InputError
// located in the user's file (SimGrid's parser line, when the failure happened while parsing), and
// the parent, which has loaded nothing yet, reports it like any bad input. SimGrid's XML errors,
// whose messages may span several lines (the version banners), become one line the same way.
#include <string>

#include "core/input_error.hpp"

namespace simgrid::s4u {
class Engine;
}

namespace mlcycle {

// A file in memory (memfd): what SimGrid reads as the platform (at path()), and what the
// pre-flight child writes its stderr and report to.
class MemoryFile {
 public:
  explicit MemoryFile(const char* name);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  int fd() const { return fd_; }
  std::string path() const;  // /proc/self/fd/N
  void write_all(const std::string& text) const;
  std::string read_all() const;

 private:
  int fd_;
};

// Loads `xml_path` (what SimGrid reads; may be a /proc/self/fd path) with `engine` in a child
// process; returns when that worked, throws an InputError naming `user_file` when not. Must run
// before the parent's engine loads anything.
void preflight_platform(simgrid::s4u::Engine& engine, const std::string& xml_path,
                        const std::string& user_file);

// What the child reported, as one InputError: `log` is its stderr (SimGrid's log lines),
// `exception` the message of a C++ exception thrown by load_platform (empty if it aborted),
// `parse_line` SimGrid's parser line at the failure (0: unknown), `status` from waitpid.
InputError simgrid_load_failure(const std::string& log, const std::string& exception,
                                int parse_line, int status, const std::string& xml_path,
                                const std::string& user_file);

}  // namespace mlcycle
