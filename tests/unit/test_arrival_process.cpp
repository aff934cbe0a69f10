#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/seed_stream.hpp"
#include "core/utc_time.hpp"
#include "workload/arrival_process.hpp"

using namespace mlcycle;

namespace {
constexpr double kHour = 3600;
constexpr double kDay = 86400;

ArrivalSpec researcher(double per_day) {
  ArrivalSpec spec;
  spec.pattern = ArrivalSpec::Pattern::researcher;
  spec.per_day = per_day;
  return spec;
}

// Friday 2020-01-03T00:00:00Z = day 18264 since 1970-01-01.
const UtcTime kFriday = make_utc(2020, 1, 3, 0, 0, 0);

std::vector<double> first_n(ArrivalProcess& p, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(p.next_s());
  return out;
}
}  // namespace

TEST_CASE("ISO weekdays count from Thursday 1970-01-01", "[arrival]") {
  CHECK(iso_weekday(0) == 4);                             // 1970-01-01 Thursday
  CHECK(iso_weekday(4) == 1);                             // 1970-01-05 Monday
  CHECK(iso_weekday(-1) == 3);                            // 1969-12-31 Wednesday
  CHECK(iso_weekday(days_from_civil(2020, 1, 3)) == 5);   // Friday
  CHECK(iso_weekday(days_from_civil(2020, 1, 5)) == 7);   // Sunday
  CHECK(iso_weekday(days_from_civil(2024, 2, 29)) == 4);  // Thursday (leap day)
}

TEST_CASE("all-at-start submits every job at the campaign's submit time", "[arrival]") {
  ArrivalProcess p(ArrivalSpec{}, kFriday, 7200, make_stream(1, 2));
  for (int i = 0; i < 5; ++i) CHECK(p.next_s() == 7200);
}

TEST_CASE("a fixed rate spaces jobs by 3600 / rate from the submit time", "[arrival]") {
  ArrivalSpec spec;
  spec.pattern = ArrivalSpec::Pattern::rate;
  spec.rate_per_hour = 4;  // 3600 / 4 = 900 s
  ArrivalProcess from_zero(spec, kFriday, 0, make_stream(1, 2));
  CHECK(first_n(from_zero, 4) == std::vector<double>{0, 900, 1800, 2700});
  ArrivalProcess later(spec, kFriday, 100, make_stream(1, 2));
  CHECK(first_n(later, 3) == std::vector<double>{100, 1000, 1900});
  // k x interval, not a running sum: the 1,000,000th arrival (k = 999999) is exact.
  spec.rate_per_hour = 3;  // 1200 s
  ArrivalProcess many(spec, kFriday, 0, make_stream(1, 2));
  double last = 0;
  for (int i = 0; i < 1000000; ++i) last = many.next_s();
  CHECK(last == 999999.0 * 1200);
}

TEST_CASE("poisson arrivals have exponential gaps with mean 3600 / rate", "[arrival]") {
  ArrivalSpec spec;
  spec.pattern = ArrivalSpec::Pattern::rate;
  spec.rate_per_hour = 4;
  spec.poisson = true;
  ArrivalProcess p(spec, kFriday, 50, make_stream(3, 4));
  CHECK(p.next_s() == 50);  // the campaign opens with a submission
  const int gaps = 20000;
  double previous = 50, sum_gap = 0;
  bool non_decreasing = true, all_equal_900 = true;
  for (int i = 0; i < gaps; ++i) {
    const double t = p.next_s();
    non_decreasing = non_decreasing && t >= previous;
    all_equal_900 = all_equal_900 && t - previous == 900;
    sum_gap += t - previous;
    previous = t;
  }
  CHECK(non_decreasing);
  CHECK_FALSE(all_equal_900);
  // Mean gap 900 s; standard error 900 / sqrt(20000) = 6.4 s; 4 sigma = 25.5 s.
  CHECK(std::abs(sum_gap / gaps - 900) < 25.5);
}

TEST_CASE("a researcher submits on Friday, then skips the weekend to Monday", "[arrival]") {
  ArrivalSpec spec = researcher(2);  // 9-18 UTC, Monday to Friday
  ArrivalProcess p(spec, kFriday, 0, make_stream(7, 1));
  const std::vector<double> t = first_n(p, 4);
  // Friday 2020-01-03 window: [9 h, 18 h) = [32400, 64800) s after the start.
  CHECK(t[0] >= 9 * kHour);
  CHECK(t[0] <= t[1]);
  CHECK(t[1] < 18 * kHour);
  // Monday 2020-01-06 is 3 days later: [3 d + 9 h, 3 d + 18 h) = [291600, 324000) s.
  CHECK(t[2] >= 3 * kDay + 9 * kHour);
  CHECK(t[2] <= t[3]);
  CHECK(t[3] < 3 * kDay + 18 * kHour);
}

