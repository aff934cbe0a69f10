#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/input_error.hpp"
#include "core/utc_timestamp.hpp"
#include "grid/grid_csv.hpp"
#include "support/error_text.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

using test::error_of;

std::string intensity_error(const TempDir& tmp, const std::string& text,
                            const std::string& format = "plain") {
  const std::string path = tmp.write("trace.csv", text);
  return error_of(path, [&] { read_intensity_csv(path, *trace_format(format)); });
}

std::string mix_error(const TempDir& tmp, const std::string& text) {
  const std::string path = tmp.write("mix.csv", text);
  return error_of(path, [&] { read_generation_mix_csv(path); });
}

constexpr double k2020 = 1577836800;  // 2020-01-01T00:00:00Z

}  // namespace

TEST_CASE("trace format presets name the columns and the unit", "[grid_csv]") {
  const TraceColumns plain = *trace_format("plain");
  CHECK(plain.time_column == "timestamp");
  CHECK(plain.value_column == "carbon_intensity_g_per_kwh");
  CHECK(plain.to_g_per_kwh == 1);
  const TraceColumns em = *trace_format("electricitymaps");
  CHECK(em.time_column == "Datetime (UTC)");
  CHECK(em.value_column == "Carbon Intensity gCO2eq/kWh (LCA)");
  CHECK(em.to_g_per_kwh == 1);
  const TraceColumns wt = *trace_format("watttime");
  CHECK(wt.time_column == "point_time");
  CHECK(wt.value_column == "value");
  CHECK(wt.to_g_per_kwh == Approx(0.45359237).epsilon(1e-15));
  CHECK_FALSE(trace_format("WattTime").has_value());
  CHECK_FALSE(trace_format("").has_value());
}

TEST_CASE("UTC timestamps: forms, offsets, fractions and calendar checks", "[grid_csv]") {
  CHECK(parse_utc_timestamp("2020-01-01T00:00:00Z") == k2020);
  CHECK(parse_utc_timestamp("2020-01-01 00:00:00") == k2020);  // naive means UTC
  CHECK(parse_utc_timestamp("2020-01-01T00:00") == k2020);
  CHECK(parse_utc_timestamp("2020-01-01T01:00:00+01:00") == k2020);
  CHECK(parse_utc_timestamp("2020-01-01T01:30:00+0130") == k2020);
  CHECK(parse_utc_timestamp("2019-12-31T19:00:00-05:00") == k2020);
  CHECK(parse_utc_timestamp("2020-01-01T00:00:00+00:00") == k2020);
  CHECK(parse_utc_timestamp("2020-01-01T00:00:00.250Z") == k2020 + 0.25);
  CHECK(parse_utc_timestamp("2020-01-01 00:00:01.5") == k2020 + 1.5);
  CHECK(parse_utc_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_utc_timestamp("2020-12-31T23:45:00Z") == k2020 + 365 * 86400 + 23.75 * 3600);
  // 2020 is a leap year (divisible by 4), 2019 is not, 1900 is not (century), 2000 is.
  CHECK(parse_utc_timestamp("2020-02-29T00:00:00Z") == k2020 + 59 * 86400);
  CHECK(parse_utc_timestamp("2000-02-29T00:00:00Z").has_value());
  for (const char* bad : {"2019-02-29T00:00:00Z",
                          "1900-02-29T00:00:00Z",
                          "2020-13-01T00:00:00Z",
                          "2020-00-10T00:00:00Z",
                          "2020-04-31T00:00:00Z",
                          "2020-01-00T00:00:00Z",
                          "2020-01-01T24:00:00Z",
                          "2020-01-01T00:60:00Z",
                          "2020-01-01T00:00:60Z",
                          "2020-01-01T00:00:00+24:00",
                          "2020-01-01T00:00:00+01:",
                          "2020-01-01T00:00:00.Z",
                          "2020-01-01T00:00:00 Z",
                          "2020-01-01",
                          "2020-1-01T00:00:00Z",
                          "20-01-01T00:00:00Z",
                          "2020/01/01 00:00:00",
                          "2020-01-01T00:00:00ZZ",
                          "1577836800",
                          ""}) {
    INFO(bad);
    CHECK_FALSE(parse_utc_timestamp(bad).has_value());
  }
}

