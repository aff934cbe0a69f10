#pragma once
// Bad user input (scenario, platform, command line, data files) is a typed exception carrying
// its location; main() turns it into one line and exit status 2.
#include <stdexcept>
#include <string>
#include <string_view>

namespace mlcycle {

struct SourceLocation {
  std::string file;  // path as the user gave it, or "--set" / "command line"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string key, std::string what_is_wrong);

  const SourceLocation& where() const { return where_; }
  const std::string& key() const { return key_; }

 private:
  SourceLocation where_;
  std::string key_;
};

// An error about a whole file (cannot be read, wrong format): no line, no key.
InputError file_error(const std::string& path, std::string what_is_wrong);

// `text` with line breaks and other control characters escaped (\n, \x1b, \u2028), so that a
// message quoting user text (a multi-line TOML string, a U+2028 in a name) stays one line.
std::string one_line(std::string_view text);
// 'text' in single quotes, one line (one_line), for messages that quote user input.
std::string in_quotes(std::string_view text);

// "file:line:col: key: message", omitting the parts that are unknown; always one line.
std::string format_input_error(const SourceLocation& where, const std::string& key,
                               const std::string& message);

}  // namespace mlcycle
