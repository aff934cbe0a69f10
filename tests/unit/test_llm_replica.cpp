// The first-principles LLM replica (workload/llm_replica.hpp) against hand arithmetic.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "workload/llm_replica.hpp"

using namespace mlcycle;

namespace {

// A 7B dense model in BF16 (W = 14e9 B) with a KV cache of 1e5 B a token, on one GPU of round
// figures: 1e15 FLOP/s, 80e9 B, 2e12 B/s, half of each achieved: F = 5e14 FLOP/s, B = 1e12 B/s.
// Usable memory 80e9 x 0.9 = 72e9 B; KV capacity (72e9 - 14e9) / 1e5 = 580,000 tokens.
LlmModelSpec model_7b() {
  LlmModelSpec m;
  m.params = 7e9;
  m.active_params = 7e9;
  m.bytes_per_param = 2;
  m.kv_bytes_per_token = 1e5;
  return m;
}

LlmReplicaSpec round_gpu() {
  LlmReplicaSpec r;
  r.tensor_parallel = 1;
  r.peak_flops = 1e15;
  r.memory_bytes = 80e9;
  r.memory_bytes_per_s = 2e12;
  r.compute_efficiency = 0.5;
  r.bandwidth_efficiency = 0.5;
  r.memory_reserve = 0.1;
  r.max_batch = 256;
  r.idle_w = 100;
  r.busy_w = 700;
  r.decode_power_fraction = 0.35;
  r.key = "deployment[0].llm";
  r.where = SourceLocation{"s.toml", 12, 1};
  return r;
}

// Each GPU draws 100 W idle and 700 W busy; a memory-bound decode step 100 + 0.35 x 600 = 310 W.
// Requests of 1,000 tokens in and 100 out: a sequence in the batch holds 1,000 + 100 / 2 = 1,050.
const TokenMix kChat{1000, 100, 1050};

RequestSegment segment(double share, double input_tokens, double output_tokens, const char* name) {
  RequestSegment s;
  s.share = share;
  s.input_tokens = input_tokens;
  s.output_tokens = output_tokens;
  s.name = name;
  return s;
}

}  // namespace

TEST_CASE("llm replica: weights, KV capacity and achieved rates") {
  const LlmReplica replica(model_7b(), round_gpu());
  CHECK(replica.weight_bytes() == 14e9);
  CHECK(replica.usable_memory_bytes() == Approx(72e9).epsilon(1e-12));
  CHECK(replica.kv_capacity_tokens() == Approx(580000).epsilon(1e-12));
  CHECK(replica.achieved_flops_per_s() == 5e14);
  CHECK(replica.achieved_bytes_per_s() == 1e12);
}

TEST_CASE("llm replica: one request alone, prefill then decode") {
  const LlmReplica replica(model_7b(), round_gpu());
  // t_p = 2 x 7e9 x 1,000 / 5e14 = 0.028 s.
  CHECK(replica.prefill_s(1000) == Approx(0.028).epsilon(1e-12));
  // One sequence of 1,050 tokens: memory (14e9 + 1,050 x 1e5) / 1e12 = 0.014105 s, against
  // compute 2 x 7e9 / 5e14 = 2.8e-5 s: memory-bound.
  CHECK(replica.decode_step_s(1, 1050) == Approx(0.014105).epsilon(1e-12));
  // At a vanishing rate nothing waits: TTFT = t_p; TPOT = the one-sequence step; the request
  // takes 0.028 + 100 x 0.014105 = 1.4385 s.
  const LlmOperatingPoint alone = replica.at(1e-9, kChat);
  CHECK_FALSE(alone.overloaded);
  CHECK(alone.ttft_s == Approx(0.028).epsilon(1e-6));
  CHECK(alone.tpot_s == Approx(0.014105).epsilon(1e-6));
  CHECK(alone.ttft_s + kChat.output_tokens * alone.tpot_s == Approx(1.4385).epsilon(1e-6));
}

