#include "core/input_error.hpp"

namespace mlcycle {

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
  return text;
}

InputError::InputError(SourceLocation where, std::string key, std::string what_is_wrong)
    : std::runtime_error(format_input_error(where, key, what_is_wrong)),
      where_(std::move(where)),
      key_(std::move(key)) {}

}  // namespace mlcycle