TEST_CASE("a plain trace keeps irregular steps, line numbers, CRLF, BOM and blank lines",
          "[grid_csv]") {
  TempDir tmp("mlcycle_grid_csv");
  // 15, 30 and 60 min steps mixed; a blank line inside and blank lines at the end.
  const std::string path = tmp.write("de.csv",
                                     "\xEF\xBB\xBFtimestamp , carbon_intensity_g_per_kwh\r\n"
                                     "2020-01-01T00:00:00Z,353.32\r\n"
                                     "2020-01-01T00:15:00Z, 353.548 \r\n"
                                     "\r\n"
                                     "2020-01-01T00:45:00Z,0\r\n"
                                     "2020-01-01T01:45:00Z,1e2\r\n"
                                     "\r\n\r\n");
  const IntensitySeries s = read_intensity_csv(path, *trace_format("plain"));
  CHECK(s.source == path);
  REQUIRE(s.time_unix_s.size() == 4);
  CHECK(s.time_unix_s == std::vector<double>{k2020, k2020 + 900, k2020 + 2700, k2020 + 6300});
  CHECK(s.g_per_kwh == std::vector<double>{353.32, 353.548, 0, 100});
  CHECK(s.line == std::vector<int>{2, 3, 5, 6});
}

TEST_CASE("an Electricity Maps export: LCA column by name, quoted fields", "[grid_csv]") {
  TempDir tmp("mlcycle_grid_csv");
  const std::string path = tmp.write(
      "em.csv",
      "Country,Zone Name,Zone Id,Datetime (UTC),Carbon Intensity gCO2eq/kWh (direct),"
      "Carbon Intensity gCO2eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,"
      "Data Source,Data Estimated\n"
      "Germany,Germany,DE,2023-01-01 00:00:00,251.3,312.55,48.2,44.1,\"entsoe.eu, est.\",false\n"
      "Germany,\"Germany \"\"DE\"\"\",DE,\"2023-01-01 01:00:00\",240,\"301.5\",49,45,"
      "\"multi\nline\",true\n"
      "Germany,Germany,DE,2023-01-01 02:00:00,230,290,50,46,,false\n");
  const IntensitySeries s = read_intensity_csv(path, *trace_format("electricitymaps"));
  const double t0 = 1672531200;  // 2023-01-01T00:00:00Z
  CHECK(s.time_unix_s == std::vector<double>{t0, t0 + 3600, t0 + 7200});
  CHECK(s.g_per_kwh == std::vector<double>{312.55, 301.5, 290});
  CHECK(s.line == std::vector<int>{2, 3, 5});  // the quoted line break makes row 2 two lines
}

TEST_CASE("a WattTime export is converted from lbs/MWh to g/kWh", "[grid_csv]") {
  TempDir tmp("mlcycle_grid_csv");
  const std::string path = tmp.write("wt.csv",
                                     "point_time,value,frequency,market,ba\n"
                                     "2023-01-01T00:00:00+00:00,1000,300,mo,CAISO_NORTH\n"
                                     "2023-01-01T00:05:00.000Z,850.5,300,mo,CAISO_NORTH\n");
  const IntensitySeries s = read_intensity_csv(path, *trace_format("watttime"));
  // 1000 lbs/MWh x 453.59237 g/lb / 1000 kWh/MWh = 453.59237 g/kWh;
  // 850.5 lbs/MWh x 0.45359237 = 385.780310685 g/kWh.
  CHECK(s.g_per_kwh[0] == Approx(453.59237).epsilon(1e-14));
  CHECK(s.g_per_kwh[1] == Approx(385.780310685).epsilon(1e-14));
  CHECK(s.time_unix_s[1] - s.time_unix_s[0] == 300);
}

