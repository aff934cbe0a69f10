// Token counts that vary per request (scenario/token_distribution.hpp,
// scenario/request_tokens_csv.hpp) and what the batch makes of them (token_mix), by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/input_error.hpp"
#include "scenario/request_tokens_csv.hpp"
#include "scenario/token_distribution.hpp"
#include "workload/llm_server.hpp"

using namespace mlcycle;

TEST_CASE("token distribution: uniform moments and midpoint quantiles") {
  // Uniform on [100, 300]: mean 200, E[X^2] = (100^2 + 100 x 300 + 300^2) / 3 = 43,333.3; the
  // 16 midpoints 100 + 200 (j + 1/2) / 16: 106.25, 118.75, ..., 293.75.
  const TokenMoments t = uniform_tokens(100, 300);
  CHECK(t.mean == 200);
  CHECK(t.mean_square == Approx(130000.0 / 3).epsilon(1e-15));
  REQUIRE(t.quantiles.size() == 16);
  CHECK(t.quantiles.front() == 106.25);
  CHECK(t.quantiles[8] == 206.25);
  CHECK(t.quantiles.back() == 293.75);
  CHECK(uniform_tokens(50, 50).quantiles.back() == 50);  // a point: every quantile the same
  CHECK_THROWS_AS(uniform_tokens(300, 100), std::invalid_argument);
}

TEST_CASE("token distribution: lognormal moments and quantiles") {
  // mu = 0, sigma = 1 as mean e^(1/2) and sd sqrt(e (e - 1)): E[X^2] = sd^2 + mean^2 = e^2; the
  // quantiles are exp(Phi^-1((j + 1/2) / 16)): 0.155248 first, 6.441310 last, and symmetric
  // around the median 1 (q_j q_(15-j) = 1).
  const double e = std::exp(1.0);
  const TokenMoments t = lognormal_tokens(std::sqrt(e), std::sqrt(e * (e - 1)));
  CHECK(t.mean_square == Approx(e * e).epsilon(1e-14));
  REQUIRE(t.quantiles.size() == 16);
  CHECK(t.quantiles.front() == Approx(0.1552479338).epsilon(1e-9));
  CHECK(t.quantiles[7] == Approx(0.9245830381).epsilon(1e-9));
  CHECK(t.quantiles.back() == Approx(6.4413095610).epsilon(1e-9));
  for (int j = 0; j < 8; ++j)
    CHECK(t.quantiles[j] * t.quantiles[15 - j] == Approx(1).epsilon(1e-12));
  CHECK_THROWS_AS(lognormal_tokens(100, 0), std::invalid_argument);
}

TEST_CASE("token distribution: requests from a file, and the context the batch sees") {
  const auto path = std::filesystem::temp_directory_path() / "mlcycle-request-tokens.csv";
  std::ofstream(path) << "id,input_tokens,output_tokens\n1,100,10\n2,300,30\n";
  RequestSegment segment;
  read_request_tokens_csv(path.string(), segment);
  // Means 200 and 20; E[I O] = (1,000 + 9,000) / 2 = 5,000; E[O^2] = (100 + 900) / 2 = 500.
  CHECK(segment.input_tokens == 200);
  CHECK(segment.output_tokens == 20);
  CHECK(segment.input_output_tokens == 5000);
  CHECK(segment.output_tokens_squared == 500);
  // Nearest rank of 2 requests at (j + 1/2) / 16: the first 8 quantiles 100, the last 8 300.
  REQUIRE(segment.input_quantiles.size() == 16);
  CHECK(segment.input_quantiles[7] == 100);
  CHECK(segment.input_quantiles[8] == 300);
  // The batch's context: (E[I O] + E[O^2] / 2) / E[O] = (5,000 + 250) / 20 = 262.5 tokens, not
  // the 200 + 20 / 2 = 210 of the means: the longer answer holds its longer prompt longer.
  const TokenMix mix = token_mix(std::vector<RequestSegment>{segment});
  CHECK(mix.batch_context_tokens == 262.5);
  CHECK(mix.input_tokens == 200);

  std::ofstream(path) << "input_tokens,output_tokens\n100,0\n";
  CHECK_THROWS_AS(read_request_tokens_csv(path.string(), segment), InputError);
  std::ofstream(path) << "input_tokens,output_tokens\n";
  CHECK_THROWS_AS(read_request_tokens_csv(path.string(), segment), InputError);
  std::filesystem::remove(path);
}
