#pragma once
// Node failures come from SimGrid: a host's state profile (`state_file` in the platform XML)
// turns it off and on. SimGrid announces each change through Host::on_state_change in the
// maestro's context; NodeWatch queues it and wakes the scheduler actor, which waits on the
// condition variable below instead of sleeping, so it handles the failure at the exact time.
// The all-reduce probes report through the same queue.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <simgrid/s4u/ConditionVariable.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mutex.hpp>

namespace mlcycle {

struct NodeEvent {
  std::uint32_t host = 0;
  bool up = false;
  double time_s = 0;
};

struct ProbeResult {
  std::uint64_t job_id = 0;
  double allreduce_s = 0;  // one all-reduce of the gradient over the job's nodes
  bool staging = false;    // a data staging instead: allreduce_s is the transfer's duration
  bool complete = true;    // staging: every byte arrived (no host failed on the way)
};

class NodeWatch {
 public:
  explicit NodeWatch(const std::vector<simgrid::s4u::Host*>& hosts);
  NodeWatch(const NodeWatch&) = delete;
  NodeWatch& operator=(const NodeWatch&) = delete;

  // Registers the state-change callback (once per engine).
  void install();

  // Waits until `time_s` or until an event arrives; returns whether one did.
  bool wait_until(double time_s);
  void post_probe(ProbeResult result);

  std::vector<NodeEvent> take_node_events();
  std::vector<ProbeResult> take_probe_results();

 private:
  void on_state_change(const simgrid::s4u::Host& host);

  std::unordered_map<const simgrid::s4u::Host*, std::uint32_t> index_;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr wake_;
  std::vector<NodeEvent> node_events_;
  std::vector<ProbeResult> probe_results_;
};

// Runs one ring all-reduce of `bytes` over `ring` as SimGrid transfers and posts its duration.
// Every ring phase moves bytes / n between neighbours at once and the ring needs 2 (n - 1)
// phases (reduce-scatter, then all-gather), so the all-reduce takes 2 (n - 1) times the
// measured phase; the phase itself sees the platform's routes, latencies, bandwidths and any
// traffic of other jobs' probes at that time.
class AllReduceProbe {
 public:
  AllReduceProbe(std::vector<simgrid::s4u::Host*> ring, double bytes, std::uint64_t job_id,
                 NodeWatch& watch);
  void operator()();

 private:
  std::vector<simgrid::s4u::Host*> ring_;
  double bytes_;
  std::uint64_t job_id_;
  NodeWatch* watch_;
};

// Moves a placed job's data (`bytes`) from its campaign's first cluster to the job's first
// node as one SimGrid transfer, and posts how long it took (as a staging ProbeResult).
class DataStaging {
 public:
  DataStaging(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, std::uint64_t job_id,
              NodeWatch& watch);
  void operator()();

 private:
  simgrid::s4u::Host* from_;
  simgrid::s4u::Host* to_;
  double bytes_;
  std::uint64_t job_id_;
  NodeWatch* watch_;
};

}  // namespace mlcycle
