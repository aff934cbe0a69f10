#include <catch2/catch.hpp>
#include <cmath>

#include "workload/driving_pattern.hpp"

using namespace mlcycle;

namespace {
constexpr double kDay = 86400;
constexpr std::int64_t kMonday = 18631;  // 2021-01-04, days since 1970-01-01
}  // namespace

TEST_CASE("driving sessions of a day do not depend on the days drawn before", "[fleet]") {
  DrivingSpec d;
  // Day 18640 drawn first, or after other days and patterns: the same sessions.
  const auto late_first = driving_sessions(d, 42, 3, 18640);
  driving_sessions(d, 42, 3, 18633);
  driving_sessions(d, 42, 2, 18639);
  const auto late_again = driving_sessions(d, 42, 3, 18640);
  REQUIRE(late_first.size() == late_again.size());
  for (std::size_t i = 0; i < late_first.size(); ++i) {
    CHECK(late_first[i].start_s == late_again[i].start_s);
    CHECK(late_first[i].end_s == late_again[i].end_s);
  }

  CHECK_FALSE(late_first.empty());
  // Another pattern, day or seed draws other starts.
  CHECK(driving_sessions(d, 42, 4, 18640)[0].start_s != late_first[0].start_s);
  CHECK(driving_sessions(d, 42, 3, 18641)[0].start_s != late_first[0].start_s);
  CHECK(driving_sessions(d, 43, 3, 18640)[0].start_s != late_first[0].start_s);
}

TEST_CASE("driving sessions: weekday and weekend counts sorted without overlap", "[fleet]") {
  DrivingSpec d;  // 2 sessions Monday-Friday, 1 at weekends, starts in [7, 19) h
  CHECK(weekday_of(kMonday) == 0);
  CHECK(weekday_of(0) == 3);  // 1970-01-01, a Thursday
  CHECK(is_weekend(kMonday + 5));
  CHECK(is_weekend(kMonday + 6));
  CHECK_FALSE(is_weekend(kMonday + 4));
  for (std::uint32_t p = 0; p < 50; ++p) {
    for (std::int64_t day = kMonday; day < kMonday + 7; ++day) {
      const auto sessions = driving_sessions(d, 9, p, day);
      CHECK(sessions.size() == (is_weekend(day) ? 1u : 2u));
      CHECK(sessions[0].start_s >= 7 * 3600);
      CHECK(sessions[0].start_s < 19 * 3600);
      for (std::size_t i = 0; i < sessions.size(); ++i) {
        CHECK(sessions[i].end_s - sessions[i].start_s >= 60 - 1e-9);  // at least 1 min
        CHECK(sessions[i].end_s <= kDay);
        if (i > 0) CHECK(sessions[i].start_s >= sessions[i - 1].end_s);
      }
    }
  }
  // Overlapping draws are pushed back: 3 sessions of exactly 2 h, all drawn at 10:00.
  d.sessions_per_day = 3;
  d.session_hours_sd = 0;
  d.session_hours_mean = 2;
  d.first_start_h = d.last_start_h = 10;
  const auto pushed = driving_sessions(d, 9, 0, kMonday);
  REQUIRE(pushed.size() == 3);
  CHECK(pushed[1].start_s == 12 * 3600);
  CHECK(pushed[2].start_s == 14 * 3600);
  CHECK(pushed[2].end_s == 16 * 3600);
  // And clipped at midnight: starting at 23:00, the first lasts 1 h, the others are dropped.
  d.first_start_h = d.last_start_h = 23;
  const auto clipped = driving_sessions(d, 9, 0, kMonday);
  REQUIRE(clipped.size() == 1);
  CHECK(clipped[0].end_s == kDay);
}

TEST_CASE("session lengths have the given mean and sd", "[fleet]") {
  DrivingSpec d;  // mean 0.6 h, sd 0.2 h; one session on Saturdays, so nothing is pushed
  const std::int64_t saturday = kMonday + 5;
  double sum = 0, sum2 = 0;
  const int n = 4000;
  for (std::uint32_t p = 0; p < n; ++p) {
    const auto sessions = driving_sessions(d, 5, p, saturday);
    REQUIRE(sessions.size() == 1);
    const double h = (sessions[0].end_s - sessions[0].start_s) / 3600;
    sum += h;
    sum2 += h * h;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum2 / n - mean * mean);
  // Standard errors: 0.2 / sqrt(4000) = 0.0032 h for the mean, about 0.003 h for the sd.
  CHECK(mean == Approx(0.6).margin(0.02));
  CHECK(sd == Approx(0.2).margin(0.02));
}
