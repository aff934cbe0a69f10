// Input errors are one line whatever the user wrote: line breaks and other control characters in
// quoted user text are escaped.
#include <catch2/catch.hpp>

#include "core/input_error.hpp"

using namespace mlcycle;

TEST_CASE("one_line escapes line breaks, control characters and Unicode line separators",
          "[input_error]") {
  CHECK(one_line("plain text: é, €") == "plain text: é, €");
  CHECK(one_line("a\nb\r\tc") == "a\\nb\\r\\tc");
  CHECK(one_line(std::string("bell\x07"
                             "esc\x1b"
                             "del\x7f")) == "bell\\x07esc\\x1bdel\\x7f");
  CHECK(one_line("next\xc2\x85line") == "next\\u0085line");  // NEL
  CHECK(one_line("a\xe2\x80\xa8"
                 "b\xe2\x80\xa9"
                 "c") == "a\\u2028b\\u2029c");  // LS, PS
  CHECK(one_line("en dash \xe2\x80\x93 stays") == "en dash \xe2\x80\x93 stays");
}

TEST_CASE("format_input_error keeps file, key and message on one line", "[input_error]") {
  const std::string text =
      format_input_error(SourceLocation{"dir\nname/s.toml", 3, 7}, "campaign[0].name", "'x\ny'");
  CHECK(text == "dir\\nname/s.toml:3:7: campaign[0].name: 'x\\ny'");
  CHECK(text.find('\n') == std::string::npos);
}
