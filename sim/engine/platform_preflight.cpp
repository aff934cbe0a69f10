#include "engine/platform_preflight.hpp"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <simgrid/s4u/Engine.hpp>
#include <stdexcept>

// SimGrid 3.32's XML parser (flex) exports its current line; read in the child when SimGrid
// aborts, to locate the failure in the platform file.
extern int surf_parse_lineno;

namespace mlcycle {

MemoryFile::MemoryFile(const char* name) : fd_(memfd_create(name, MFD_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error(std::string("memfd_create: ") + std::strerror(errno));
}

MemoryFile::~MemoryFile() {
  close(fd_);
}

std::string MemoryFile::path() const {
  return "/proc/self/fd/" + std::to_string(fd_);
}

void MemoryFile::write_all(const std::string& text) const {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = pwrite(fd_, text.data() + done, text.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("memfd write: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

std::string MemoryFile::read_all() const {
  std::string text;
  char buffer[65536];
  ssize_t n = 0;
  for (off_t at = 0; (n = pread(fd_, buffer, sizeof buffer, at)) > 0; at += n)
    text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

namespace {

int report_fd = -1;  // the child's report file, for the signal handler

// Async-signal-safe: writes "L<line>\n" to the report and lets the signal kill the child.
void report_line_and_die(int signal_number) {
  char text[24];
  int n = static_cast<int>(sizeof text);
  text[--n] = '\n';
  unsigned value = surf_parse_lineno > 0 ? static_cast<unsigned>(surf_parse_lineno) : 0;
  do {
    text[--n] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  text[--n] = 'L';
  [[maybe_unused]] const ssize_t written = write(report_fd, text + n, sizeof text - n);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

[[noreturn]] void run_preflight_child(simgrid::s4u::Engine& engine, const std::string& xml_path,
                                      int log_fd) {
  // The parent handles interrupts (and removes its partial outputs); the child just dies.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) std::signal(s, SIG_DFL);
  const rlimit no_core{0, 0};  // an abort here is expected: leave no core file
  setrlimit(RLIMIT_CORE, &no_core);
  dup2(log_fd, STDERR_FILENO);
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE}) std::signal(s, report_line_and_die);
  try {
    engine.load_platform(xml_path);
  } catch (const std::exception& e) {
    const std::string report =
        "L" + std::to_string(surf_parse_lineno > 0 ? surf_parse_lineno : 0) + "\n" + e.what();
    [[maybe_unused]] const ssize_t written = write(report_fd, report.data(), report.size());
    _exit(3);
  }
  _exit(0);  // no atexit handlers, no stdio flush: the parent owns those
}

std::string first_line(const std::string& text) {
  const std::size_t start = text.find_first_not_of("\n ");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find('\n', start) - start);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  std::size_t at = text.find(from);
  while (at != std::string::npos) {
    text.replace(at, from.size(), to);
    at = text.find(from, at + to.size());
  }
  return text;
}

// SimGrid's version banners span several lines of stars and advice: one sentence instead.
std::string version_banner(const std::string& message) {
  static const std::regex old_file(R"(TOO OLD \(v:([^)]*)\))");
  static const std::regex new_file(R"(FROM THE FUTURE \(v:([^)]*)\))");
  std::smatch m;
  if (std::regex_search(message, m, old_file))
    return "platform version " + m[1].str() +
           " is too old for SimGrid 3.32 (it reads 4.0 and 4.1): update the file with "
           "simgrid_update_xml";
  if (std::regex_search(message, m, new_file))
    return "platform version " + m[1].str() + " is newer than SimGrid 3.32 reads (4.1 at most)";
  return "";
}

}  // namespace

InputError simgrid_load_failure(const std::string& log, const std::string& exception,
                                int parse_line, int status, const std::string& xml_path,
                                const std::string& user_file) {
  std::string message;
  if (!exception.empty()) {
    message = replace_all(exception, xml_path, user_file);
    static const std::regex parse_error(R"(^Parse error at .*?:(\d+): )");
    std::smatch m;
    const std::string head = first_line(message);
    if (std::regex_search(head, m, parse_error)) {
      parse_line = std::stoi(m[1].str());
      message = message.substr(message.find(head) + m.length(0));
    }
    const std::string banner = version_banner(message);
    message = banner.empty() ? first_line(message) : banner;
  } else {
    // SimGrid's abort: "[0.000000] ./src/...:105: [root/CRITICAL] Host g0 must have ...",
    // then a backtrace. The first CRITICAL line says what is wrong.
    static const std::regex critical(R"(\[[^\]/]+/CRITICAL\] (.*))");
    std::smatch m;
    const std::string text = replace_all(log, xml_path, user_file);
    for (auto it = text.begin(); it != text.end();) {
      const auto end = std::find(it, text.end(), '\n');
      const std::string line(it, end);
      if (std::regex_search(line, m, critical)) {
        message = m[1].str();
        break;
      }
      it = end == text.end() ? end : end + 1;
    }
    if (message.empty())
      message = WIFSIGNALED(status) ? "SimGrid died loading the platform (" +
                                          std::string(strsignal(WTERMSIG(status))) + ")"
                                    : "SimGrid failed to load the platform";
  }
  static const std::regex flex_state(R"(Invalid XML \(XML input line \d+, state \d+\): )");
  message = std::regex_replace(message, flex_state, "invalid XML: ");
  return InputError(SourceLocation{user_file, parse_line, 0}, "platform", message);
}

void preflight_platform(simgrid::s4u::Engine& engine, const std::string& xml_path,
                        const std::string& user_file) {
  MemoryFile log("mlcycle-preflight-log");
  MemoryFile report("mlcycle-preflight-report");
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    report_fd = report.fd();
    run_preflight_child(engine, xml_path, log.fd());
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string reported = report.read_all();
  int line = 0;
  std::string exception;
  if (reported.size() > 1 && reported[0] == 'L') {
    line = std::atoi(reported.c_str() + 1);
    const std::size_t newline = reported.find('\n');
    if (newline != std::string::npos) exception = reported.substr(newline + 1);
  }
  throw simgrid_load_failure(log.read_all(), exception, line, status, xml_path, user_file);
}

}  // namespace mlcycle
