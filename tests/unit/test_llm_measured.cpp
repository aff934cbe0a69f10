// An LLM replica from measured operating points (workload/llm_measured.hpp) against hand
// arithmetic: exact interpolation between two rows, the origin row below the first, saturation
// past the last, TPOT from the table or from Little's law, and a table in requests a second.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/input_error.hpp"
#include "workload/llm_measured.hpp"

using namespace mlcycle;

namespace {

// Two rows of one replica (1 GPU of 100 W idle): at batch 4, 200 output tokens/s at 300 W
// (TTFT 0.1 s, TPOT 0.02 s); at batch 16, 600 tokens/s at 500 W (TTFT 0.3 s, TPOT 0.04 s).
LlmMeasuredTable two_rows(bool latencies) {
  LlmMeasuredTable table;
  table.path = "ops.csv";
  table.points = {{4, 200, 300, 0.1, 0.02, 2}, {16, 600, 500, 0.3, 0.04, 3}};
  table.has_ttft = table.has_tpot = latencies;
  return table;
}

LlmReplicaSpec one_gpu(double idle_w) {
  LlmReplicaSpec spec;
  spec.tensor_parallel = 1;
  spec.idle_w = idle_w;
  spec.key = "deployment[0].llm";
  spec.where = SourceLocation{"s.toml", 9, 1};
  return spec;
}

// Requests of 50 tokens in and 100 out: the capacity is 600 / 100 = 6 requests a second.
const TokenMix kMix{50, 100, 100};

}  // namespace

TEST_CASE("llm measured: a rate between two rows lands exactly between them") {
  const MeasuredLlmReplica replica(two_rows(true), one_gpu(100));
  CHECK(replica.capacity_per_s(kMix) == 6);
  // 4 requests/s x 100 = 400 tokens/s: f = (400 - 200) / (600 - 200) = 0.5, so the batch is
  // 4 + 0.5 x 12 = 10 and the power 300 + 0.5 x 200 = 400 W. The latencies are linear in the
  // batch: TTFT 0.1 + 0.5 x 0.2 = 0.2 s, TPOT 0.02 + 0.5 x 0.02 = 0.03 s. 400 W / 400 tokens/s
  // = 1 J a token; 4 / 6 of the capacity.
  const LlmOperatingPoint p = replica.at(4, kMix);
  CHECK(p.batch == 10);
  CHECK(p.power_w == 400);
  CHECK(p.ttft_s == Approx(0.2).epsilon(1e-15));
  CHECK(p.tpot_s == Approx(0.03).epsilon(1e-15));
  CHECK(p.wait_s == p.ttft_s);
  CHECK(replica.first_token_s(p.wait_s, 5000) == p.ttft_s);  // the table's TTFT is whole
  CHECK(p.joules_per_output_token == 1);
  CHECK(p.utilization == Approx(4.0 / 6).epsilon(1e-15));
  CHECK(p.static_w == 100);
  CHECK_FALSE(p.overloaded);
  CHECK(std::isnan(p.compute_utilization));
  // At the rows themselves: exactly their figures.
  CHECK(replica.at(2, kMix).power_w == 300);
  CHECK(replica.at(2, kMix).batch == 4);
  CHECK(replica.at(6, kMix).power_w == 500);
}

TEST_CASE("llm measured: below the first row, from the idle GPUs at no load") {
  const MeasuredLlmReplica replica(two_rows(true), one_gpu(100));
  // 1 request/s = 100 tokens/s, half the first row's 200: batch 2, 100 + 0.5 x 200 = 200 W;
  // the latencies stay the first row's.
  const LlmOperatingPoint p = replica.at(1, kMix);
  CHECK(p.batch == 2);
  CHECK(p.power_w == 200);
  CHECK(p.ttft_s == 0.1);
  CHECK(p.tpot_s == 0.02);
  const LlmOperatingPoint idle = replica.at(0, kMix);
  CHECK(idle.power_w == 100);
  CHECK(idle.batch == 0);
  CHECK(idle.utilization == 0);
}

