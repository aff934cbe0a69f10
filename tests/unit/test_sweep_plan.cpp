#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/input_error.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_plan.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;
using Type = SweepValue::Type;

namespace {

// The InputError message of `f` ("no error" when none), with `path` replaced by "F".
std::string error_of(const std::function<void()>& f, const std::string& path = "") {
  try {
    f();
  } catch (const InputError& e) {
    std::string what = e.what();
    if (!path.empty() && what.rfind(path, 0) == 0) what.replace(0, path.size(), "F");
    return what;
  }
  return "no error";
}

std::string vary_error(const std::string& option) {
  return error_of([&] { parse_vary(option); });
}

std::vector<std::string> texts(const SweepAxis& axis, std::size_t key = 0) {
  std::vector<std::string> out;
  for (const SweepValue& v : axis.values.at(key)) out.push_back(v.text);
  return out;
}

// A fresh directory with an (empty) scenario file, removed at the end.
struct TempDir {
  fs::path dir;
  TempDir() {
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    dir = fs::temp_directory_path() / ("mlcycle_sweep_" + std::to_string(ticks));
    fs::create_directories(dir / "scenarios");
    std::ofstream(dir / "scenarios" / "s.toml") << "\n";
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string write(const std::string& text) const {
    const std::string path = (dir / "sweeps" / "sweep.toml").string();
    fs::create_directories(dir / "sweeps");
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

}  // namespace

TEST_CASE("values are typed as TOML reads them, keeping their text", "[sweep]") {
  CHECK(typed_value("42").type == Type::integer);
  CHECK(typed_value("42").integer == 42);
  CHECK(typed_value("-3").integer == -3);
  CHECK(typed_value("+7").integer == 7);
  CHECK(typed_value("+7").text == "+7");
  CHECK(typed_value("1.5").type == Type::real);
  CHECK(typed_value("1.5").real == 1.5);
  CHECK(typed_value("1e3").real == 1000);
  CHECK(typed_value("-2.5E-1").real == -0.25);
  CHECK(typed_value(".5").real == 0.5);
  CHECK(typed_value("true").type == Type::boolean);
  CHECK(typed_value("true").boolean);
  CHECK_FALSE(typed_value("false").boolean);
  for (const char* text : {"exec", "inf", "nan", "007", "1e999", "+-3", "0x10", "1.5h", "True",
                           "99999999999999999999", "2021-05-01T00:00:00Z", ""}) {
    CAPTURE(text);
    CHECK(typed_value(text).type == Type::text);
    CHECK(typed_value(text).text == text);
  }
}

TEST_CASE("option --vary takes a list of values", "[sweep]") {
  const SweepAxis axis = parse_vary("campaign.lisa.max_concurrent=32, 48,64");
  CHECK(axis.keys == std::vector<std::string>{"campaign.lisa.max_concurrent"});
  CHECK(axis.size() == 3);
  CHECK(texts(axis) == std::vector<std::string>{"32", "48", "64"});
  CHECK(axis.values[0][1].integer == 48);
  CHECK(texts(parse_vary("simulation.engine=analytic,exec")) ==
        std::vector<std::string>{"analytic", "exec"});
  // A date-time has colons but is a value, not a range.
  CHECK(parse_vary("simulation.start=2021-05-01T00:00:00Z").size() == 1);
}

TEST_CASE("option --vary ranges include a stop that falls on a step", "[sweep]") {
  const SweepAxis ints = parse_vary("a=32:64:16");
  CHECK(texts(ints) == std::vector<std::string>{"32", "48", "64"});
  CHECK(ints.values[0][2].type == Type::integer);
  CHECK(texts(parse_vary("a=1:10:4")) == std::vector<std::string>{"1", "5", "9"});
  CHECK(texts(parse_vary("a=10:1:-3")) == std::vector<std::string>{"10", "7", "4", "1"});
  CHECK(texts(parse_vary("a=5:5:1")) == std::vector<std::string>{"5"});

  // start + i*step: 0.1 + 2 * 0.1 = 0.30000000000000004, written with 15 digits: 0.3.
  const SweepAxis reals = parse_vary("accounting.pue=0.1:0.3:0.1");
  REQUIRE(reals.size() == 3);
  CHECK(texts(reals) == std::vector<std::string>{"0.1", "0.2", "0.3"});
  CHECK(reals.values[0][2].type == Type::real);
  CHECK(reals.values[0][2].real == 0.3);
  CHECK(texts(parse_vary("a=0:1:0.1")).at(3) == "0.3");
  CHECK(texts(parse_vary("a=1:2:0.5")) == std::vector<std::string>{"1.0", "1.5", "2.0"});
  CHECK(texts(parse_vary("a=0.3:0.1:-0.1")) == std::vector<std::string>{"0.3", "0.2", "0.1"});
  CHECK(texts(parse_vary("a=0:1:0.3")) == std::vector<std::string>{"0.0", "0.3", "0.6", "0.9"});
  CHECK(parse_vary("a=1:100000:1").size() == 100000);
}

TEST_CASE("bad --vary options are located on the command line", "[sweep]") {
  const std::string at = "command line: --vary ";
  CHECK(vary_error("a.b") == at + "a.b: expected KEY=V1,V2,... or KEY=start:stop:step");
  CHECK(vary_error("=1,2") == at + "=1,2: missing the key before '='");
  CHECK(vary_error("a=") == at + "a=: no values after '='");
  CHECK(vary_error("a=1,,2") == at + "a=1,,2: value 2 is empty");
  CHECK(vary_error("a=1,2,1") == at + "a=1,2,1: value '1' given twice");
  CHECK(vary_error("a=1,1.0") == at + "a=1,1.0: value '1.0' given twice");
  CHECK(vary_error("a=1:5") == at + "a=1:5: a range is start:stop:step, got '1:5'");
  CHECK(vary_error("a=1:x:1") == at + "a=1:x:1: range stop 'x' is not a number");
  CHECK(vary_error("a=1:9:0") == at + "a=1:9:0: range step must not be zero");
  CHECK(vary_error("a=9:1:1") ==
        at + "a=9:1:1: range start is above stop but the step is positive");
  CHECK(vary_error("a=1:9:-1") ==
        at + "a=1:9:-1: range start is below stop but the step is negative");
  CHECK(vary_error("a=0:100000:1") == at + "a=0:100000:1: more than 100000 values");
  CHECK(vary_error("a=0:1:1e-6") == at + "a=0:1:1e-6: more than 100000 values");
  std::string many = "a=0";
  for (int i = 1; i <= 100000; ++i) many.append(",").append(std::to_string(i));
  CHECK(vary_error(many) == at + many + ": more than 100000 values");
}

TEST_CASE("option --zip options form one axis of keys varying together", "[sweep]") {
  const SweepAxis axis =
      parse_zip({"grid.us.intensity_g_per_kwh=100,400", "accounting.pue=1.1,1.6"});
  CHECK(axis.keys == std::vector<std::string>{"grid.us.intensity_g_per_kwh", "accounting.pue"});
  CHECK(axis.size() == 2);
  CHECK(texts(axis, 1) == std::vector<std::string>{"1.1", "1.6"});
  auto zip_error = [](std::vector<std::string> options) {
    return error_of([&] { parse_zip(options); });
  };
  CHECK(zip_error({"x=1,2,3", "y=a,b"}) ==
        "command line: --zip y=a,b: 2 values, but --zip x=1,2,3 has 3; zipped keys need the "
        "same number of values");
  CHECK(parse_zip({"x=1,2,1", "y=a,b,b"}).size() == 3);  // a key may repeat, a row may not
  CHECK(zip_error({"x=1,2,1", "y=a,b,a"}) ==
        "command line: --zip: values 1 and 3 are the same for every zipped key");
  CHECK(zip_error({"x=1,2", "x=3,4"}) == "command line: --zip x=3,4: key 'x' is zipped twice");
  CHECK(zip_error({"x=1:3:1"}) ==
        "command line: --zip x=1:3:1: takes a list of values (V1,V2,...), not a range");
}

TEST_CASE("points are the product of the axes times the replicates", "[sweep]") {
  const std::vector<SweepAxis> axes = {parse_vary("a=1,2,3"),
                                       parse_zip({"b=x,y,z", "c=true,false,true"})};
  const std::vector<SweepPoint> points = expand_points(axes, 2, 10);
  REQUIRE(points.size() == 18);  // 3 x 3 points x 2 replicates
  const char* first_ids[] = {"p0000-r0", "p0000-r1", "p0001-r0", "p0001-r1",
                             "p0002-r0", "p0002-r1", "p0003-r0"};
  for (std::size_t i = 0; i < 7; ++i) CHECK(points[i].id == first_ids[i]);
  CHECK(points[17].id == "p0008-r1");
  // Axis 0 slowest: point 3 is a = 2 with the first b, c.
  const SweepPoint& p = points[6];
  CHECK(p.point == 3);
  CHECK(p.replicate == 0);
  CHECK(p.seed == 10);
  CHECK(points[7].seed == 11);
  REQUIRE(p.settings.size() == 3);
  CHECK(p.settings[0].first == "a");
  CHECK(p.settings[0].second.integer == 2);
  CHECK(p.settings[1].first == "b");
  CHECK(p.settings[1].second.text == "x");
  CHECK(p.settings[2].first == "c");
  CHECK(p.settings[2].second.boolean);
  CHECK(points[3].settings[1].second.text == "y");  // p0001: a = 1, b = y, c = false
  CHECK_FALSE(points[3].settings[2].second.boolean);
}

TEST_CASE("point ids widen with the number of points and replicates", "[sweep]") {
  const auto none = expand_points({}, 3, 5);
  REQUIRE(none.size() == 3);
  CHECK(none[2].id == "p0000-r2");
  CHECK(none[2].seed == 7);
  CHECK(none[2].settings.empty());
  const auto wide = expand_points({parse_vary("a=0:10000:1")}, 11, 0);
  CHECK(wide.front().id == "p00000-r00");
  CHECK(wide.back().id == "p10000-r10");
  CHECK(error_of([] {
          expand_points({parse_vary("a=1,2"), parse_vary("a=3")}, 1, 0);
        }) == "command line: --vary a: given twice");
  CHECK(error_of([] {
          expand_points({parse_vary("a=0:999:1"), parse_vary("b=0:9999:1")}, 1, 0);
        }).find("more than 1000000 runs") != std::string::npos);
}

TEST_CASE("a sweep file becomes the options of the command line", "[sweep]") {
  TempDir tmp;
  const std::string path = tmp.write(R"([sweep]
scenario = "../scenarios/s.toml"
replicates = 3
jobs = 2
set = ["accounting.price_per_kwh=0.10"]
[[sweep.vary]]
key = "campaign.lisa.max_concurrent"
values = [32, 48, 64]
[[sweep.vary]]
key = "accounting.pue"
range = "1.1:1.3:0.1"
[[sweep.vary]]
key = "x"
values = ["exec", true, 1.0, 2.5e-7, 2021-05-01T00:00:00Z]
[[sweep.zip]]
key = "grid.us.intensity_g_per_kwh"
values = [100, 400]
[[sweep.zip]]
key = "accounting.price_per_kwh"
values = [0.1, 0.25]
)");
  const SweepFileSpec spec = read_sweep_file(path);
  CHECK(spec.scenario_path == (tmp.dir / "scenarios" / "s.toml").lexically_normal().string());
  CHECK(spec.replicates == 3);
  CHECK(spec.jobs == 2u);
  CHECK(spec.set == std::vector<std::string>{"accounting.price_per_kwh=0.10"});
  CHECK(spec.vary == std::vector<std::string>{"campaign.lisa.max_concurrent=32,48,64",
                                              "accounting.pue=1.1:1.3:0.1",
                                              "x=exec,true,1.0,2.5e-07,2021-05-01T00:00:00Z"});
  CHECK(spec.zip == std::vector<std::string>{"grid.us.intensity_g_per_kwh=100,400",
                                             "accounting.price_per_kwh=0.1,0.25"});
  CHECK(texts(parse_vary(spec.vary[2])) ==
        std::vector<std::string>{"exec", "true", "1.0", "2.5e-07", "2021-05-01T00:00:00Z"});

  const SweepFileSpec minimal =
      read_sweep_text("[sweep]\nscenario = \"../scenarios/s.toml\"\n", path);
  CHECK(minimal.replicates == 1);
  CHECK_FALSE(minimal.jobs.has_value());
  CHECK(minimal.vary.empty());
}

TEST_CASE("sweep file errors point at the line and column", "[sweep]") {
  TempDir tmp;
  const std::string path = tmp.write("");
  const std::string head = "[sweep]\nscenario = \"../scenarios/s.toml\"\n";
  auto error = [&](const std::string& text) {
    return error_of([&] { read_sweep_text(text, path); }, path);
  };
  CHECK(error(head + "replicate = 3\n") == "F:3:1: sweep.replicate: unknown key");
  CHECK(error(head + "replicates = 0\n") == "F:3:1: sweep.replicates: must be at least 1");
  CHECK(error(head + "jobs = \"2\"\n") == "F:3:1: sweep.jobs: expected an integer, got a string");
  CHECK(error("[sweep]\nreplicates = 2\n") ==
        "F:1:1: sweep: missing key 'scenario' (path to the scenario TOML)");
  CHECK(error("[sweep]\nscenario = \"nope.toml\"\n") ==
        "F:2:1: sweep.scenario: no such file: " + (tmp.dir / "sweeps" / "nope.toml").string());
  CHECK(error("[sweeps]\n") == "F:1:2: sweeps: unknown key");
  CHECK(error(head + "[[sweep.vary]]\nkey = \"a\"\nvalues = [1]\nrange = \"1:2:1\"\n") ==
        "F:6:1: sweep.vary[0].range: give either values or range, not both");
  CHECK(error(head + "[[sweep.vary]]\nkey = \"a\"\nvalues = [1, 2, 1]\n") ==
        "F:5:1: sweep.vary[0].values: value '1' given twice");
  CHECK(error(head + "[[sweep.vary]]\nkey = \"a\"\nvalue = [1]\n") ==
        "F:5:1: sweep.vary[0].value: unknown key");
  CHECK(error(head + "[[sweep.vary]]\nkey = \"a\"\nvalues = [1, [2]]\n") ==
        "F:5:14: sweep.vary[0].values[1]: expected a number, a boolean or a string, got an array");
  CHECK(error(head + "[[sweep.vary]]\nkey = \"a\"\nrange = \"1:9:-1\"\n") ==
        "F:5:1: sweep.vary[0].range: range start is below stop but the step is negative");
  CHECK(error(head + "[[sweep.zip]]\nkey = \"a\"\nvalues = [1, 2]\n" +
              "[[sweep.zip]]\nkey = \"b\"\nvalues = [1]\n") ==
        "F:8:1: sweep.zip[1].values: 1 values, but --zip a=1,2 has 2; zipped keys need the same "
        "number of values");
  CHECK(error(head + "[[sweep.zip]]\nkey = \"a\"\nrange = \"1:3:1\"\n") ==
        "F:5:1: sweep.zip[0].range: zipped keys take a list of values, not a range");
  const std::string missing = (tmp.dir / "none.toml").string();
  CHECK(error_of([&] { read_sweep_file(missing); }, missing) == "F: cannot open the sweep file");
}
