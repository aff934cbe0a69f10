// The enum name tables: parsing, printing and the accepted-name lists of error messages.
#include <catch2/catch.hpp>

#include "core/enum_names.hpp"
#include "scenario/scenario.hpp"

using namespace mlcycle;

namespace {
enum class Colour { red, green, blue };
constexpr EnumName<Colour> kColourNames[] = {
    {Colour::red, "red"}, {Colour::green, "green"}, {Colour::blue, "light-blue"}};
constexpr std::span<const EnumName<Colour>> enum_names(Colour) {
  return kColourNames;
}
}  // namespace

TEST_CASE("enum names: parse and print through one table", "[enum_names]") {
  CHECK(parse_enum<Colour>("green") == Colour::green);
  CHECK(parse_enum<Colour>("light-blue") == Colour::blue);
  CHECK_FALSE(parse_enum<Colour>("blue").has_value());   // the table's spelling only
  CHECK_FALSE(parse_enum<Colour>("Green").has_value());  // case matters
  CHECK_FALSE(parse_enum<Colour>("").has_value());
  CHECK(enum_name(Colour::red) == "red");
  CHECK(enum_name(Colour::blue) == "light-blue");
  CHECK(enum_name(static_cast<Colour>(7)) == "?");
  static_assert(parse_enum<Colour>("red") == Colour::red, "usable at compile time");
}

TEST_CASE("enum names: the accepted names in table order for messages", "[enum_names]") {
  CHECK(enum_name_list<Colour>() == "red, green, light-blue");
  CHECK(enum_name_list<Colour>(true) == "\"red\", \"green\", \"light-blue\"");
  CHECK(not_one_of<Colour>("pink") == "'pink' is not one of: red, green, light-blue");
}

TEST_CASE("enum names: every scenario enum round-trips through its table", "[enum_names]") {
  auto round_trip = [](auto table) {
    for (const auto& entry : table) {
      using E = decltype(entry.value);
      CHECK(parse_enum<E>(entry.name) == entry.value);
      CHECK(enum_name(entry.value) == entry.name);
    }
  };
  round_trip(enum_names(EngineMode{}));
  round_trip(enum_names(SchedulerPolicy{}));
  round_trip(enum_names(LengthDistribution{}));
  round_trip(enum_names(Phase{}));
  round_trip(enum_names(GridKind{}));
  round_trip(enum_names(CoverageSpec::Fill{}));
  round_trip(enum_names(ArrivalSpec::Pattern{}));
  round_trip(enum_names(SearchKind{}));
  round_trip(enum_names(BudgetUnit{}));
  round_trip(enum_names(DeploymentKind{}));
  round_trip(enum_names(Fuel{}));
  round_trip(enum_names(FleetSource{}));
  // The words of the scenario format, as the bad-input tests expect them.
  CHECK(enum_name_list<SchedulerPolicy>() == "fifo, easy-backfill");
  CHECK(enum_name_list<ArrivalSpec::Pattern>(true) == "\"all-at-start\", \"rate\", \"researcher\"");
  CHECK(enum_name_list<BudgetUnit>() == "epochs, gpu_hours");
  CHECK(enum_name(Phase::inference) == kSeriesNames[2]);
  CHECK_FALSE(parse_enum<CoverageSpec::Fill>("none").has_value());  // the default, not a word
}
