// Fuzzes the parser of SimGrid's `wattage_per_state` host property ("Idle:Epsilon:AllCores,
// ..."), which the platform loader runs on every host before SimGrid sees the value. Input: the
// property's text. The parser reports errors by value; it must never throw or crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/wattage_property.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  const auto states =
      mlcycle::parse_wattage_per_state(std::string(mlcycle::fuzz::as_text(data, size)), error);
  // An answer is either entries or an explanation, never neither.
  if (!states && error.empty()) __builtin_trap();
  return 0;
}