TEST_CASE("llm replica: a batch of 8 at a memory-bound decode") {
  const LlmReplica replica(model_7b(), round_gpu());
  // 8 sequences of 1,050 tokens: (14e9 + 8,400 x 1e5) / 1e12 = 0.01484 s, compute 2.24e-4 s;
  // 8 / 0.01484 = 539.08 tokens/s, against 1 / 0.014105 = 70.9 for one sequence.
  const double step_s = replica.decode_step_s(8, 8 * 1050);
  CHECK(step_s == Approx(0.01484).epsilon(1e-12));
  CHECK(8 / step_s == Approx(539.0836).epsilon(1e-6));
}

TEST_CASE("llm replica: the roofline turns compute-bound at the crossover batch") {
  const LlmReplica replica(model_7b(), round_gpu());
  // No context: b* = (W / B) / (2 N / F) = 0.014 / 2.8e-5 = 500.
  CHECK(replica.crossover_batch(0) == Approx(500).epsilon(1e-12));
  // 100 tokens a sequence: 0.014 / (2.8e-5 - 100 x 1e5 / 1e12) = 0.014 / 1.8e-5 = 777.78.
  CHECK(replica.crossover_batch(100) == Approx(777.7778).epsilon(1e-6));
  // b = 777: memory (14e9 + 77,700 x 1e5) / 1e12 = 0.02177 > compute 777 x 2.8e-5 = 0.021756.
  CHECK(replica.decode_step_s(777, 777 * 100) == Approx(0.02177).epsilon(1e-12));
  // b = 778: memory 0.02178 < compute 778 x 2.8e-5 = 0.021784.
  CHECK(replica.decode_step_s(778, 778 * 100) == Approx(0.021784).epsilon(1e-12));
  // 1,050 tokens a sequence: each adds 1.05e-4 s of reads and 2.8e-5 s of FLOPs: never.
  CHECK(std::isinf(replica.crossover_batch(1050)));
}

TEST_CASE("llm replica: the KV cache limits the batch") {
  const LlmReplica replica(model_7b(), round_gpu());
  // 580,000 tokens / 10,000 a sequence = 58 < max_batch 256; 1,050 a sequence: 552 -> 256.
  CHECK(replica.batch_limit(10000) == 58);
  CHECK(replica.batch_limit(1050) == 256);
  // Capacity at the limit, 256 x 1,050 tokens: step (14e9 + 2.688e10) / 1e12 = 0.04088 s;
  // lambda_max = 1 / (0.028 + 100 x 0.04088 / 256) = 1 / 0.04396875 = 22.7434 req/s.
  CHECK(replica.capacity_per_s(kChat) == Approx(1 / 0.04396875).epsilon(1e-12));
  // 10,000-token sequences (9,000 in, 2,000 out): 58 at once. t_p = 2 x 7e9 x 9,000 / 5e14
  // = 0.252 s, step (14e9 + 580,000 x 1e5) / 1e12 = 0.072 s: 1 / (0.252 + 2,000 x 0.072 / 58).
  const TokenMix long_context{9000, 2000, 10000};
  CHECK(replica.capacity_per_s(long_context) ==
        Approx(1 / (0.252 + 2000 * 0.072 / 58)).epsilon(1e-9));
}

TEST_CASE("llm replica: continuous batching at 10 requests a second") {
  const LlmReplica replica(model_7b(), round_gpu());
  const LlmOperatingPoint p = replica.at(10, kChat);
  // rho_p = 10 x 0.028 = 0.28; k = 10 x 100 / 0.72 = 1,388.89 tokens/s; A = 0.014 s,
  // beta = 1,050 x 1e5 / 1e12 = 1.05e-4 s; b = k A / (1 - k beta) = 19.4444 / 0.854167
  // = 22.7642; step 0.014 + 22.7642 x 1.05e-4 = 0.0163902 s; TPOT 0.0163902 / 0.72.
  CHECK_FALSE(p.overloaded);
  CHECK(p.utilization == Approx(10 * (0.028 + 100 * 0.04088 / 256)).epsilon(1e-12));
  CHECK(p.prefill_share == Approx(0.28).epsilon(1e-12));
  CHECK(p.decode_share == Approx(0.72).epsilon(1e-12));
  CHECK(p.batch == Approx(22.76423).epsilon(1e-6));
  CHECK(p.step_s == Approx(0.01639024).epsilon(1e-6));
  CHECK(p.batch / p.step_s == Approx(1000 / 0.72).epsilon(1e-9));  // the decode keeps up
  CHECK(p.tpot_s == Approx(0.02276423).epsilon(1e-6));
  // Wait: 0.72 x 0.0163902 / 2 + 0.28 x 0.028 / (2 x 0.72) = 0.0059005 + 0.0054444.
  CHECK(p.wait_s == Approx(0.01134493).epsilon(1e-6));
  CHECK(p.ttft_s == Approx(0.03934493).epsilon(1e-6));
  // FLOPs: 10 x 2 x 7e9 x 1,100 / 1e15 = 0.154; bytes: 0.72 of B (every decode step is
  // memory-bound) = 0.72 x 1e12 / 2e12 = 0.36.
  CHECK(p.compute_utilization == Approx(0.154).epsilon(1e-12));
  CHECK(p.memory_utilization == Approx(0.36).epsilon(1e-9));
  CHECK(p.output_tokens_per_s == Approx(1000).epsilon(1e-12));
}

