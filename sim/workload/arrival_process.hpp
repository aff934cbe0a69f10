#pragma once
// Submission times of a campaign's jobs, drawn one at a time (O(1) memory for any job count;
// the researcher pattern holds one day's draws). Times are seconds since the scenario start
// `start` (UTC) and never before `first_s`, the campaign's submit time.
//
// all-at-start: t_k = first_s for every k.
// rate, fixed:  t_k = first_s + k * 3600 / rate_per_hour  (k = 0, 1, ...; computed from k, so no
//               rounding accumulates).
// rate, poisson: t_0 = first_s, t_k = t_{k-1} + E_k with E_k ~ Exponential(rate_per_hour / 3600).
//               The campaign opens with a submission, like the fixed form; the gaps are the
//               Poisson process.
// researcher:   local time = UTC + utc_offset_hours. Local calendar day d (days since
//               1970-01-01 local; ISO weekday ((d mod 7) + 3) mod 7 + 1, as 1970-01-01 was a
//               Thursday) is a working day when its weekday is listed. A working day draws
//               n_d times uniform in [d + day_start_h, d + day_end_h) local, sorted, where
//               n_d = per_day when per_day is an integer, else n_d ~ Poisson(per_day) (so the
//               mean is per_day either way). The pattern is fixed in calendar time: draws of
//               the first day that fall before first_s are dropped (a campaign submitted at
//               noon has only the afternoon's share), not moved.
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <vector>

#include "core/utc_time.hpp"
#include "scenario/arrival_spec.hpp"

namespace mlcycle {

class ArrivalProcess {
 public:
  ArrivalProcess(const ArrivalSpec& spec, UtcTime start, double first_s,
                 boost::random::mt19937_64 stream);

  // The next arrival time (non-decreasing from call to call).
  double next_s();

 private:
  void draw_next_working_day();
  bool is_working_day(std::int64_t local_day) const;

  ArrivalSpec spec_;
  std::int64_t start_unix_s_;
  double first_s_;
  boost::random::mt19937_64 stream_;
  std::uint64_t count_ = 0;     // arrivals returned so far
  double last_s_ = 0;           // poisson rate: the previous arrival
  std::int64_t local_day_ = 0;  // researcher: the next local day to draw
  std::vector<double> day_s_;   // researcher: the drawn day's arrivals, sorted
  std::size_t day_next_ = 0;    // researcher: index of the next one to return
};

// ISO weekday (1 = Monday ... 7 = Sunday) of a day counted from 1970-01-01 (a Thursday).
int iso_weekday(std::int64_t days_since_epoch);

}  // namespace mlcycle
