#include "grid/emission_factors.hpp"

#include <array>

namespace mlcycle {

namespace {

// Categories every source name maps to.
enum class Category {
  coal,
  lignite,
  gas,
  oil,
  biomass,
  solar_utility,
  solar_rooftop,
  csp,
  geothermal,
  hydro,
  nuclear,
  wind_onshore,
  wind_offshore,
  ocean,
  other_renewable,
  other
};

struct Alias {
  const char* source;
  Category category;
};

// Column names seen in ENTSO-E, SMARD and Electricity Maps exports, and in our synthetic grids.
constexpr std::array<Alias, 27> kAliases{{
    {"coal", Category::coal},
    {"hard_coal", Category::coal},
    {"fossil_hard_coal", Category::coal},
    {"lignite", Category::lignite},
    {"brown_coal", Category::lignite},
    {"gas", Category::gas},
    {"natural_gas", Category::gas},
    {"oil", Category::oil},
    {"biomass", Category::biomass},
    {"solar", Category::solar_utility},
    {"solar_utility", Category::solar_utility},
    {"solar_rooftop", Category::solar_rooftop},
    {"csp", Category::csp},
    {"geothermal", Category::geothermal},
    {"hydro", Category::hydro},
    {"hydro_run_of_river", Category::hydro},
    {"hydro_reservoir", Category::hydro},
    {"nuclear", Category::nuclear},
    {"wind", Category::wind_onshore},
    {"wind_onshore", Category::wind_onshore},
    {"wind_offshore", Category::wind_offshore},
    {"ocean", Category::ocean},
    {"marine", Category::ocean},
    {"other_renewable", Category::other_renewable},
    {"other", Category::other},
    {"other_conventional", Category::other},
    {"waste", Category::other},
}};

constexpr const char* kAr5 = "IPCC AR5 WGIII (2014), Annex III, Table A.III.2, life-cycle median";
constexpr const char* kSrren = "IPCC SRREN (2011), Annex II, Table A.II.4, life-cycle median";
constexpr const char* kLwaOther =
    "value used by Wiesner et al. (2021, Let's Wait Awhile) for ENTSO-E 'other' generation";
constexpr const char* kLwaOtherRenewable =
    "value used by Wiesner et al. (2021, Let's Wait Awhile) for 'other renewable' generation";
constexpr const char* kCoalForLignite =
    "the set's coal value (IPCC gives one coal median; lignite burns dirtier: override it)";
constexpr const char* kOilFromSrren =
    "IPCC SRREN (2011), Annex II, oil median (AR5 Annex III lists no oil plant)";

std::optional<EmissionFactor> ar5(Category c) {
  switch (c) {
    case Category::coal:
      return EmissionFactor{820, std::string(kAr5) + " (coal, PC)"};
    case Category::lignite:
      return EmissionFactor{820, kCoalForLignite};
    case Category::gas:
      return EmissionFactor{490, std::string(kAr5) + " (gas, combined cycle)"};
    case Category::oil:
      return EmissionFactor{840, kOilFromSrren};
    case Category::biomass:
      return EmissionFactor{230, std::string(kAr5) + " (biomass, dedicated)"};
    case Category::solar_utility:
      return EmissionFactor{48, std::string(kAr5) + " (solar PV, utility)"};
    case Category::solar_rooftop:
      return EmissionFactor{41, std::string(kAr5) + " (solar PV, rooftop)"};
    case Category::csp:
      return EmissionFactor{27, std::string(kAr5) + " (concentrated solar)"};
    case Category::geothermal:
      return EmissionFactor{38, std::string(kAr5) + " (geothermal)"};
    case Category::hydro:
      return EmissionFactor{24, std::string(kAr5) + " (hydropower)"};
    case Category::nuclear:
      return EmissionFactor{12, std::string(kAr5) + " (nuclear)"};
    case Category::wind_onshore:
      return EmissionFactor{11, std::string(kAr5) + " (wind onshore)"};
    case Category::wind_offshore:
      return EmissionFactor{12, std::string(kAr5) + " (wind offshore)"};
    case Category::ocean:
      return EmissionFactor{17, std::string(kAr5) + " (ocean)"};
    case Category::other_renewable:
      return EmissionFactor{22, kLwaOtherRenewable};
    case Category::other:
      return EmissionFactor{770, kLwaOther};
  }
  return std::nullopt;
}

std::optional<EmissionFactor> srren(Category c) {
  switch (c) {
    case Category::coal:
      return EmissionFactor{1001, std::string(kSrren) + " (coal)"};
    case Category::lignite:
      return EmissionFactor{1001, kCoalForLignite};
    case Category::gas:
      return EmissionFactor{469, std::string(kSrren) + " (natural gas)"};
    case Category::oil:
      return EmissionFactor{840, std::string(kSrren) + " (oil)"};
    case Category::biomass:
      return EmissionFactor{18, std::string(kSrren) + " (biopower)"};
    case Category::solar_utility:
    case Category::solar_rooftop:
      return EmissionFactor{46, std::string(kSrren) + " (solar PV)"};
    case Category::csp:
      return EmissionFactor{22, std::string(kSrren) + " (concentrated solar)"};
    case Category::geothermal:
      return EmissionFactor{45, std::string(kSrren) + " (geothermal)"};
    case Category::hydro:
      return EmissionFactor{4, std::string(kSrren) + " (hydropower)"};
    case Category::nuclear:
      return EmissionFactor{16, std::string(kSrren) + " (nuclear)"};
    case Category::wind_onshore:
    case Category::wind_offshore:
      return EmissionFactor{12, std::string(kSrren) + " (wind)"};
    case Category::ocean:
      return EmissionFactor{8, std::string(kSrren) + " (ocean)"};
    case Category::other_renewable:
      return EmissionFactor{22, kLwaOtherRenewable};
    case Category::other:
      return EmissionFactor{770, kLwaOther};
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> emission_factor_set_names() {
  return {"ipcc-ar5-2014", "ipcc-srren-2011"};
}

bool is_emission_factor_set(const std::string& name) {
  return name == "ipcc-ar5-2014" || name == "ipcc-srren-2011";
}

std::optional<EmissionFactor> emission_factor(const std::string& set, const std::string& source) {
  for (const Alias& alias : kAliases) {
    if (source != alias.source) continue;
    if (set == "ipcc-ar5-2014") return ar5(alias.category);
    if (set == "ipcc-srren-2011") return srren(alias.category);
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace mlcycle