TEST_CASE("llm replica: light load decodes one sequence at a time") {
  const LlmReplica replica(model_7b(), round_gpu());
  // 0.5 req/s: k = 50 / 0.986 = 50.71, k x 0.014105 = 0.715 < 1. Decoding 0.5 x 100 x 0.014105
  // = 0.70525 of the time, prefilling 0.014, idle the rest; the mean batch, lambda O x TPOT,
  // is 0.70525 / 0.986.
  const LlmOperatingPoint p = replica.at(0.5, kChat);
  CHECK(p.step_s == Approx(0.014105).epsilon(1e-12));
  CHECK(p.decode_share == Approx(0.70525).epsilon(1e-12));
  CHECK(p.prefill_share == Approx(0.014).epsilon(1e-12));
  CHECK(p.batch == Approx(0.70525 / 0.986).epsilon(1e-12));
  // The two regimes meet where k t_d(1) = 1, lambda O t1 = 1 - lambda t_p: on both sides the
  // batch is one and the replica is never idle.
  const double boundary_per_s = 1 / (100 * 0.014105 + 0.028);
  for (double side : {1 - 1e-9, 1 + 1e-9}) {
    const LlmOperatingPoint q = replica.at(boundary_per_s * side, kChat);
    CHECK(q.batch == Approx(1).epsilon(1e-6));
    CHECK(q.decode_share + q.prefill_share == Approx(1).epsilon(1e-6));
  }
}

TEST_CASE("llm replica: past capacity the replica saturates") {
  const LlmReplica replica(model_7b(), round_gpu());
  const LlmOperatingPoint p = replica.at(30, kChat);
  CHECK(p.overloaded);
  CHECK(p.utilization == Approx(30 * (0.028 + 100 * 0.04088 / 256)).epsilon(1e-12));
  CHECK(p.batch == 256);
  CHECK(std::isinf(p.ttft_s));
  // It serves its capacity: 22.7434 req/s x 100 tokens.
  CHECK(p.output_tokens_per_s == Approx(100 / (0.028 + 100 * 0.04088 / 256)).epsilon(1e-12));
}

TEST_CASE("llm replica: a request mix as the batch sees it") {
  // 3/4 chat (500 in, 200 out), 1/4 reasoning (200 in, 2,000 out): I = 375 + 50 = 425,
  // O = 150 + 500 = 650, c = (0.75 x 200 x 600 + 0.25 x 2,000 x 1,200) / 650 = 690,000 / 650.
  const std::vector<RequestSegment> segments{segment(0.75, 500, 200, "chat"),
                                             segment(0.25, 200, 2000, "reasoning")};
  const TokenMix mix = token_mix(segments);
  CHECK(mix.input_tokens == Approx(425).epsilon(1e-12));
  CHECK(mix.output_tokens == Approx(650).epsilon(1e-12));
  CHECK(mix.batch_context_tokens == Approx(690000.0 / 650).epsilon(1e-12));
  CHECK_THROWS_AS(token_mix(std::vector<RequestSegment>{}), std::invalid_argument);
  CHECK_THROWS_AS(token_mix(std::vector<RequestSegment>{segment(1, 0, 10, "empty")}),
                  std::invalid_argument);
}

