#include <catch2/catch.hpp>

#include "workload/fifo_dispatcher.hpp"

using namespace mlcycle;

namespace {
CampaignSpec fixed_campaign(std::string name, std::uint64_t trials, std::uint32_t gpus,
                            double hours) {
  CampaignSpec spec;
  spec.name = std::move(name);
  spec.trials = trials;
  spec.gpus_per_trial = gpus;
  spec.length.hours = hours;
  return spec;
}
const std::vector<ClusterGpus> kTwoNodes{ClusterGpus{{0, 1}, {2, 2}}};
}  // namespace

TEST_CASE("a campaign at its concurrency limit is skipped, not blocking") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("a", 3, 2, 1), fixed_campaign("b", 2, 1, 2)};
  campaigns[0].max_concurrent = 1;
  FifoDispatcher dispatcher(campaigns, {0, 0}, kTwoNodes, 1);
  std::vector<JobStart> started = dispatcher.dispatch(0);
  // a#0 takes host 0 (2 GPUs); a is then at its limit; b#0 and b#1 fill host 1.
  REQUIRE(started.size() == 3);
  CHECK(started[0].request.campaign == 0);
  CHECK(started[0].allocation[0].host == 0);
  CHECK(started[1].request.campaign == 1);
  CHECK(started[1].allocation[0].host == 1);
  CHECK(started[2].request.campaign == 1);
  CHECK(started[0].request.job_id == 0);
  CHECK(started[2].request.job_id == 2);
  CHECK(dispatcher.dispatch(0).empty());
  dispatcher.finish(started[0]);
  std::vector<JobStart> next = dispatcher.dispatch(3600);
  REQUIRE(next.size() == 1);
  CHECK(next[0].request.campaign == 0);
  CHECK(next[0].request.duration_s == 3600);
  CHECK(dispatcher.pending_jobs() == 1);
  CHECK_FALSE(dispatcher.all_started());
}

TEST_CASE("strict FIFO: a head that does not fit holds back smaller jobs behind it") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("first", 1, 1, 1),
                                      fixed_campaign("wide", 1, 4, 1),
                                      fixed_campaign("small", 1, 1, 1)};
  FifoDispatcher dispatcher(campaigns, {0, 0, 0}, kTwoNodes, 1);
  std::vector<JobStart> started = dispatcher.dispatch(0);
  // "wide" needs all 4 GPUs, 3 are free: it waits, and "small" waits behind it.
  REQUIRE(started.size() == 1);
  CHECK(started[0].request.campaign == 0);
  dispatcher.finish(started[0]);
  started = dispatcher.dispatch(3600);
  REQUIRE(started.size() == 1);
  CHECK(started[0].request.campaign == 1);
  CHECK(started[0].allocation.size() == 2);  // spans both nodes
}

TEST_CASE("campaigns wait for their submit time") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("later", 1, 1, 1)};
  campaigns[0].submit_s = 7200;
  FifoDispatcher dispatcher(campaigns, {0}, kTwoNodes, 1);
  CHECK(dispatcher.dispatch(0).empty());
  CHECK(dispatcher.next_submit_after(0) == 7200);
  std::vector<JobStart> started = dispatcher.dispatch(7200);
  REQUIRE(started.size() == 1);
  CHECK(started[0].request.submit_s == 7200);
  CHECK(dispatcher.all_started());
}
