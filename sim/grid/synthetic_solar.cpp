// solar-heavy: a sunny, California-like grid whose intensity drops at midday.
//
// Parameters (approximate public statistics, CAISO area around 2022-2023, rounded):
//   location            35 N, 120 W, clock UTC-8 (standard time; 120 W is the UTC-8 meridian,
//                       so local standard time is mean solar time; the equation of time,
//                       +-16 min, is ignored)
//   demand              mean 26,000 MW (CAISO ~225 TWh/yr); seasonal +-10 % peaking 1 August
//                       (air conditioning); evening peak at 18-19 h; weekends x 0.94
//   solar               30,000 MW (utility ~19 GW plus rooftop, approximate); clear-sky
//                       horizontal irradiance of Haurwitz (1945), GHI = 1098 cos z
//                       exp(-0.057 / cos z) W/m2, over 1000 W/m2, x performance ratio 0.85
//   cloudiness          one factor per local day: clear with probability 0.75 + 0.20 cos(season)
//                       (0.95 mid-July, 0.55 mid-January; California's dry summers), then
//                       uniform in [0.9, 1] if clear, in [0.25, 0.8] if overcast
//   nuclear             2,200 MW flat (Diablo Canyon)
//   hydro               3,000 MW +-30 % peaking mid-May (snow melt), flat within the day
//   gas                 the rest, at least 2,000 MW kept online for reserves and inertia;
//                       solar is curtailed when it exceeds demand - nuclear - hydro - 2,000 MW
// Resulting intensity with IPCC AR5 medians: ~80 g/kWh at June noons (solar plus the gas floor),
// ~380 g/kWh at night (gas ~70 %), ~300 g/kWh over a year (solar ~21 % of generation).
#include <algorithm>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <numbers>

#include "core/seed_stream.hpp"
#include "grid/synthetic_models.hpp"

namespace mlcycle::synthetic {

namespace {

constexpr double kLatitude_deg = 35.0;
constexpr int kUtcOffset_h = -8;
constexpr double kMeanDemand_mw = 26000.0;
constexpr double kDemandSeasonAmplitude = 0.10;
constexpr double kDemandPeakDay = 212.0;  // 1 August
constexpr double kWeekendFactor = 0.94;
constexpr double kSolarCapacity_mw = 30000.0;
constexpr double kPerformanceRatio = 0.85;
constexpr double kNuclear_mw = 2200.0;
constexpr double kHydroMean_mw = 3000.0;
constexpr double kHydroSeasonAmplitude = 0.30;
constexpr double kHydroPeakDay = 135.0;  // mid-May
constexpr double kGasMin_mw = 2000.0;
constexpr double kClearProbabilityMean = 0.75;
constexpr double kClearProbabilityAmplitude = 0.20;
constexpr double kClearestDay = 196.0;  // mid-July

// Typical CAISO gross load shape (approximate), local hours 0..23: night trough at 3-4 h, a
// slow rise through the day and the evening peak when people come home and the sun sets.
const std::array<double, 24> kDemandProfile =
    mean_one({0.90, 0.86, 0.83, 0.81, 0.81, 0.83, 0.88, 0.93, 0.96, 0.98, 0.99, 1.00,
              1.01, 1.03, 1.05, 1.08, 1.12, 1.17, 1.20, 1.19, 1.15, 1.09, 1.02, 0.95});

double deg(double degrees) {
  return degrees * std::numbers::pi / 180.0;
}

// Clear-sky output as a fraction of capacity at `solar_hour` (mean solar time) on a day.
double clear_sky_fraction(double day_of_year, double solar_hour) {
  // Declination (Cooper-style cosine fit): -23.44 deg at the December solstice (~day 355).
  const double declination =
      -deg(23.44) * std::cos(2.0 * std::numbers::pi * (day_of_year + 10.0) / kTropicalYear_d);
  const double hour_angle = deg(15.0 * (solar_hour - 12.0));
  const double latitude = deg(kLatitude_deg);
  const double cos_zenith = std::sin(latitude) * std::sin(declination) +
                            std::cos(latitude) * std::cos(declination) * std::cos(hour_angle);
  if (cos_zenith <= 0.0) return 0.0;  // sun below the horizon
  const double ghi_w_per_m2 = 1098.0 * cos_zenith * std::exp(-0.057 / cos_zenith);
  return kPerformanceRatio * ghi_w_per_m2 / 1000.0;
}

class SolarHeavy final : public HourlyGrid {
 public:
  explicit SolarHeavy(std::uint64_t seed)
      : HourlyGrid({"solar", "nuclear", "hydro", "gas"}),
        clouds_(make_stream(seed, stream_purpose(2, 0))) {}

 protected:
  void fill_hour(std::int64_t hour_index, std::span<double> row_mw) override {
    const LocalHour local = local_hour(hour_index, kUtcOffset_h);
    if (!cloud_day_ || *cloud_day_ != local.day) draw_cloudiness(local);

    const double demand_mw = kMeanDemand_mw * kDemandProfile[local.hour] *
                             seasonal(local.day_of_year, kDemandPeakDay, kDemandSeasonAmplitude) *
                             (local.weekend ? kWeekendFactor : 1.0);
    const double hydro_mw =
        kHydroMean_mw * seasonal(local.day_of_year, kHydroPeakDay, kHydroSeasonAmplitude);
    // Middle of the hour: the row stands for the whole hour's average.
    const double available_solar_mw =
        kSolarCapacity_mw * cloud_factor_ * clear_sky_fraction(local.day_of_year, local.hour + 0.5);
    const double room_for_solar_mw = std::max(0.0, demand_mw - kNuclear_mw - hydro_mw - kGasMin_mw);
    const double solar_mw = std::min(available_solar_mw, room_for_solar_mw);
    const double gas_mw = std::max(kGasMin_mw, demand_mw - kNuclear_mw - hydro_mw - solar_mw);
    row_mw[0] = solar_mw;
    row_mw[1] = kNuclear_mw;
    row_mw[2] = hydro_mw;
    row_mw[3] = gas_mw;
  }

 private:
  void draw_cloudiness(const LocalHour& local) {
    // Always two draws per day, so each day consumes the stream the same way.
    const double clear_draw = boost::random::uniform_real_distribution<double>(0.0, 1.0)(clouds_);
    const double level_draw = boost::random::uniform_real_distribution<double>(0.0, 1.0)(clouds_);
    const double clear_probability =
        kClearProbabilityMean * seasonal(local.day_of_year, kClearestDay,
                                         kClearProbabilityAmplitude / kClearProbabilityMean);
    cloud_factor_ =
        clear_draw < clear_probability ? 0.9 + 0.1 * level_draw : 0.25 + 0.55 * level_draw;
    cloud_day_ = local.day;
  }

  boost::random::mt19937_64 clouds_;
  std::optional<std::int64_t> cloud_day_;
  double cloud_factor_ = 1.0;
};

}  // namespace

std::unique_ptr<SyntheticGrid> make_solar_heavy(std::uint64_t seed) {
  return std::make_unique<SolarHeavy>(seed);
}

}  // namespace mlcycle::synthetic