TEST_CASE("llm replica: a model that does not fit says how much is missing") {
  LlmModelSpec model = model_7b();
  model.params = model.active_params = 70e9;  // 140 GB of BF16 weights on 72 GB usable
  try {
    LlmReplica replica(model, round_gpu());
    FAIL("a 70B model fit on one 80 GB GPU");
  } catch (const InputError& e) {
    CHECK(e.where().line == 12);
    CHECK(e.key() == "deployment[0].llm");
    CHECK(std::string(e.what()).find("140 GB") != std::string::npos);
    CHECK(std::string(e.what()).find("68 GB missing") != std::string::npos);
  }
  // Two GPUs hold 144 GB usable: it fits, with (144e9 - 140e9) / 1e5 = 40,000 tokens of KV.
  LlmReplicaSpec two = round_gpu();
  two.tensor_parallel = 2;
  CHECK(LlmReplica(model, two).kv_capacity_tokens() == Approx(40000).epsilon(1e-9));
  LlmReplicaSpec bad = round_gpu();
  bad.compute_efficiency = 1.5;
  CHECK_THROWS_AS(LlmReplica(model_7b(), bad), std::invalid_argument);
}

TEST_CASE("llm replica: power follows activity, not reservation") {
  const LlmReplica replica(model_7b(), round_gpu());
  // Idle: the GPU's 100 W, all of it static.
  const LlmOperatingPoint idle = replica.at(0, kChat);
  CHECK(idle.power_w == 100);
  CHECK(idle.static_w == 100);
  CHECK(std::isinf(idle.joules_per_output_token));
  // 10 req/s: prefill 0.28 of the time at 700 W; decode 0.72 at 0.35 + 0.65 r, where the
  // step's compute-bound share is r = 2.8e-5 x 22.7642 / 0.0163902 = 0.0388889. Activity
  // a = 0.28 + 0.72 x (0.35 + 0.65 x 0.0388889) = 0.5502; P = 100 + 600 x 0.5502 = 430.12 W
  // for 1,000 tokens/s: 0.43012 J a token.
  const LlmOperatingPoint busy = replica.at(10, kChat);
  const double b = busy.batch;
  const double r = 2.8e-5 * b / (0.014 + 1.05e-4 * b);
  CHECK(r == Approx(0.0388889).epsilon(1e-5));
  CHECK(busy.activity == Approx(0.28 + 0.72 * (0.35 + 0.65 * r)).epsilon(1e-12));
  CHECK(busy.power_w == Approx(430.12).epsilon(1e-5));
  CHECK(busy.static_w == 100);
  CHECK(busy.joules_per_output_token == Approx(0.43012).epsilon(1e-5));
  // 0.5 req/s: prefill 0.014, decode 0.70525 one sequence at a time, r = 2.8e-5 / 0.014105;
  // a = 0.014 + 0.70525 x (0.35 + 0.65 x 0.0019851) = 0.261747: 257.05 W for 50 tokens/s.
  const LlmOperatingPoint light = replica.at(0.5, kChat);
  CHECK(light.activity ==
        Approx(0.014 + 0.70525 * (0.35 + 0.65 * 2.8e-5 / 0.014105)).epsilon(1e-12));
  CHECK(light.power_w == Approx(257.048).epsilon(1e-5));
  CHECK(light.joules_per_output_token == Approx(257.048 / 50).epsilon(1e-5));
  // Batching amortises the static and decode power: 12x less energy a token at 20x the rate.
  CHECK(light.joules_per_output_token / busy.joules_per_output_token > 11.9);
}

