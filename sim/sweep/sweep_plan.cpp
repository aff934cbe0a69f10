#include "sweep/sweep_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "core/input_error.hpp"
#include "sweep/sweep_file.hpp"

namespace mlcycle {

namespace {

constexpr std::size_t kMaxValues = 100000;
constexpr std::size_t kMaxRuns = 1000000;  // points x replicates of one sweep

InputError option_error(const std::string& option, const std::string& text,
                        const std::string& message) {
  return InputError(SourceLocation{"command line", 0, 0}, option + " " + text, message);
}

std::string trimmed(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

std::vector<std::string> split(const std::string& s, char separator) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = s.find(separator, begin);
    parts.push_back(s.substr(begin, end - begin));
    if (end == std::string::npos) return parts;
    begin = end + 1;
  }
}

bool is_number(const SweepValue& v) {
  return v.type == SweepValue::Type::integer || v.type == SweepValue::Type::real;
}

double as_double(const SweepValue& v) {
  return v.type == SweepValue::Type::integer ? static_cast<double>(v.integer) : v.real;
}

// Equal for equal values: 1 and 1.0 are the same number; "true" the string is not a boolean.
// (Strings are appended, not chained with +: GCC 12 warns falsely with -Wrestrict.)
std::string identity(const SweepValue& v) {
  std::string id(1, is_number(v) ? 'n' : v.type == SweepValue::Type::boolean ? 'b' : 't');
  return id.append(is_number(v) ? toml_float_text(as_double(v)) : v.text);
}

SweepValue real_value(double x) {
  SweepValue v;
  v.type = SweepValue::Type::real;
  v.real = x;
  v.text = toml_float_text(x);
  return v;
}

SweepValue integer_value(std::int64_t x) {
  SweepValue v;
  v.type = SweepValue::Type::integer;
  v.integer = x;
  v.text = std::to_string(x);
  return v;
}

// start:stop:step, inclusive of stop when it falls on a step (within 1e-9 of a step).
std::vector<SweepValue> range_values(const std::string& range, const std::string& option,
                                     const std::string& text) {
  const std::vector<std::string> parts = split(range, ':');
  if (parts.size() != 3)
    throw option_error(option, text, "a range is start:stop:step, got '" + range + "'");
  const char* names[] = {"start", "stop", "step"};
  SweepValue v[3];
  for (int i = 0; i < 3; ++i) {
    v[i] = typed_value(trimmed(parts[i]));
    if (!is_number(v[i]))
      throw option_error(option, text,
                         std::string("range ") + names[i] + " '" + v[i].text + "' is not a number");
  }
  const double start = as_double(v[0]), stop = as_double(v[1]), step = as_double(v[2]);
  if (step == 0) throw option_error(option, text, "range step must not be zero");
  if (step > 0 && start > stop)
    throw option_error(option, text, "range start is above stop but the step is positive");
  if (step < 0 && start < stop)
    throw option_error(option, text, "range start is below stop but the step is negative");
  const double steps = (stop - start) / step;
  if (steps + 1 > static_cast<double>(kMaxValues))
    throw option_error(option, text, "more than 100000 values");
  std::vector<SweepValue> values;
  if (v[0].type == SweepValue::Type::integer && v[1].type == SweepValue::Type::integer &&
      v[2].type == SweepValue::Type::integer) {
    // |stop - start| / |step| <= 100000 here, so none of this overflows.
    // 128-bit intermediates: stop - start may not fit in 64 bits.
    using wide = __int128;
    const wide count = (wide{v[1].integer} - v[0].integer) / v[2].integer + 1;
    for (wide i = 0; i < count; ++i)
      values.push_back(integer_value(static_cast<std::int64_t>(v[0].integer + i * v[2].integer)));
    return values;
  }
  const auto last = static_cast<std::size_t>(std::floor(steps + 1e-9));
  for (std::size_t i = 0; i <= last; ++i) {
    // start + i*step, not repeated addition; 15 significant digits drop the binary drift
    // (0.1 + 2*0.1 = 0.30000000000000004 becomes 0.3).
    const double x = start + static_cast<double>(i) * step;
    char digits[32];
    std::snprintf(digits, sizeof digits, "%.15g", x);
    values.push_back(real_value(std::strtod(digits, nullptr)));
  }
  return values;
}

// The range form: no comma, and a number before the first ':' (so a date-time is a value).
bool looks_like_range(const std::string& list) {
  const std::size_t colon = list.find(':');
  if (colon == std::string::npos || list.find(',') != std::string::npos) return false;
  return is_number(typed_value(trimmed(list.substr(0, colon))));
}

struct ParsedOption {
  std::string key;
  std::vector<SweepValue> values;
  bool range = false;
};

// `unique`: each value once (a zipped key may repeat values; its rows must differ).
ParsedOption parse_option(const std::string& option, const std::string& text, bool unique) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos)
    throw option_error(option, text, "expected KEY=V1,V2,... or KEY=start:stop:step");
  ParsedOption parsed;
  parsed.key = trimmed(text.substr(0, eq));
  if (parsed.key.empty()) throw option_error(option, text, "missing the key before '='");
  const std::string list = text.substr(eq + 1);
  if (trimmed(list).empty()) throw option_error(option, text, "no values after '='");
  if (looks_like_range(list)) {
    parsed.range = true;
    parsed.values = range_values(list, option, text);
    return parsed;
  }
  const std::vector<std::string> items = split(list, ',');
  std::set<std::string> seen;
  if (items.size() > kMaxValues) throw option_error(option, text, "more than 100000 values");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item = trimmed(items[i]);
    if (item.empty())
      throw option_error(option, text, "value " + std::to_string(i + 1) + " is empty");
    SweepValue value = typed_value(item);
    if (unique && !seen.insert(identity(value)).second)
      throw option_error(option, text, "value '" + item + "' given twice");
    parsed.values.push_back(std::move(value));
  }
  return parsed;
}

