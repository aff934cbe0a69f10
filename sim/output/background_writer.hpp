#pragma once
// Runs write tasks on one background thread, in order, so that compressing and writing chunks
// overlaps with the simulation. The queue is bounded: when the writer falls behind, the
// simulation waits, so memory stays at a few buffers however long the run. HDF5 is built
// without thread safety here; that is fine because only this thread touches the file until
// finish() returns. A task's exception is kept and rethrown by the next submit() or finish().
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace mlcycle {

class BackgroundWriter {
 public:
  explicit BackgroundWriter(std::size_t max_pending);
  ~BackgroundWriter();
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  void submit(std::function<void()> task);
  // Runs every queued task, stops the thread and rethrows a task's failure, if any.
  void finish();

 private:
  void loop();
  void rethrow_failure();

  std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  bool busy_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace mlcycle