TEST_CASE("llm replica: a batch limit past the crossover saturates at the crossover") {
  // max_batch 2,000 and 60 tokens a sequence: the KV cache holds 580,000 / 60 = 9,666, so the
  // limit is 2,000, but steps turn compute-bound at 0.014 / (2.8e-5 - 60 x 1e5 / 1e12) =
  // 0.014 / 2.2e-5 = 636.36, past which b / t_d stays 1 / 2.8e-5 tokens/s.
  LlmReplicaSpec wide = round_gpu();
  wide.max_batch = 2000;
  const LlmReplica replica(model_7b(), wide);
  const TokenMix short_mix{40, 40, 60};
  CHECK(replica.crossover_batch(60) == Approx(636.3636).epsilon(1e-6));
  // lambda_max = 1 / (t_p(40) + 40 x 2.8e-5) = 1 / (0.00112 + 0.00112) = 446.43 req/s.
  CHECK(replica.capacity_per_s(short_mix) == Approx(1 / 0.00224).epsilon(1e-9));
  // Just below and at capacity the batch and TPOT agree (no jump to the limit).
  const LlmOperatingPoint below = replica.at(446.4285 * (1 - 1e-9), short_mix);
  const LlmOperatingPoint at = replica.at(1 / 0.00224, short_mix);
  CHECK(at.overloaded);
  CHECK(below.batch == Approx(at.batch).epsilon(1e-5));
  CHECK(below.tpot_s == Approx(at.tpot_s).epsilon(1e-5));
}

TEST_CASE("llm replica: a mix whose sequence does not fit the KV cache serves nothing") {
  const LlmReplica replica(model_7b(), round_gpu());
  const TokenMix huge{500000, 200000, 600000};  // 600,000 tokens a sequence, 580,000 fit
  CHECK(replica.capacity_per_s(huge) == 0);
  const LlmOperatingPoint idle = replica.at(0, huge);
  CHECK_FALSE(idle.overloaded);
  CHECK(idle.power_w == 100);  // the GPU holds the model and does nothing else
  const LlmOperatingPoint asked = replica.at(1, huge);
  CHECK(asked.overloaded);
  CHECK(asked.power_w == 100);
  CHECK(asked.output_tokens_per_s == 0);
  CHECK_THROWS_AS(replica.at(-1, kChat), std::invalid_argument);
  CHECK_THROWS_AS(replica.at(std::nan(""), kChat), std::invalid_argument);
}

TEST_CASE("llm replica: under a power cap, compute slows and each phase draws at most the cap") {
  // Capped at 500 W a GPU with a curve factor of 1.2: F = 5e14 / 1.2 FLOP/s. At 10 requests/s
  // of kChat a prefill takes 2 x 7e9 x 1000 / F = 0.0336 s, 0.336 of the time; decode needs
  // k = 1000 / 0.664 = 1506.02 tokens/s: b = k x 0.014 / (1 - k x 1.05e-4) = 25.0447, a step
  // 0.014 + 25.0447 x 1.05e-4 = 0.0166297 s of which 2 x 7e9 x 25.0447 / F = 0.000841503 s of
  // FLOPs, r = 0.0506024. A decode step draws 100 + 600 x (0.35 + 0.65 r) = 329.735 W (below
  // the cap), a prefill min(700, 500) = 500 W:
  //   P = 100 + 0.336 x 400 + 0.664 x 229.735 = 386.944 W   (430.12 W uncapped)
  const LlmReplica capped = LlmReplica(model_7b(), round_gpu()).capped(500, 1.2);
  CHECK(capped.achieved_flops_per_s() == Approx(5e14 / 1.2).epsilon(1e-15));
  const LlmOperatingPoint p = capped.at(10, kChat);
  CHECK(p.prefill_share == Approx(0.336).epsilon(1e-12));
  CHECK(p.batch == Approx(25.0447227).epsilon(1e-8));
  CHECK(p.step_s == Approx(0.0166296959).epsilon(1e-8));
  CHECK(p.power_w == Approx(386.944).epsilon(1e-12));
  // A cap above every phase's draw changes only the speed: uncapped power at a slower F.
  const LlmReplica loose = LlmReplica(model_7b(), round_gpu()).capped(700, 1.2);
  const LlmOperatingPoint q = loose.at(10, kChat);
  CHECK(q.power_w == Approx(100 + 600 * q.activity).epsilon(1e-12));
  // The replica refuses a cap at or below its GPUs' idle power.
  CHECK_THROWS_AS(LlmReplica(model_7b(), round_gpu()).capped(100, 2), std::invalid_argument);
}
