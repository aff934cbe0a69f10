#include "workload/arrival_process.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "core/units.hpp"

namespace mlcycle {

namespace {
constexpr std::int64_t kWholeDay_s = 86400;

bool is_integer(double x) {
  return std::floor(x) == x;
}
}  // namespace

int iso_weekday(std::int64_t days_since_epoch) {
  const std::int64_t mod7 = ((days_since_epoch % 7) + 7) % 7;  // 0 for 1970-01-01
  return static_cast<int>((mod7 + 3) % 7 + 1);                 // Thursday is 4
}

ArrivalProcess::ArrivalProcess(const ArrivalSpec& spec, UtcTime start, double first_s,
                               boost::random::mt19937_64 stream)
    : spec_(spec), start_unix_s_(start.unix_s), first_s_(first_s), stream_(stream) {
  if (spec_.pattern == ArrivalSpec::Pattern::researcher) {
    // The local calendar day that contains first_s.
    const double local_s = static_cast<double>(start_unix_s_) + first_s_ +
                           spec_.utc_offset_hours * units::kSecondsPerHour;
    local_day_ = static_cast<std::int64_t>(std::floor(local_s / kWholeDay_s));
  }
}

bool ArrivalProcess::is_working_day(std::int64_t local_day) const {
  const int weekday = iso_weekday(local_day);
  return std::find(spec_.weekdays.begin(), spec_.weekdays.end(), weekday) != spec_.weekdays.end();
}

// Fills day_s_ with the arrivals of the next working day that has any at or after first_s.
void ArrivalProcess::draw_next_working_day() {
  day_s_.clear();
  day_next_ = 0;
  const double window_begin_s = spec_.day_start_h * units::kSecondsPerHour;
  const double window_end_s = spec_.day_end_h * units::kSecondsPerHour;
  const double offset_s = spec_.utc_offset_hours * units::kSecondsPerHour;
  while (day_s_.empty()) {
    const std::int64_t day = local_day_++;
    if (!is_working_day(day)) continue;
    std::uint64_t n = static_cast<std::uint64_t>(spec_.per_day);
    if (!is_integer(spec_.per_day))
      n = boost::random::poisson_distribution<std::uint64_t, double>(spec_.per_day)(stream_);
    // Local midnight of `day` in scenario seconds; integer part first so it stays exact.
    const double midnight_s = static_cast<double>(day * kWholeDay_s - start_unix_s_) - offset_s;
    boost::random::uniform_real_distribution<double> in_window(window_begin_s, window_end_s);
    for (std::uint64_t i = 0; i < n; ++i) {
      const double t = midnight_s + in_window(stream_);
      if (t >= first_s_) day_s_.push_back(t);
    }
    std::sort(day_s_.begin(), day_s_.end());
  }
}

double ArrivalProcess::next_s() {
  const std::uint64_t k = count_++;
  switch (spec_.pattern) {
    case ArrivalSpec::Pattern::all_at_start:
      return first_s_;
    case ArrivalSpec::Pattern::rate: {
      if (!spec_.poisson)
        return first_s_ + static_cast<double>(k) * units::kSecondsPerHour / spec_.rate_per_hour;
      if (k == 0) return last_s_ = first_s_;
      const double rate_per_s = spec_.rate_per_hour / units::kSecondsPerHour;
      last_s_ += boost::random::exponential_distribution<double>(rate_per_s)(stream_);
      return last_s_;
    }
    case ArrivalSpec::Pattern::researcher:
      if (day_next_ == day_s_.size()) draw_next_working_day();
      return day_s_[day_next_++];
  }
  return first_s_;
}

}  // namespace mlcycle
