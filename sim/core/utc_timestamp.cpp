#include "core/utc_timestamp.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>

#include "core/utc_time.hpp"

namespace mlcycle {

namespace {

// Exactly `count` ASCII digits at `pos`.
bool digits_at(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool is_leap_year(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

std::optional<double> parse_timestamp(std::string_view t) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits_at(t, 0, 4, year) || t.size() < 16 || t[4] != '-' || !digits_at(t, 5, 2, month) ||
      t[7] != '-' || !digits_at(t, 8, 2, day) || (t[10] != 'T' && t[10] != ' ') ||
      !digits_at(t, 11, 2, hour) || t[13] != ':' || !digits_at(t, 14, 2, minute)) {
    return std::nullopt;
  }
  std::size_t p = 16;
  double fraction_s = 0;
  if (p < t.size() && t[p] == ':') {
    if (!digits_at(t, p + 1, 2, second)) return std::nullopt;
    p += 3;
    if (p < t.size() && t[p] == '.') {
      // Nanoseconds are far below any grid resolution: further digits are checked, not kept.
      const std::size_t start = ++p;
      std::int64_t numerator = 0, denominator = 1;
      for (; p < t.size() && t[p] >= '0' && t[p] <= '9'; ++p) {
        if (p - start < 9) {
          numerator = numerator * 10 + (t[p] - '0');
          denominator *= 10;
        }
      }
      if (p == start) return std::nullopt;
      fraction_s = static_cast<double>(numerator) / static_cast<double>(denominator);
    }
  }
  int offset_s = 0;
  if (p < t.size() && (t[p] == 'Z' || t[p] == 'z')) {
    ++p;
  } else if (p < t.size() && (t[p] == '+' || t[p] == '-')) {
    const int sign = t[p] == '-' ? -1 : 1;
    int offset_h = 0, offset_min = 0;
    if (!digits_at(t, p + 1, 2, offset_h)) return std::nullopt;
    p += 3;
    const bool colon = p < t.size() && t[p] == ':';  // +HH:MM or +HHMM; +HH is ISO 8601 too
    if (colon) ++p;
    if (colon || p < t.size()) {
      if (!digits_at(t, p, 2, offset_min)) return std::nullopt;
      p += 2;
    }
    if (offset_h > 23 || offset_min > 59) return std::nullopt;
    offset_s = sign * (offset_h * 3600 + offset_min * 60);
  }
  if (p != t.size()) return std::nullopt;
  // A leap second (:60) cannot be placed on a POSIX clock; no grid export uses one.
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second - offset_s) +
         fraction_s;
}

}  // namespace

std::optional<double> parse_utc_timestamp(std::string_view text) {
  return parse_timestamp(text);
}

}  // namespace mlcycle