TEST_CASE("intensity errors name the file, line, column and key", "[grid_csv]") {
  TempDir tmp("mlcycle_grid_csv");
  const std::string head = "timestamp,carbon_intensity_g_per_kwh\n";
  const std::string row1 = "2020-01-01T00:00:00Z,300\n";
  CHECK(intensity_error(tmp, head + row1 + "2020-02-30T00:00:00Z,300\n") ==
        "F:3:1: timestamp: '2020-02-30T00:00:00Z' is not a UTC timestamp "
        "(expected e.g. 2020-01-01T00:00:00Z)");
  CHECK(intensity_error(tmp, head + row1 + ",300\n") == "F:3:1: timestamp: empty timestamp");
  CHECK(intensity_error(tmp, head + row1 + "2020-01-01T01:00:00Z,abc\n") ==
        "F:3:2: carbon_intensity_g_per_kwh: 'abc' is not a number");
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z,12.5.1\n") ==
        "F:2:2: carbon_intensity_g_per_kwh: '12.5.1' is not a number");
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z,inf\n") ==
        "F:2:2: carbon_intensity_g_per_kwh: 'inf' is not a finite number");
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z,nan\n") ==
        "F:2:2: carbon_intensity_g_per_kwh: 'nan' is not a finite number");
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z,1e999\n") ==
        "F:2:2: carbon_intensity_g_per_kwh: '1e999' is not a finite number");
  CHECK(intensity_error(tmp, head + row1 + "2020-01-01T00:15:00Z,-3.5\n") ==
        "F:3:2: carbon_intensity_g_per_kwh: negative intensity -3.5");
  CHECK(intensity_error(tmp, head + row1 + "2020-01-01T00:15:00Z,\n") ==
        "F:3:2: carbon_intensity_g_per_kwh: empty value");
  CHECK(intensity_error(tmp, head + row1 + "2020-01-01T01:00:00+01:00,300\n") ==
        "F:3:1: timestamp: duplicate timestamp 2020-01-01T01:00:00+01:00 (also on line 2)");
  CHECK(intensity_error(tmp, head + row1 + "\n2019-12-31T23:45:00Z,300\n") ==
        "F:4:1: timestamp: timestamps out of order: 2019-12-31T23:45:00Z after "
        "2020-01-01T00:00:00Z (line 2)");
  CHECK(intensity_error(tmp, head + "\n\n") == "F:1:2: carbon_intensity_g_per_kwh: no data rows");
  CHECK(intensity_error(tmp, "time,carbon_intensity_g_per_kwh\n" + row1) ==
        "F:1: timestamp: no such column; the header has: time, carbon_intensity_g_per_kwh");
  CHECK(intensity_error(tmp, head + row1, "electricitymaps") ==
        "F:1: Datetime (UTC): no such column; the header has: timestamp, "
        "carbon_intensity_g_per_kwh");
  CHECK(intensity_error(tmp, "timestamp,value,timestamp\n") ==
        "F:1:3: timestamp: the header names this column twice (fields 1 and 3)");
  CHECK(intensity_error(tmp, "") == "F:1: no header line: the file is empty");
  // CSV structure.
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z\n") ==
        "F:2:2: carbon_intensity_g_per_kwh: missing field: the row has 1 field, the header has 2");
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z,1,2\n") ==
        "F:2:3: extra field: the row has 3 fields, the header has 2");
  CHECK(intensity_error(tmp, head + "2020-01-01T00:00:00Z,\"300\n") ==
        "F:2:2: carbon_intensity_g_per_kwh: unterminated quoted field");
  CHECK(intensity_error(tmp, head + "\"2020-01-01T00:00:00Z\"x,300\n") ==
        "F:2:1: timestamp: unexpected text after the closing quote");
  const std::string missing = (tmp.dir / "absent.csv").string();
  CHECK(error_of(missing, [&] { read_intensity_csv(missing, {}); }) ==
        "F: cannot open: No such file or directory");
}

TEST_CASE("a generation mix: _mw columns are sources, empty cells NaN, negatives kept",
          "[grid_csv]") {
  TempDir tmp("mlcycle_grid_csv");
  const std::string path = tmp.write("mix.csv",
                                     "timestamp,note,gas_mw,hydro_pumped_storage_mw,import_fr_mw\n"
                                     "2020-01-01T00:00:00Z,x,7884,41,1720\n"
                                     "2020-01-01T00:30:00Z,,8231.5,-95,\n"
                                     "2020-01-01T01:30:00Z,y,8000,0,\" 12 \"\n");
  const GenerationMix mix = read_generation_mix_csv(path);
  CHECK(mix.source == path);
  CHECK(mix.sources == std::vector<std::string>{"gas", "hydro_pumped_storage", "import_fr"});
  REQUIRE(mix.rows() == 3);
  CHECK(mix.time_unix_s == std::vector<double>{k2020, k2020 + 1800, k2020 + 5400});
  CHECK(mix.line == std::vector<int>{2, 3, 4});
  CHECK(mix.at(0, 0) == 7884);
  CHECK(mix.at(1, 0) == 8231.5);
  CHECK(mix.at(1, 1) == -95);
  CHECK(std::isnan(mix.at(1, 2)));
  CHECK(mix.at(2, 2) == 12);
  // Another time column by name.
  const std::string other = tmp.write("other.csv", "solar_mw,Datetime (UTC)\n5,2020-01-01\n");
  CHECK(error_of(other, [&] { read_generation_mix_csv(other, "Datetime (UTC)"); }) ==
        "F:2:2: Datetime (UTC): '2020-01-01' is not a UTC timestamp "
        "(expected e.g. 2020-01-01T00:00:00Z)");
}

