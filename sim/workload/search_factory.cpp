#include <memory>
#include <utility>

#include "workload/asha_search.hpp"
#include "workload/hyperband_search.hpp"
#include "workload/independent_search.hpp"
#include "workload/learning_curve.hpp"
#include "workload/search_algorithm.hpp"
#include "workload/successive_halving.hpp"

namespace mlcycle {

std::unique_ptr<SearchAlgorithm> make_search(const SearchSpec& spec, SearchScorer scorer) {
  switch (spec.kind) {
    case SearchKind::grid:
    case SearchKind::random:
      return std::make_unique<IndependentSearch>(spec, std::move(scorer));
    case SearchKind::successive_halving:
      return std::make_unique<SuccessiveHalving>(spec, std::move(scorer));
    case SearchKind::asha:
      return std::make_unique<AshaSearch>(spec, std::move(scorer));
    case SearchKind::hyperband:
      return std::make_unique<HyperbandSearch>(spec, std::move(scorer));
  }
  return std::make_unique<IndependentSearch>(spec, std::move(scorer));
}

std::unique_ptr<SearchAlgorithm> make_search(const SearchSpec& spec, std::uint64_t seed) {
  // The curve is copied into the scorer, so the search owns it.
  LearningCurve curve(spec, seed);
  return make_search(spec, SearchScorer(curve));
}

}  // namespace mlcycle
