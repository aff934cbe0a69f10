// hydro-heavy, coal-heavy and wind: three European-like grids on one demand shape (UTC+1,
// morning ramp, evening peak, weekends lower, winter peak) whose weather noise is the hourly
// wind of WindWeather (autocorrelation 0.97 per hour: weather systems lasting a few days).
//
// Parameters (approximate public statistics, rounded; capacities and shares ENTSO-E / national
// statistics around 2018-2023). Wind fleets: Weibull shape 2, power curve 3 / 12 / 25 m/s.
//
// hydro-heavy (Norway-like): ~32 g/kWh with AR5 factors, fairly flat (daily sd ~2 g/kWh).
//   demand        mean 15,000 MW (~130 TWh/yr), seasonal +-25 % peaking mid-January (electric
//                 heating)
//   wind_onshore  5,000 MW, Weibull scale 8 m/s +-15 % (windier winters), availability 0.92
//                 (capacity factor ~0.28; ~9 % of generation)
//   gas           300 MW flat (a few gas-fired plants; ~2 %)
//   hydro         reservoirs fill the rest, but never below the flow that must pass the turbines:
//                 4,000 MW plus a snow-melt bump of 12,000 MW around 31 May (width 40 d); the
//                 surplus over demand is exported, as Norway does in late spring (~89 %)
//
// coal-heavy (Poland-like, ~2018): ~695 g/kWh, coal following demand (evening ~30 g/kWh above
// night), dips on windy days.
//   demand        mean 19,000 MW (~165 TWh/yr generated), seasonal +-8 % peaking mid-January
//   lignite       5,500 MW +-8 % (summer maintenance), baseload (~30 %)
//   gas           1,300 MW +-25 % (combined heat and power, winter peak; ~7 %)
//   biomass       600 MW flat (~3 %), hydro 250 MW flat (~1.5 %)
//   wind_onshore  5,800 MW, Weibull scale 7.8 m/s +-15 %, availability 0.92 (~9 %)
//   hard_coal     the rest, at least 3,500 MW online (units that cannot cycle daily); wind is
//                 curtailed when it would push hard coal below that (~50 %)
//
// wind (Denmark-like, ~2018): ~340 g/kWh, daily means between ~100 and ~600 g/kWh.
//   demand        mean 3,900 MW (~34 TWh/yr), seasonal +-12 % peaking mid-January
//   wind_onshore  4,400 MW, Weibull scale 8 m/s +-15 %, availability 0.92 (cap. factor ~0.28)
//   wind_offshore 2,300 MW, Weibull scale 10.5 m/s +-15 %, availability 0.95 (~0.45)
//   biomass       700 MW +-30 % (combined heat and power, winter peak; ~18 %)
//   hard_coal     300 MW always (heat supply), up to 1,400 MW: cheaper fuel, dispatched first
//   gas           the rest; wind (~40 % after curtailment) is curtailed when it exceeds demand -
//                 biomass - 300 MW (in reality much of it would be exported)
#include <algorithm>

#include "core/seed_stream.hpp"
#include "grid/synthetic_models.hpp"

namespace mlcycle::synthetic {

namespace {

constexpr int kUtcOffset_h = 1;
constexpr double kWinterPeakDay = 15.0;  // mid-January
constexpr double kWindLag1 = 0.97;
constexpr double kWeekendFactor = 0.90;

// Typical continental load shape (approximate), local hours 0..23: night trough, morning ramp
// to a working-day plateau, evening peak at 18 h.
const std::array<double, 24> kDemandProfile =
    mean_one({0.82, 0.78, 0.76, 0.75, 0.76, 0.80, 0.90, 1.02, 1.08, 1.10, 1.10, 1.10,
              1.08, 1.06, 1.05, 1.05, 1.07, 1.14, 1.16, 1.12, 1.06, 1.00, 0.93, 0.86});

double demand_mw(const LocalHour& local, double mean_mw, double season_amplitude) {
  return mean_mw * kDemandProfile[local.hour] *
         seasonal(local.day_of_year, kWinterPeakDay, season_amplitude) *
         (local.weekend ? kWeekendFactor : 1.0);
}

WindFleet wind_fleet(double capacity_mw, double scale_m_per_s, double availability = 0.92) {
  WindFleet fleet;
  fleet.capacity_mw = capacity_mw;
  fleet.weibull_scale_m_per_s = scale_m_per_s;
  fleet.availability = availability;
  fleet.season_peak_day = kWinterPeakDay;
  fleet.season_amplitude = 0.15;
  return fleet;
}

class HydroHeavy final : public HourlyGrid {
 public:
  explicit HydroHeavy(std::uint64_t seed)
      : HourlyGrid({"hydro", "wind_onshore", "gas"}),
        weather_(make_stream(seed, stream_purpose(3, 0)), kWindLag1) {}

 protected:
  void fill_hour(std::int64_t hour_index, std::span<double> row_mw) override {
    const LocalHour local = local_hour(hour_index, kUtcOffset_h);
    const double wind_mw = wind_.mw(weather_.next_state(), local.day_of_year);
    const double must_flow_mw =
        kBaseFlow_mw + kMeltFlow_mw * seasonal_pulse(local.day_of_year, kMeltPeakDay, kMelt_d);
    const double demand = demand_mw(local, kMeanDemand_mw, kDemandSeasonAmplitude);
    row_mw[0] = std::max(must_flow_mw, demand - wind_mw - kGas_mw);
    row_mw[1] = wind_mw;
    row_mw[2] = kGas_mw;
  }