TEST_CASE("generation mix errors", "[grid_csv]") {
  TempDir tmp("mlcycle_grid_csv");
  CHECK(mix_error(tmp, "timestamp,gas,coal\n2020-01-01T00:00:00Z,1,2\n") ==
        "F:1: no generation column (<source>_mw); the header has: timestamp, gas, coal");
  CHECK(mix_error(tmp, "timestamp,gas_mw,_mw\n") ==
        "F:1:3: _mw: a generation column needs a source name before _mw");
  CHECK(mix_error(tmp, "timestamp,gas_mw,gas_mw\n") ==
        "F:1:3: gas_mw: the header names this column twice (fields 2 and 3)");
  CHECK(mix_error(tmp, "timestamp,gas_mw,solar_mw\n2020-01-01T00:00:00Z,1,n/a\n") ==
        "F:2:3: solar_mw: 'n/a' is not a number");
  CHECK(mix_error(tmp, "timestamp,gas_mw\n2020-01-01T00:00:00Z,NaN\n") ==
        "F:2:2: gas_mw: 'NaN' is not a finite number");
  CHECK(mix_error(tmp, "timestamp,gas_mw\n2020-01-01T01:00:00Z,1\n2020-01-01T00:00:00Z,1\n") ==
        "F:3:1: timestamp: timestamps out of order: 2020-01-01T00:00:00Z after "
        "2020-01-01T01:00:00Z (line 2)");
  CHECK(mix_error(tmp, "timestamp,gas_mw\n") == "F:1:1: timestamp: no data rows");
}

#ifdef MLCYCLE_SHARED_DATA
TEST_CASE("the shared 2020 grid files read completely", "[grid_csv][shared]") {
  const fs::path grid = fs::path(MLCYCLE_SHARED_DATA) / "grid";
  if (!fs::is_directory(grid)) MLCYCLE_SKIP("no shared grid data at " << grid.string());
  const IntensitySeries de =
      read_intensity_csv((grid / "de_2020_carbon_intensity.csv").string(), *trace_format("plain"));
  // 366 days x 96 quarter-hours = 35,136, less the two missing at 2020-12-19T23:15Z and 23:45Z.
  REQUIRE(de.time_unix_s.size() == 35134);
  CHECK(de.time_unix_s.front() == k2020);
  CHECK(de.g_per_kwh.front() == 353.32);
  CHECK(de.time_unix_s.back() == *parse_utc_timestamp("2020-12-31T23:45:00Z"));
  CHECK(de.line.back() == 35135);

  const GenerationMix gb = read_generation_mix_csv((grid / "gb_2020_generation_mix.csv").string());
  REQUIRE(gb.rows() == 17568);  // 366 days x 48 half-hours
  REQUIRE(gb.sources.size() == 15);
  const auto fr = std::find(gb.sources.begin(), gb.sources.end(), "import_from_fr");
  REQUIRE(fr != gb.sources.end());
  const double blank_s = *parse_utc_timestamp("2020-10-29T23:30:00Z");
  const auto row = std::find(gb.time_unix_s.begin(), gb.time_unix_s.end(), blank_s);
  REQUIRE(row != gb.time_unix_s.end());
  const std::size_t r = static_cast<std::size_t>(row - gb.time_unix_s.begin());
  CHECK(std::isnan(gb.at(r, static_cast<std::size_t>(fr - gb.sources.begin()))));
  CHECK_FALSE(std::isnan(gb.at(r, 0)));  // biomass has a value
  std::size_t nan_cells = 0;
  for (const double mw : gb.mw) nan_cells += std::isnan(mw) ? 1 : 0;
  CHECK(nan_cells == 12);  // 4 import columns x 3 half-hours (README)
}
#endif
