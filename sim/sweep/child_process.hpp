#pragma once
// One `mlcycle run` of a sweep point, as a child process: every point gets a fresh process, so
// every simulation has its own SimGrid engine, and a crash of one point cannot take the sweep
// down. Its stderr goes to a file next to its run file and is read back when it exits.
#include <sys/types.h>
#include <string>
#include <vector>

namespace mlcycle {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  double wall_time_s = 0;
  std::string stderr_text;
};

class ChildProcess {
 public:
  // Starts argv[0] with argv; stdout is discarded, stderr captured in `stderr_path`.
  ChildProcess(const std::vector<std::string>& argv, std::string stderr_path);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();

  // Non-blocking: true once the process has exited (then result() is valid).
  bool poll();
  const ProcessResult& wait();
  const ProcessResult& result() const { return result_; }

 private:
  void collect(int status);

  pid_t pid_ = -1;
  std::string stderr_path_;
  double started_s_ = 0;
  bool done_ = false;
  ProcessResult result_;
};

// This executable's path (to start `mlcycle run` children from `mlcycle sweep`).
std::string current_executable();

}  // namespace mlcycle
