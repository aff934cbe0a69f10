#include "app/text_table.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace mlcycle {

void TextTable::print(std::ostream& out, const std::string& indent) const {
  std::vector<std::size_t> widths;
  for (const Column& c : columns_) widths.push_back(std::max(c.min_width, c.header.size()));
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  auto line = [&](auto cell) {
    std::string text = indent;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string value = cell(i);
      const std::string pad(widths[i] - std::min(widths[i], value.size()), ' ');
      if (i > 0) text += ' ';
      text += i == 0 ? value + pad : pad + value;
    }
    out << text << '\n';
  };
  line([&](std::size_t i) { return columns_[i].header; });
  for (const auto& row : rows_) line([&](std::size_t i) { return i < row.size() ? row[i] : ""; });
}

std::string fixed(double value, int decimals) {
  const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);  // 1e300 has 301 digits
  std::string text(static_cast<std::size_t>(std::max(size, 0)) + 1, '\0');
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  text.pop_back();
  return text;
}

std::string format_text(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::va_list again;
  va_copy(again, args);
  const int size = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string text(static_cast<std::size_t>(std::max(size, 0)) + 1, '\0');
  std::vsnprintf(text.data(), text.size(), format, again);
  va_end(again);
  text.pop_back();
  return text;
}

}  // namespace mlcycle
