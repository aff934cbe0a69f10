#include "core/input_error.hpp"

#include <utility>

namespace mlcycle {

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto escape = [&out](unsigned code, int digits) {
    static const char* hex = "0123456789abcdef";
    out.append(digits == 2 ? "\\x" : "\\u");
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
      out.push_back(hex[(code >> shift) & 15]);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      out.append("\\n");
    } else if (byte == '\r') {
      out.append("\\r");
    } else if (byte == '\t') {
      out.append("\\t");
    } else if (byte < 0x20 || byte == 0x7f) {
      escape(byte, 2);
    } else if (byte == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      escape(static_cast<unsigned char>(text[++i]), 4);  // C1 controls, NEL (U+0085) among them
    } else if (byte == 0xe2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xa9)) {
      escape(static_cast<unsigned char>(text[i + 2]) == 0xa8 ? 0x2028 : 0x2029, 4);
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string format_input_error(const SourceLocation& where, const std::string& key,
                               const std::string& message) {
  // Appends one piece at a time: GCC 12 warns falsely (-Wrestrict) on chained string +.
  std::string text = where.file.empty() ? std::string("input") : where.file;
  if (where.line > 0) {
    text.append(":").append(std::to_string(where.line));
    if (where.column > 0) text.append(":").append(std::to_string(where.column));
  }
  text.append(": ");
  if (!key.empty()) text.append(key).append(": ");
  text.append(message);
  return one_line(text);
}

InputError::InputError(SourceLocation where, std::string key, std::string what_is_wrong)
    : std::runtime_error(format_input_error(where, key, what_is_wrong)),
      where_(std::move(where)),
      key_(std::move(key)) {}

std::string in_quotes(std::string_view text) {
  // Appended, not "'" + one_line(text): GCC 12 misreads that as an overlapping copy
  // (-Wrestrict) where it is inlined.
  std::string q(1, '\'');
  q += one_line(text);
  q += '\'';
  return q;
}

InputError file_error(const std::string& path, std::string what_is_wrong) {
  return InputError(SourceLocation{path, 0, 0}, "", std::move(what_is_wrong));
}

}  // namespace mlcycle
