#pragma once
// Runs write tasks on one background thread, in order, so that compressing and writing chunks
// overlaps with the simulation. The queue is bounded: when the writer falls behind, the
// simulation waits, so memory stays at a few buffers however long the run. The thread is the
// only one that touches the file: what it opens in its tasks, it closes in `on_stop`, so HDF5
// (and its per-thread error stack) is used from one thread. A task's exception is kept and
// rethrown by the next submit(), wait() or finish().
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace mlcycle {

class BackgroundWriter {
 public:
  // `on_stop` runs on the thread after its last task, whether the tasks finished, failed or were
  // dropped (the run failed): exceptions from it are ignored.
  explicit BackgroundWriter(std::size_t max_pending, std::function<void()> on_stop = {});
  ~BackgroundWriter();
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  void submit(std::function<void()> task);
  // Waits until every queued task ran; rethrows a task's failure, if any.
  void wait();
  // Runs every queued task, stops the thread and rethrows a task's failure, if any.
  void finish();

 private:
  void loop();
  void rethrow_failure();

  std::size_t max_pending_;
  std::function<void()> on_stop_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  bool busy_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace mlcycle
