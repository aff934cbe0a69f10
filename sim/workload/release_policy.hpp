#pragma once
// When a ready job may start: a campaign with a shifting policy holds each job until the time
// its policy chooses (the grid's signals live above this wing: the accounting wing implements
// the carbon-aware policies). Held jobs hold no GPUs; the queue and its policy apply once
// they are released.
namespace mlcycle {

class ReleasePolicy {
 public:
  virtual ~ReleasePolicy() = default;
  // The earliest start of a job ready at `ready_s`, at or after it. Must be non-decreasing in
  // `ready_s`: a campaign's jobs are released in their order, each not before the previous.
  virtual double release_s(double ready_s) const = 0;
};

}  // namespace mlcycle
