#include "app/interrupt_cleanup.hpp"

#include <unistd.h>
#include <csignal>
#include <cstring>

namespace mlcycle {

namespace {

// The handler may only use async-signal-safe calls: the path lives in a static buffer, filled
// before the handlers are installed, and unlink() and raise() are safe.
char temp_path[4096];
volatile std::sig_atomic_t armed = 0;
bool installed = false;  // our handlers are in place (previous[] holds the caller's)
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
void (*previous[3])(int) = {SIG_DFL, SIG_DFL, SIG_DFL};

void on_signal(int signal_number) {
  if (armed) unlink(temp_path);
  std::signal(signal_number, SIG_DFL);
  raise(signal_number);
}

}  // namespace

void remove_on_interrupt(const std::string& path) {
  armed = 0;
  if (path.size() >= sizeof temp_path) return;  // no such path on Linux (PATH_MAX is 4096)
  std::memcpy(temp_path, path.c_str(), path.size() + 1);
  armed = 1;
  for (int i = 0; i < 3; ++i) {
    auto replaced = std::signal(kSignals[i], on_signal);
    // Called again after another library installed its handler (SimGrid's engine): what is
    // restored at the end, and whether the caller ignores the signal, is the first call's.
    if (!installed) previous[i] = replaced;
    // A signal the caller ignores (nohup, a background job) stays ignored.
    if (previous[i] == SIG_IGN) std::signal(kSignals[i], SIG_IGN);
  }
  installed = true;
}

void keep_on_interrupt() {
  armed = 0;
  installed = false;
  for (int i = 0; i < 3; ++i)
    std::signal(kSignals[i], previous[i] == SIG_ERR ? SIG_DFL : previous[i]);
}

}  // namespace mlcycle