TEST_CASE("the UTC offset moves the working window", "[arrival]") {
  // UTC-5: local start is Thursday 19:00, past Thursday's window; Friday 9-18 local is
  // 14-23 UTC Friday = [50400, 82800) s.
  ArrivalSpec west = researcher(2);
  west.utc_offset_hours = -5;
  ArrivalProcess w(west, kFriday, 0, make_stream(7, 1));
  for (double t : first_n(w, 2)) {
    CHECK(t >= 14 * kHour);
    CHECK(t < 23 * kHour);
  }
  // UTC+9: local start is Friday 09:00; Friday 9-18 local is 0-9 UTC = [0, 32400) s. The next
  // working day is Monday local, 9-18 = Monday 0-9 UTC = [3 d, 3 d + 9 h).
  ArrivalSpec east = researcher(2);
  east.utc_offset_hours = 9;
  ArrivalProcess e(east, kFriday, 0, make_stream(7, 1));
  const std::vector<double> t = first_n(e, 4);
  CHECK(t[0] >= 0);
  CHECK(t[1] < 9 * kHour);
  CHECK(t[2] >= 3 * kDay);
  CHECK(t[3] < 3 * kDay + 9 * kHour);
}

TEST_CASE("researcher arrivals before the submit time are dropped, not moved", "[arrival]") {
  // Submit at Friday 13:00 UTC: of 1000 draws uniform in 9-18 h, those in 13-18 h are kept,
  // (18 - 13) / 9 = 5/9: 555.6, sigma = sqrt(1000 x 5/9 x 4/9) = 15.7; the next are Monday's.
  ArrivalProcess p(researcher(1000), kFriday, 13 * kHour, make_stream(8, 1));
  int friday = 0;
  double t = p.next_s();
  CHECK(t >= 13 * kHour);
  while (t < 18 * kHour) {
    ++friday;
    t = p.next_s();
  }
  CHECK(std::abs(friday - 555.6) < 4 * 15.7);
  CHECK(t >= 3 * kDay + 9 * kHour);  // Monday
}

TEST_CASE("every researcher arrival falls in the working window of a working day", "[arrival]") {
  ArrivalSpec spec = researcher(3);
  spec.day_start_h = 8.5;
  spec.day_end_h = 17;
  spec.utc_offset_hours = 5.5;
  spec.weekdays = {1, 3, 6};  // Monday, Wednesday, Saturday
  ArrivalProcess p(spec, kFriday, 0, make_stream(9, 1));
  double previous = 0;
  int bad_day = 0, bad_hour = 0, decreasing = 0;
  std::vector<int> seen(8, 0);
  for (int i = 0; i < 1000; ++i) {
    const double t = p.next_s();
    decreasing += t < previous;
    previous = t;
    const double local_s = static_cast<double>(kFriday.unix_s) + t + 5.5 * kHour;
    const std::int64_t day = static_cast<std::int64_t>(std::floor(local_s / kDay));
    const double hour = (local_s - static_cast<double>(day) * kDay) / kHour;
    const int weekday = iso_weekday(day);
    ++seen[weekday];
    bad_day += weekday != 1 && weekday != 3 && weekday != 6;
    bad_hour += hour < 8.5 || hour >= 17;
  }
  CHECK(decreasing == 0);
  CHECK(bad_day == 0);
  CHECK(bad_hour == 0);
  // An integer per_day gives exactly 3 per working day. The first working day is Saturday
  // (the start is Friday 05:30 local), then Monday, Wednesday, Saturday, ...: 1000 arrivals =
  // 333 full days (111 of each weekday, 333 arrivals each) + 1 arrival on the 334th day, a
  // Saturday.
  CHECK(seen[6] == 334);
  CHECK(seen[1] == 333);
  CHECK(seen[3] == 333);
}

TEST_CASE("a fractional per_day is a Poisson mean per working day", "[arrival]") {
  // per_day = 2.5 over Monday to Friday; count the arrivals of 2000 weeks (10,000 working
  // days): mean 25,000, Poisson sigma sqrt(25000) = 158; 4 sigma = 632.
  ArrivalProcess p(researcher(2.5), kFriday, 0, make_stream(10, 1));
  const double end_s = 2000 * 7 * kDay;
  int count = 0;
  while (p.next_s() < end_s) ++count;
  CHECK(std::abs(count - 25000) < 632);
}

TEST_CASE("equal streams give equal arrivals, other streams differ", "[arrival]") {
  ArrivalSpec spec = researcher(4);
  ArrivalProcess a(spec, kFriday, 0, make_stream(1, 5)), b(spec, kFriday, 0, make_stream(1, 5)),
      c(spec, kFriday, 0, make_stream(2, 5));
  int equal_ab = 0, equal_ac = 0;
  for (int i = 0; i < 200; ++i) {
    const double t = a.next_s();
    equal_ab += t == b.next_s();
    equal_ac += t == c.next_s();
  }
  CHECK(equal_ab == 200);
  CHECK(equal_ac == 0);
}
