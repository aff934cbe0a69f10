#include "sweep/child_process.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace mlcycle {

namespace {
double monotonic_s() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, std::string stderr_path)
    : stderr_path_(std::move(stderr_path)), started_s_(monotonic_s()) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int error = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_),
      stderr_path_(std::move(other.stderr_path_)),
      started_s_(other.started_s_),
      done_(other.done_),
      result_(std::move(other.result_)) {
  other.pid_ = -1;
  other.done_ = true;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !done_) {  // the sweep itself is failing: do not leave the child behind
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void ChildProcess::collect(int status) {
  done_ = true;
  result_.wall_time_s = monotonic_s() - started_s_;
  if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result_.signal = WTERMSIG(status);
  std::ifstream in(stderr_path_);
  std::ostringstream text;
  text << in.rdbuf();
  result_.stderr_text = text.str();
  std::remove(stderr_path_.c_str());
}

bool ChildProcess::poll() {
  if (done_) return true;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) collect(status);
  return done_;
}

const ProcessResult& ChildProcess::wait() {
  while (!done_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, 0);
    if (r == pid_)
      collect(status);
    else if (r < 0 && errno != EINTR)
      throw std::runtime_error("waitpid failed");
  }
  return result_;
}

std::string current_executable() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw std::runtime_error("cannot find this executable (/proc/self/exe)");
  path[n] = '\0';
  return path;
}

}  // namespace mlcycle
