// A published-style energy chain (Epoch AI, "How much energy does ChatGPT use?", You 2025),
// stated in full and reproduced by the first-principles replica (workload/llm_replica.hpp):
//
//   a query of 500 tokens through N_active = 100e9 parameters: 2 x 100e9 x 500 = 1e14 FLOP
//   on H100s (989e12 dense BF16 FLOP/s) at 10 % utilization: 1e14 / 98.9e12 = 1.011122 GPU-s
//   at 70 % of 1,275 W a GPU (a DGX H100's 10.2 kW over 8): 892.5 W x 1.011122 s = 902.43 J
//   in a datacentre of PUE 1.2: 1,082.91 J = 0.300809 Wh a query.
//
// The replica's side of it: its compute_efficiency is the utilization, busy_w the GPU's power.
// At its capacity the batch sits at the roofline's crossover, where a decode step is exactly
// as long as its FLOPs at F and the GPUs draw busy power (activity 1), so each request costs
// TP x busy_w x 2 N_active (I + O) / F, the chain's figure before PUE. Its 500 tokens are
// taken as 50 in and 450 out (the chain counts FLOPs, which do not tell prompt from answer).
// tests/cli/test_llm_serving.py runs the same chain end to end, PUE included.
#include <catch2/catch.hpp>

#include "workload/llm_replica.hpp"

using namespace mlcycle;

TEST_CASE("llm replica: the published chain, 0.3008 Wh a query, within 0.1 %") {
  LlmModelSpec model;
  model.params = 100e9;
  model.active_params = 100e9;
  model.bytes_per_param = 1;         // FP8: 100 GB of weights on 8 x 80 GB
  model.kv_bytes_per_token = 1.6e5;  // KV reads are a small part of a step at this context
  LlmReplicaSpec replica;
  replica.tensor_parallel = 8;
  replica.peak_flops = 989e12;
  replica.memory_bytes = 80e9;
  replica.memory_bytes_per_s = 3.35e12;
  replica.compute_efficiency = 0.1;
  replica.idle_w = 100;
  replica.busy_w = 0.7 * 1275;
  const LlmReplica llm(model, replica);
  // Context c = 50 + 450 / 2 = 275 tokens. F = 8 x 98.9e12 = 7.912e14 FLOP/s, B = 8 x 3.35e12 x
  // 0.6 = 1.608e13 B/s: crossover = (1e11 / B) / (2e11 / F - 275 x 1.6e5 / B) = 24.871, within
  // the KV cache's (576e9 - 100e9) / (275 x 1.6e5) = 10,818 sequences and max_batch 256.
  const TokenMix mix{50, 450, 275};
  CHECK(llm.crossover_batch(275) == Approx(24.8712).epsilon(1e-5));
  // Capacity F / (2 N (I + O)) = 7.912e14 / 1e14 = 7.912 queries a second.
  const double capacity_per_s = llm.capacity_per_s(mix);
  REQUIRE(capacity_per_s == Approx(7.912).epsilon(1e-12));
  const LlmOperatingPoint full = llm.at(capacity_per_s, mix);
  CHECK(full.activity == Approx(1).epsilon(1e-12));
  CHECK(full.power_w == Approx(8 * 892.5).epsilon(1e-12));
  const double pue = 1.2;
  const double wh_per_query = full.power_w / full.requests_per_s * pue / 3600;
  // 1e14 / 98.9e12 x 892.5 x 1.2 / 3600 = 0.3008089 Wh.
  CHECK(wh_per_query == Approx(0.3008089).epsilon(1e-3));
  CHECK(wh_per_query == Approx(1e14 / 98.9e12 * 892.5 * 1.2 / 3600).epsilon(1e-12));
}
