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

namespace {

double weight_sum(const std::vector<TokenPoint>& points) {
  double sum = 0;
  for (const TokenPoint& p : points) sum += p.weight;
  return sum;
}

}  // namespace

TEST_CASE("token distribution: uniform moments and band points") {
  // Uniform on [100, 300]: mean 200, E[X^2] = (100^2 + 100 x 300 + 300^2) / 3 = 43,333.3. A
  // band stands at its upper end, 100 + 200 x end: 110 for [0, 0.05], 200 for [0.45, 0.5], 280
  // for [0.85, 0.9], 298 for [0.98, 0.99], 300 for [0.999, 1] (weight 0.001).
  const TokenMoments t = uniform_tokens(100, 300);
  CHECK(t.mean == 200);
  CHECK(t.mean_square == Approx(130000.0 / 3).epsilon(1e-15));
  REQUIRE(t.points.size() == 24);
  CHECK(t.points[0].tokens == 110);
  CHECK(t.points[0].weight == Approx(0.05).epsilon(1e-12));
  CHECK(t.points[9].tokens == 200);
  CHECK(t.points[17].tokens == Approx(280).epsilon(1e-15));
  CHECK(t.points[20].tokens == Approx(298).epsilon(1e-15));
  CHECK(t.points.back().tokens == 300);
  CHECK(t.points.back().weight == Approx(0.001).epsilon(1e-9));
  CHECK(weight_sum(t.points) == Approx(1).epsilon(1e-15));
  CHECK(uniform_tokens(50, 50).points.back().tokens == 50);  // a point: every band the same
  CHECK_THROWS_AS(uniform_tokens(300, 100), std::invalid_argument);
}

TEST_CASE("token distribution: lognormal moments and band points") {
  // mu = 0, sigma = 1 as mean e^(1/2) and sd sqrt(e (e - 1)): E[X^2] = sd^2 + mean^2 = e^2. The
  // bands' ends are its quantiles exp(Phi^-1(p)): 1 at 0.5, 3.602224 at 0.9, 10.240474 at
  // 0.99; the last band, without a maximum, at 0.9995: 26.857006.
  const double e = std::exp(1.0);
  const TokenMoments t = lognormal_tokens(std::sqrt(e), std::sqrt(e * (e - 1)));
  CHECK(t.mean_square == Approx(e * e).epsilon(1e-14));
  REQUIRE(t.points.size() == 24);
  CHECK(t.points[9].tokens == Approx(1).epsilon(1e-12));
  CHECK(t.points[17].tokens == Approx(3.6022244793).epsilon(1e-9));
  CHECK(t.points[20].tokens == Approx(10.2404736563).epsilon(1e-9));
  CHECK(t.points.back().tokens == Approx(26.8570063619).epsilon(1e-9));
  CHECK(weight_sum(t.points) == Approx(1).epsilon(1e-15));
  // An sd whose sigma rounds to 0 is a fixed count, not a Boost error.
  CHECK(lognormal_tokens(1000, 1e-200).points.back().tokens == 1000);
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
  // Nearest rank of 2 requests at each band's end: 100 up to 0.5 (half the weight), then 300.
  REQUIRE(segment.input_points.size() == 24);
  CHECK(segment.input_points[9].tokens == 100);
  CHECK(segment.input_points[10].tokens == 300);
  double at_100 = 0;
  for (const TokenPoint& p : segment.input_points) at_100 += p.tokens == 100 ? p.weight : 0;
  CHECK(at_100 == Approx(0.5).epsilon(1e-12));
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
