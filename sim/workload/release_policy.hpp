#pragma once
// When a ready job may start: a campaign with a shifting policy holds each job until its
// policy lets it start (the grid's signals live above this wing: the accounting wing
// implements the carbon-aware policies). The policy gates the start itself, not only the
// submission: a job whose turn in the queue comes while the grid is dirty waits again (up to
// its slack). Held jobs hold no GPUs; the queue and its policy apply once they may start. A
// suspend-resume policy also names the times at which running jobs pause.
#include <limits>

namespace mlcycle {

class ReleasePolicy {
 public:
  virtual ~ReleasePolicy() = default;
  virtual double slack_s() const = 0;
  // The earliest time at or after `now_s` at which a job ready at `ready_s` may start, no
  // later than `latest_s` unless `now_s` is. If it is later than `now_s`, asking again at any
  // time before it gives the same answer (the campaign keeps it and sleeps until then).
  virtual double earliest_start_s(double ready_s, double latest_s, double now_s) const = 0;
  double earliest_start_s(double ready_s, double now_s) const {
    return earliest_start_s(ready_s, ready_s + slack_s(), now_s);
  }
  // The start chosen for a job ready at `ready_s` when nothing else holds it.
  double release_s(double ready_s) const { return earliest_start_s(ready_s, ready_s); }
  // The first time in (now_s, until_s) at which a running job must pause (suspend-resume);
  // infinity: none.
  virtual double pause_at_s(double /*now_s*/, double /*until_s*/) const {
    return std::numeric_limits<double>::infinity();
  }
};

}  // namespace mlcycle