TEST_CASE("llm measured: past the last row the replica saturates") {
  const MeasuredLlmReplica replica(two_rows(true), one_gpu(100));
  // 8 requests/s against a capacity of 6: it serves 6 at the last row, the queue grows.
  const LlmOperatingPoint p = replica.at(8, kMix);
  CHECK(p.overloaded);
  CHECK(p.power_w == 500);
  CHECK(p.batch == 16);
  CHECK(p.output_tokens_per_s == 600);
  CHECK(std::isinf(p.ttft_s));
  CHECK(p.utilization == Approx(8.0 / 6).epsilon(1e-15));
}

TEST_CASE("llm measured: without latency columns, TPOT from Little's law and no TTFT") {
  const MeasuredLlmReplica replica(two_rows(false), one_gpu(100));
  // 4 requests/s: batch 10 shares 400 tokens/s, 40 a second each: TPOT 0.025 s (the table's
  // column would have said 0.03).
  const LlmOperatingPoint p = replica.at(4, kMix);
  CHECK(p.tpot_s == Approx(0.025).epsilon(1e-15));
  CHECK(std::isnan(p.ttft_s));
  // Below the first row b / r is the first row's 4 / 200: TPOT 0.02 s, at no load as well.
  CHECK(replica.at(1, kMix).tpot_s == Approx(0.02).epsilon(1e-15));
  CHECK(replica.at(0, kMix).tpot_s == Approx(0.02).epsilon(1e-15));
}

TEST_CASE("llm measured: a table in requests a second") {
  // ML.ENERGY's Llama-3-8B on one A100 (platforms/llm-operating-points.csv, rounded): mean
  // concurrency 11.89 at 0.952 requests/s and 201.0 W; 28.36 at 1.857 and 195.9 W (power may
  // fall a little between measurements).
  LlmMeasuredTable table;
  table.path = "ops.csv";
  table.points = {{11.89, 0.952, 201.0, NAN, NAN, 2}, {28.36, 1.857, 195.9, NAN, NAN, 3}};
  table.throughput_in_requests = true;
  const MeasuredLlmReplica replica(table, one_gpu(50));
  // The capacity is the last row's, whatever the mix: 1.857 requests/s.
  CHECK(replica.capacity_per_s(kMix) == 1.857);
  CHECK(replica.capacity_per_s(TokenMix{10, 1000, 1000}) == 1.857);
  // Halfway, 1.4045 requests/s: batch (11.89 + 28.36) / 2 = 20.125, (201 + 195.9) / 2 =
  // 198.45 W; 140.45 output tokens/s of the mix, 198.45 / 140.45 = 1.41296 J a token; TPOT by
  // Little's law 20.125 / 140.45 = 0.143289 s.
  const LlmOperatingPoint p = replica.at(1.4045, kMix);
  CHECK(p.batch == Approx(20.125).epsilon(1e-12));
  CHECK(p.power_w == Approx(198.45).epsilon(1e-12));
  CHECK(p.joules_per_output_token == Approx(198.45 / 140.45).epsilon(1e-12));
  CHECK(p.tpot_s == Approx(20.125 / 140.45).epsilon(1e-12));
}

TEST_CASE("llm measured: idle GPUs drawing more than the first row is refused") {
  // 2 GPUs x 200 W = 400 W idle against 300 W measured at batch 4.
  LlmReplicaSpec spec = one_gpu(200);
  spec.tensor_parallel = 2;
  try {
    const MeasuredLlmReplica replica(two_rows(true), spec);
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string text = e.what();
    CHECK(text.find("s.toml:9:1") != std::string::npos);
    CHECK(text.find("400 W, is more than the 300 W measured at batch 4 (ops.csv line 2)") !=
          std::string::npos);
  }
}

TEST_CASE("llm measured: every row draws at least the idle power, and the last row is steady") {
  // A second row at 250 W against GPUs idling at 260 W: refused, at that row.
  LlmMeasuredTable table = two_rows(true);
  table.points[1].power_w = 250;
  table.points[0].power_w = 270;
  try {
    const MeasuredLlmReplica replica(table, one_gpu(260));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("more than the 250 W measured at batch 16 (ops.csv line 3)") !=
          std::string::npos);
  }
  // At exactly the capacity, 6 requests/s: the last row, not an overload (TTFT 0.3 s).
  const LlmOperatingPoint p = MeasuredLlmReplica(two_rows(true), one_gpu(100)).at(6, kMix);
  CHECK_FALSE(p.overloaded);
  CHECK(p.ttft_s == 0.3);
}