 private:
  static constexpr double kMeanDemand_mw = 15000.0;
  static constexpr double kDemandSeasonAmplitude = 0.25;
  static constexpr double kGas_mw = 300.0;
  static constexpr double kBaseFlow_mw = 4000.0;
  static constexpr double kMeltFlow_mw = 12000.0;
  static constexpr double kMeltPeakDay = 150.0;  // 31 May
  static constexpr double kMelt_d = 40.0;
  WindWeather weather_;
  WindFleet wind_ = wind_fleet(5000.0, 8.0);
};

class CoalHeavy final : public HourlyGrid {
 public:
  explicit CoalHeavy(std::uint64_t seed)
      : HourlyGrid({"hard_coal", "lignite", "gas", "biomass", "hydro", "wind_onshore"}),
        weather_(make_stream(seed, stream_purpose(4, 0)), kWindLag1) {}

 protected:
  void fill_hour(std::int64_t hour_index, std::span<double> row_mw) override {
    const LocalHour local = local_hour(hour_index, kUtcOffset_h);
    const double available_wind_mw = wind_.mw(weather_.next_state(), local.day_of_year);
    const double lignite_mw = kLignite_mw * seasonal(local.day_of_year, kWinterPeakDay, 0.08);
    const double gas_mw = kGas_mw * seasonal(local.day_of_year, kWinterPeakDay, 0.25);
    const double residual_mw = demand_mw(local, kMeanDemand_mw, kDemandSeasonAmplitude) -
                               lignite_mw - gas_mw - kBiomass_mw - kHydro_mw;
    const double wind_mw = std::clamp(residual_mw - kHardCoalMin_mw, 0.0, available_wind_mw);
    row_mw[0] = std::max(kHardCoalMin_mw, residual_mw - wind_mw);
    row_mw[1] = lignite_mw;
    row_mw[2] = gas_mw;
    row_mw[3] = kBiomass_mw;
    row_mw[4] = kHydro_mw;
    row_mw[5] = wind_mw;
  }

 private:
  static constexpr double kMeanDemand_mw = 19000.0;
  static constexpr double kDemandSeasonAmplitude = 0.08;
  static constexpr double kLignite_mw = 5500.0;
  static constexpr double kGas_mw = 1300.0;
  static constexpr double kBiomass_mw = 600.0;
  static constexpr double kHydro_mw = 250.0;
  static constexpr double kHardCoalMin_mw = 3500.0;
  WindWeather weather_;
  WindFleet wind_ = wind_fleet(5800.0, 7.8);
};

class Wind final : public HourlyGrid {
 public:
  explicit Wind(std::uint64_t seed)
      : HourlyGrid({"wind_onshore", "wind_offshore", "biomass", "hard_coal", "gas"}),
        weather_(make_stream(seed, stream_purpose(5, 0)), kWindLag1) {}

 protected:
  void fill_hour(std::int64_t hour_index, std::span<double> row_mw) override {
    const LocalHour local = local_hour(hour_index, kUtcOffset_h);
    // One weather state for both fleets: Denmark is small next to a weather system.
    const double state = weather_.next_state();
    const double onshore_mw = onshore_.mw(state, local.day_of_year);
    const double offshore_mw = offshore_.mw(state, local.day_of_year);
    const double biomass_mw = kBiomass_mw * seasonal(local.day_of_year, kWinterPeakDay, 0.30);
    const double demand = demand_mw(local, kMeanDemand_mw, kDemandSeasonAmplitude);
    const double room_for_wind_mw = std::max(0.0, demand - biomass_mw - kCoalMin_mw);
    // Curtail both fleets by the same fraction.
    const double wind_mw = onshore_mw + offshore_mw;
    const double kept = wind_mw > room_for_wind_mw ? room_for_wind_mw / wind_mw : 1.0;
    const double residual_mw = std::max(0.0, demand - biomass_mw - kept * wind_mw);
    const double coal_mw = std::clamp(residual_mw, kCoalMin_mw, kCoalMax_mw);
    row_mw[0] = kept * onshore_mw;
    row_mw[1] = kept * offshore_mw;
    row_mw[2] = biomass_mw;
    row_mw[3] = coal_mw;
    row_mw[4] = std::max(0.0, residual_mw - coal_mw);
  }

 private:
  static constexpr double kMeanDemand_mw = 3900.0;
  static constexpr double kDemandSeasonAmplitude = 0.12;
  static constexpr double kBiomass_mw = 700.0;
  static constexpr double kCoalMin_mw = 300.0;
  static constexpr double kCoalMax_mw = 1400.0;
  WindWeather weather_;
  WindFleet onshore_ = wind_fleet(4400.0, 8.0);
  WindFleet offshore_ = wind_fleet(2300.0, 10.5, 0.95);
};

}  // namespace

std::unique_ptr<SyntheticGrid> make_hydro_heavy(std::uint64_t seed) {
  return std::make_unique<HydroHeavy>(seed);
}
std::unique_ptr<SyntheticGrid> make_coal_heavy(std::uint64_t seed) {
  return std::make_unique<CoalHeavy>(seed);
}
std::unique_ptr<SyntheticGrid> make_wind(std::uint64_t seed) {
  return std::make_unique<Wind>(seed);
}

}  // namespace mlcycle::synthetic
