#include "engine/state_profiles.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>

#include "core/input_error.hpp"

namespace mlcycle {

namespace {

struct Word {
  std::string_view text;
  int column = 0;  // 1-based
};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<Word> split_words(std::string_view line) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start)
      words.push_back(Word{line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return words;
}

// A plain decimal number: std::from_chars takes neither hex nor a leading '+' and, unlike
// SimGrid's std::stod, reports a result out of range instead of throwing through SimGrid.
std::optional<double> decimal(std::string_view text, std::string& why) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) {
    why = "is out of the range of a double";
    return std::nullopt;
  }
  if (error != std::errc() || end != text.data() + text.size()) {
    why = "is not a number";
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    why = "is not a finite number";
    return std::nullopt;
  }
  // SimGrid reads our text back with std::stod, which throws on subnormal numbers.
  if (std::fpclassify(value) == FP_SUBNORMAL) {
    why = "is too close to 0 (subnormal)";
    return std::nullopt;
  }
  return value;
}

std::string shortest(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

class ProfileParser {
 public:
  ProfileParser(const std::string& file, const std::string& key, ProfileKind kind)
      : file_(file), key_(key), kind_(kind) {}

  StateProfile parse(std::string_view text) {
    int line_number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      ++line_number;
      read_line(text.substr(start, end - start), line_number);
      start = end + 1;
    }
    finish();
    return std::move(profile_);
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw InputError(SourceLocation{file_, line, column}, key_, message);
  }

  double number(const Word& word, int line, const std::string& what) const {
    std::string why;
    auto value = decimal(word.text, why);
    if (!value) fail(line, word.column, what + " '" + std::string(word.text) + "' " + why);
    return *value;
  }

  void read_line(std::string_view line, int number_of_line) {
    const std::vector<Word> words = split_words(line);
    if (words.empty() || words[0].text[0] == '#' || words[0].text[0] == '%') return;
    const Word& first = words[0];
    if (first.text == "LOOPAFTER" || first.text == "PERIODICITY") {
      const std::string directive(first.text);
      if (words.size() != 2)
        fail(number_of_line, first.column, "expected '" + directive + " <seconds>'");
      if (loop_line_ > 0)
        fail(number_of_line, first.column,
             "a second LOOPAFTER or PERIODICITY (the first is on line " +
                 std::to_string(loop_line_) + ")");
      const double seconds = number(words[1], number_of_line, directive);
      if (seconds < 0) fail(number_of_line, words[1].column, directive + " must not be negative");
      loop_line_ = number_of_line;
      loop_column_ = words[1].column;
      periodicity_ = first.text == "PERIODICITY";
      loop_s_ = seconds;
      return;
    }
    if (first.text == "STOCHASTIC")
      fail(number_of_line, first.column,
           "stochastic profiles are not supported: give the events' times and values");
    if (words.size() != 2)
      fail(number_of_line, first.column,
           "expected '<time in s> <value>', got '" + std::string(line) + "'");
    const double time_s = number(first, number_of_line, "time");
    const double value = number(words[1], number_of_line, "value");
    if (time_s < 0) fail(number_of_line, first.column, "a time must not be negative");
    if (!profile_.events.empty() && time_s < profile_.events.back().first)
      fail(number_of_line, first.column,
           "times must increase (" + std::string(first.text) + " comes after a later time)");
    check_value(value, words[1], number_of_line);
    profile_.events.emplace_back(time_s, value);
  }

  void check_value(double value, const Word& word, int line) const {
    const std::string text(word.text);
    switch (kind_) {
      case ProfileKind::state:
        if (value != 0 && value != 1)
          fail(line, word.column, "a state is 0 (off) or 1 (on), got " + text);
        return;
      case ProfileKind::speed:
      case ProfileKind::bandwidth:
        if (!(value > 0 && value <= 1))
          fail(line, word.column,
               "a " + std::string(kind_ == ProfileKind::speed ? "speed" : "bandwidth") +
                   " is a fraction of the peak in (0, 1], got " + text);
        return;
      case ProfileKind::latency:
        if (value < 0) fail(line, word.column, "a latency must not be negative, got " + text);
        return;
    }
  }

  void finish() {
    if (loop_line_ == 0) return;
    const double last_s = profile_.events.empty() ? 0 : profile_.events.back().first;
    // SimGrid: PERIODICITY P repeats after P - last time; it aborts when that is negative.
    if (periodicity_ && loop_s_ < last_s)
      fail(loop_line_, loop_column_,
           "PERIODICITY must be at least the last event's time (" + shortest(last_s) + ")");
    profile_.loop_after_s = periodicity_ ? loop_s_ - last_s : loop_s_;
    // A cycle of length 0 would replay the events at the same instant forever (SimGrid hangs).
    if (!profile_.events.empty() && !(last_s + profile_.loop_after_s > 0))
      fail(loop_line_, loop_column_, "the profile would repeat in a cycle of 0 s");
  }

  const std::string& file_;
  const std::string& key_;
  ProfileKind kind_;
  StateProfile profile_;
  int loop_line_ = 0;
  int loop_column_ = 0;
  bool periodicity_ = false;
  double loop_s_ = 0;
};

std::string exact(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace

StateProfile parse_profile(std::string_view text, const std::string& file_for_errors,
                           const std::string& key, ProfileKind kind) {
  return ProfileParser(file_for_errors, key, kind).parse(text);
}

StateProfile parse_state_profile(std::string_view text, const std::string& file_for_errors,
                                 const std::string& key) {
  return parse_profile(text, file_for_errors, key, ProfileKind::state);
}

std::string simgrid_profile_text(const StateProfile& profile) {
  std::string text;
  for (const auto& [time_s, value] : profile.events)
    text.append(exact(time_s)).append(" ").append(exact(value)).append("\n");
  if (profile.loop_after_s >= 0) text.append("LOOPAFTER ").append(exact(profile.loop_after_s));
  return text;
}

double PlatformProfiles::next_up_s(const std::string& host, double now_s) const {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  auto it = states.find(host);
  if (it == states.end() || it->second.events.empty()) return kNever;
  const StateProfile& p = it->second;
  // With LOOPAFTER the profile repeats every (last event + period): look at this cycle and
  // the next one.
  const double cycle_s = p.loop_after_s >= 0 ? p.events.back().first + p.loop_after_s : 0;
  const double first_cycle = cycle_s > 0 ? std::floor(now_s / cycle_s) : 0;
  for (int k = 0; k < (cycle_s > 0 ? 2 : 1); ++k)
    for (const auto& [t, value] : p.events) {
      const double at = t + (first_cycle + k) * cycle_s;
      if (at > now_s && value > 0) return at;
    }
  return kNever;
}

}  // namespace mlcycle
