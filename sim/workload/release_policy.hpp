#pragma once
// When a ready job may start: a campaign with a shifting policy holds each job until its
// policy lets it start (the grid's signals live above this wing: the accounting wing
// implements the carbon-aware policies). The policy gates the start itself, not only the
// submission: a job whose turn in the queue comes while the grid is dirty waits again (up to
// its slack). Held jobs hold no GPUs; the queue and its policy apply once they may start.
namespace mlcycle {

class ReleasePolicy {
 public:
  virtual ~ReleasePolicy() = default;
  // The earliest time at or after `now_s` at which a job ready at `ready_s` may start. If it
  // is later than `now_s`, asking again at any time before it gives the same answer (the
  // campaign keeps it and sleeps until then).
  virtual double earliest_start_s(double ready_s, double now_s) const = 0;
  // The start chosen for a job ready at `ready_s` when nothing else holds it.
  double release_s(double ready_s) const { return earliest_start_s(ready_s, ready_s); }
};

}  // namespace mlcycle