std::string padded(std::size_t n, std::size_t width) {
  std::string digits = std::to_string(n);
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

bool plain_integer_digits(std::string_view digits) {
  // TOML: no leading zeros (007 is not an integer; --set then reads it as a string).
  return !digits.empty() && (digits.size() == 1 || digits.front() != '0');
}

}  // namespace

SweepValue typed_value(const std::string& text) {
  SweepValue v;
  v.text = text;
  if (text == "true" || text == "false") {
    v.type = SweepValue::Type::boolean;
    v.boolean = text == "true";
    return v;
  }
  std::string_view s = text;
  if (s.size() > 1 && s.front() == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  const char* end = s.data() + s.size();
  std::int64_t integer = 0;
  auto [iptr, iec] = std::from_chars(s.data(), end, integer);
  if (iec == std::errc() && iptr == end &&
      plain_integer_digits(s.front() == '-' ? s.substr(1) : s)) {
    v.type = SweepValue::Type::integer;
    v.integer = integer;
    return v;
  }
  if (s.find_first_of(".eE") == std::string_view::npos) return v;
  double real = 0;
  auto [rptr, rec] = std::from_chars(s.data(), end, real);
  if (rec == std::errc() && rptr == end && std::isfinite(real)) {
    v.type = SweepValue::Type::real;
    v.real = real;
  }
  return v;
}

SweepAxis parse_vary(const std::string& option_text) {
  ParsedOption parsed = parse_option("--vary", option_text, true);
  SweepAxis axis;
  axis.keys.push_back(std::move(parsed.key));
  axis.values.push_back(std::move(parsed.values));
  return axis;
}

SweepAxis parse_zip(const std::vector<std::string>& option_texts) {
  if (option_texts.empty())
    throw InputError(SourceLocation{"command line", 0, 0}, "--zip", "no --zip options given");
  SweepAxis axis;
  std::string first;
  for (const std::string& text : option_texts) {
    ParsedOption parsed = parse_option("--zip", text, false);
    if (parsed.range)
      throw option_error("--zip", text, "takes a list of values (V1,V2,...), not a range");
    for (const std::string& key : axis.keys)
      if (key == parsed.key) throw option_error("--zip", text, "key '" + key + "' is zipped twice");
    if (!axis.values.empty() && parsed.values.size() != axis.size())
      throw option_error("--zip", text,
                         std::to_string(parsed.values.size()) + " values, but --zip " + first +
                             " has " + std::to_string(axis.size()) +
                             "; zipped keys need the same number of values");
    if (axis.values.empty()) first = text;
    axis.keys.push_back(std::move(parsed.key));
    axis.values.push_back(std::move(parsed.values));
  }
  std::map<std::string, std::size_t> rows;  // the values at a position, across the keys
  for (std::size_t i = 0; i < axis.size(); ++i) {
    std::string row;
    for (const auto& values : axis.values) row += identity(values[i]) + '\0';
    if (auto [it, fresh] = rows.emplace(row, i); !fresh)
      throw InputError(SourceLocation{"command line", 0, 0}, "--zip",
                       "values " + std::to_string(it->second + 1) + " and " +
                           std::to_string(i + 1) + " are the same for every zipped key");
  }
  return axis;
}

std::vector<SweepPoint> expand_points(const std::vector<SweepAxis>& axes, std::uint32_t replicates,
                                      std::uint64_t base_seed) {
  const SourceLocation command_line{"command line", 0, 0};
  if (replicates < 1) throw InputError(command_line, "--replicates", "must be at least 1");
  std::set<std::string> keys;
  std::size_t count = 1;
  bool too_many = false;
  for (const SweepAxis& axis : axes) {
    for (const std::string& key : axis.keys)
      if (!keys.insert(key).second) throw InputError(command_line, "--vary " + key, "given twice");
    if (axis.size() == 0) throw InputError(command_line, "--vary " + axis.keys.at(0), "no values");
    too_many = too_many || count > kMaxRuns / axis.size();
    if (!too_many) count *= axis.size();
  }
  if (too_many || count > kMaxRuns / replicates)
    throw InputError(command_line, "--vary",
                     "more than " + std::to_string(kMaxRuns) + " runs (points x replicates)");

  const std::size_t point_width = std::max<std::size_t>(4, std::to_string(count - 1).size());
  const std::size_t replicate_width = std::to_string(replicates - 1).size();
  std::vector<SweepPoint> points;
  points.reserve(count * replicates);
  for (std::size_t p = 0; p < count; ++p) {
    std::vector<std::pair<std::string, SweepValue>> settings;
    std::size_t rest = p;
    std::vector<std::size_t> position(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {  // the last axis varies fastest
      position[a] = rest % axes[a].size();
      rest /= axes[a].size();
    }
    for (std::size_t a = 0; a < axes.size(); ++a)
      for (std::size_t k = 0; k < axes[a].keys.size(); ++k)
        settings.emplace_back(axes[a].keys[k], axes[a].values[k][position[a]]);
    for (std::uint32_t r = 0; r < replicates; ++r) {
      std::string id = "p";
      id.append(padded(p, point_width)).append("-r").append(padded(r, replicate_width));
      points.push_back(SweepPoint{std::move(id), p, r, base_seed + r, settings});
    }
  }
  return points;
}

}  // namespace mlcycle
