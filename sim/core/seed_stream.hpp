#pragma once
// Independent, reproducible random streams derived from the scenario seed. Boost.Random
// engines and distributions give the same numbers on every standard library.
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>

namespace mlcycle {

// SplitMix64 finaliser: decorrelates nearby seeds (seed 1 and seed 2 give unrelated streams).
inline std::uint64_t mix_seed(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The stream of one purpose (e.g. trial lengths of campaign 3) under one scenario seed.
inline boost::random::mt19937_64 make_stream(std::uint64_t scenario_seed, std::uint64_t purpose) {
  return boost::random::mt19937_64(mix_seed(mix_seed(scenario_seed) ^ mix_seed(purpose)));
}

}  // namespace mlcycle
