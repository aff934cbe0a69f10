#include "engine/node_watch.hpp"

#include <mutex>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace mlcycle {

namespace sg4 = simgrid::s4u;

NodeWatch::NodeWatch(const std::vector<sg4::Host*>& hosts)
    : mutex_(sg4::Mutex::create()), wake_(sg4::ConditionVariable::create()) {
  for (std::uint32_t i = 0; i < hosts.size(); ++i) index_[hosts[i]] = i;
}

void NodeWatch::install() {
  sg4::Host::on_state_change_cb([this](const sg4::Host& host) { on_state_change(host); });
}

void NodeWatch::on_state_change(const sg4::Host& host) {
  auto it = index_.find(&host);
  if (it == index_.end()) return;
  node_events_.push_back(NodeEvent{it->second, host.is_on(), sg4::Engine::get_clock()});
  // From the maestro, SimGrid runs the notification directly (simcall_answered's fast path).
  wake_->notify_all();
}

bool NodeWatch::wait_until(double time_s) {
  if (!node_events_.empty() || !probe_results_.empty()) return true;
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  if (time_s == std::numeric_limits<double>::infinity()) {
    wake_->wait(lock);
    return true;
  }
  return wake_->wait_until(lock, time_s) == std::cv_status::no_timeout;
}

void NodeWatch::post_probe(ProbeResult result) {
  probe_results_.push_back(result);
  wake_->notify_all();
}

std::vector<NodeEvent> NodeWatch::take_node_events() {
  std::vector<NodeEvent> out;
  out.swap(node_events_);
  return out;
}

std::vector<ProbeResult> NodeWatch::take_probe_results() {
  std::vector<ProbeResult> out;
  out.swap(probe_results_);
  return out;
}

AllReduceProbe::AllReduceProbe(std::vector<sg4::Host*> ring, double bytes, std::uint64_t job_id,
                               NodeWatch& watch)
    : ring_(std::move(ring)), bytes_(bytes), job_id_(job_id), watch_(&watch) {}

void AllReduceProbe::operator()() {
  const std::size_t n = ring_.size();
  const double start_s = sg4::Engine::get_clock();
  std::vector<sg4::CommPtr> phase;
  const auto chunk = static_cast<std::uint64_t>(bytes_ / static_cast<double>(n));
  for (std::size_t i = 0; i < n; ++i)
    phase.push_back(sg4::Comm::sendto_async(ring_[i], ring_[(i + 1) % n], chunk));
  try {
    sg4::Comm::wait_all(phase);
  } catch (const simgrid::Exception&) {
    return;  // a node of the ring failed: its node event drops the job, nothing to post
  }
  const double phase_s = sg4::Engine::get_clock() - start_s;
  watch_->post_probe(ProbeResult{job_id_, 2.0 * static_cast<double>(n - 1) * phase_s});
}

DataStaging::DataStaging(sg4::Host* from, sg4::Host* to, double bytes, std::uint64_t job_id,
                         NodeWatch& watch)
    : from_(from), to_(to), bytes_(bytes), job_id_(job_id), watch_(&watch) {}

void DataStaging::operator()() {
  const double start_s = sg4::Engine::get_clock();
  bool complete = true;
  try {
    sg4::Comm::sendto(from_, to_, static_cast<std::uint64_t>(bytes_));
  } catch (const simgrid::Exception&) {
    // A node of the transfer failed. The job's own node: its node event has dropped the job
    // (the result finds no slot). The data's node: the transfer ends here, the job computes.
    complete = false;
  }
  watch_->post_probe(ProbeResult{job_id_, sg4::Engine::get_clock() - start_s, true, complete});
}

}  // namespace mlcycle
