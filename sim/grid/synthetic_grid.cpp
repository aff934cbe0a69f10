#include "grid/synthetic_grid.hpp"

#include "core/units.hpp"
#include "grid/synthetic_models.hpp"

namespace mlcycle {

namespace synthetic {
namespace {

// us-average-2018: the flat US average of Strubell et al. (2019), who multiplied energy by the
// EPA's 2018 figure of 0.954 lbs CO2e/kWh (= 432.72712098 g/kWh). One pseudo-source at a constant
// output carries that factor itself, so the intensity is exactly constant. 450,000 MW is about
// the mean US net generation (approximate: ~4,000 TWh/yr / 8,760 h); only its positivity matters.
class UsAverage2018 final : public HourlyGrid {
 public:
  UsAverage2018() : HourlyGrid({"us_grid_average"}) {}
  std::vector<std::pair<std::string, double>> own_factors_g_per_kwh() const override {
    return {{"us_grid_average", kLbsPerKwh * units::kGramPerPound}};
  }

 protected:
  void fill_hour(std::int64_t, std::span<double> row_mw) override { row_mw[0] = kOutput_mw; }

 private:
  static constexpr double kLbsPerKwh = 0.954;
  static constexpr double kOutput_mw = 450000.0;
};

}  // namespace

std::unique_ptr<SyntheticGrid> make_us_average_2018() {
  return std::make_unique<UsAverage2018>();
}

}  // namespace synthetic

std::unique_ptr<SyntheticGrid> SyntheticGrid::make(const std::string& name, std::uint64_t seed) {
  if (name == "us-average-2018") return synthetic::make_us_average_2018();
  if (name == "solar-heavy") return synthetic::make_solar_heavy(seed);
  if (name == "hydro-heavy") return synthetic::make_hydro_heavy(seed);
  if (name == "coal-heavy") return synthetic::make_coal_heavy(seed);
  if (name == "wind") return synthetic::make_wind(seed);
  return nullptr;
}

std::vector<std::string> SyntheticGrid::names() {
  return {"us-average-2018", "solar-heavy", "hydro-heavy", "coal-heavy", "wind"};
}

}  // namespace mlcycle
