#pragma once
// A double as the shortest text that reads back (strtod) as the same double: platform
// properties mlcycle writes for SimGrid and for its own loader keep every bit.
#include <charconv>
#include <string>

namespace mlcycle {

inline std::string shortest_text(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

}  // namespace mlcycle
