#pragma once
// A text cut at every `sep`: "a,b" gives {"a", "b"}, "a," {"a", ""}, "" nothing. The readers of
// list-valued properties and parameters report the empty parts as malformed.
#include <string>
#include <vector>

namespace mlcycle {

inline std::vector<std::string> split_text(const std::string& text, char sep) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

}  // namespace mlcycle
