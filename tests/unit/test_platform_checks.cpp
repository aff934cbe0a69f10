// What mlcycle checks before SimGrid sees a platform (SimGrid 3.32 aborts on it otherwise): the
// strict profile grammar, the platform scan, and the translation of a pre-flight failure.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "core/input_error.hpp"
#include "engine/platform_preflight.hpp"
#include "engine/platform_scan.hpp"
#include "engine/state_profiles.hpp"

using namespace mlcycle;

namespace {

// The one-line message of the InputError that `f` throws ("" when it throws none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string state_error(const std::string& text) {
  return error_of([&] { parse_state_profile(text, "p.state", "host g1: state_file"); });
}

const std::string kHead =
    "<?xml version='1.0'?>\n<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n";

std::string scan_error(const std::string& body) {
  return error_of([&] { scan_platform_text(kHead + body + "  </zone>\n</platform>\n", "p.xml"); });
}

}  // namespace

TEST_CASE("state profile: events, comments and LOOPAFTER", "[profiles]") {
  const StateProfile p = parse_state_profile(
      "# down for an hour\n\n3600 0\n% old comment\n  7200\t1 \r\nLOOPAFTER 600\n", "p.state");
  REQUIRE(p.events.size() == 2);
  CHECK(p.events[0] == std::make_pair(3600.0, 0.0));
  CHECK(p.events[1] == std::make_pair(7200.0, 1.0));
  CHECK(p.loop_after_s == 600);
  // Exactly what SimGrid is handed: the same events, every digit kept.
  CHECK(simgrid_profile_text(p) == "3600 0\n7200 1\nLOOPAFTER 600");
  CHECK(simgrid_profile_text(parse_state_profile("0.1 0\n", "p.state")) ==
        "0.10000000000000001 0\n");
}

TEST_CASE("state profile: PERIODICITY is the pattern's period", "[profiles]") {
  // PERIODICITY 10000 after a last event at 7200: SimGrid repeats 10000 - 7200 = 2800 s later.
  const StateProfile p = parse_state_profile("3600 0\n7200 1\nPERIODICITY 10000\n", "p.state");
  CHECK(p.loop_after_s == 2800);
  CHECK(state_error("3600 0\n7200 1\nPERIODICITY 3600\n") ==
        "p.state:3:13: host g1: state_file: PERIODICITY must be at least the last event's time "
        "(7200)");
}

TEST_CASE("state profile: what SimGrid aborts on or misreads is refused", "[profiles]") {
  // A state is 0 or 1: SimGrid reads 1e308 as "on" and aborts on a negative value after the
  // first event (Profile.cpp: nextDateVal.value_ >= 0).
  CHECK(state_error("3600 1e308\n") ==
        "p.state:1:6: host g1: state_file: a state is 0 (off) or 1 (on), got 1e308");
  CHECK(state_error("3600 0\n7200 -1\n") ==
        "p.state:2:6: host g1: state_file: a state is 0 (off) or 1 (on), got -1");
  // std::strtod took nan and `nan < 0` is false; SimGrid aborts on it.
  CHECK(state_error("nan 0\n") ==
        "p.state:1:1: host g1: state_file: time 'nan' is not a finite number");
  CHECK(state_error("3600 inf\n") ==
        "p.state:1:6: host g1: state_file: value 'inf' is not a finite number");
  // SimGrid's std::stod throws out_of_range through the parser on these.
  CHECK(state_error("1e400 0\n") ==
        "p.state:1:1: host g1: state_file: time '1e400' is out of the range of a double");
  CHECK(state_error("1e-310 0\n") ==
        "p.state:1:1: host g1: state_file: time '1e-310' is too close to 0 (subnormal)");
  // std::stod reads a prefix; SimGrid took "3600abc" as 3600.
  CHECK(state_error("3600abc 0\n") ==
        "p.state:1:1: host g1: state_file: time '3600abc' is not a number");
  CHECK(state_error("0x10 0\n") == "p.state:1:1: host g1: state_file: time '0x10' is not a number");
  CHECK(state_error("3600\n") ==
        "p.state:1:1: host g1: state_file: expected '<time in s> <value>', got '3600'");
  CHECK(state_error("-1 0\n") == "p.state:1:1: host g1: state_file: a time must not be negative");
  CHECK(state_error("7200 0\n3600 1\n") ==
        "p.state:2:1: host g1: state_file: times must increase (3600 comes after a later time)");
  CHECK(state_error("LOOPAFTER\n") ==
        "p.state:1:1: host g1: state_file: expected 'LOOPAFTER <seconds>'");
  CHECK(state_error("3600 0\nLOOPAFTER -1\n") ==
        "p.state:2:11: host g1: state_file: LOOPAFTER must not be negative");
  CHECK(state_error("3600 0\nLOOPAFTER 5\nLOOPAFTER 6\n") ==
        "p.state:3:1: host g1: state_file: a second LOOPAFTER or PERIODICITY (the first is on line "
        "2)");
  // A cycle of 0 s replays the events at the same instant forever: SimGrid hangs.
  CHECK(state_error("0 1\nLOOPAFTER 0\n") ==
        "p.state:2:11: host g1: state_file: the profile would repeat in a cycle of 0 s");
  CHECK(state_error("STOCHASTIC\nDET 10 DET 1\n") ==
        "p.state:1:1: host g1: state_file: stochastic profiles are not supported: give the "
        "events' times and values");
}

TEST_CASE("profiles: speed and bandwidth are fractions of the peak", "[profiles]") {
  CHECK(parse_profile("0 0.5\n", "s", "speed_file", ProfileKind::speed).events.size() == 1);
  CHECK(error_of([] { parse_profile("0 0\n", "s", "speed_file", ProfileKind::speed); }) ==
        "s:1:3: speed_file: a speed is a fraction of the peak in (0, 1], got 0");
  CHECK(error_of([] { parse_profile("0 -1\n", "l", "latency_file", ProfileKind::latency); }) ==
        "l:1:3: latency_file: a latency must not be negative, got -1");
}

TEST_CASE("platform scan: hosts, cores and the clusters' radicals", "[platform]") {
  const PlatformScan scan = scan_platform_text(
      kHead +
          "    <host id=\"a\" speed=\"1Gf\" core=\"8\"/>\n  </zone>\n"
          "  <cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-9,20,30-31\" core=\"4\"/>\n"
          "</platform>\n",
      "p.xml");
  // 1 host of 8 cores + (10 + 1 + 2) hosts of 4 = 14 hosts, 8 + 13 * 4 = 60 GPUs
  CHECK(scan.hosts == 14);
  CHECK(scan.gpus == 60);
  CHECK(scan.max_cores_per_host == 8);
  CHECK(scan.profiles.empty());
}

TEST_CASE("platform scan: what SimGrid aborts on is located", "[platform]") {
  CHECK(scan_error("    <host id=\"a\" speed=\"1Gf\" core=\"0\"/>\n") ==
        "p.xml:4:30: host a: core: a host has at least 1 core (one per GPU), got 0");
  CHECK(scan_error("    <host id=\"a\" speed=\"1Gf\" core=\"4097\"/>\n") ==
        "p.xml:4:30: host a: core: at most 4096 cores (GPUs) per host, got 4097");
  CHECK(scan_error("    <route src=\"a\" dst=\"b\"/>\n    <route src=\"a\" dst=\"b\"/>\n") ==
        "p.xml:5:5: route a -> b: this route is already defined on line 4 (routes go both ways "
        "unless symmetrical=\"NO\")");
  // b -> a after a symmetrical a -> b: SimGrid aborts ("should not declare the reverse path")
  CHECK(scan_error("    <route src=\"a\" dst=\"b\"/>\n    <route src=\"b\" dst=\"a\"/>\n") ==
        "p.xml:5:5: route b -> a: this route is already defined on line 4 (routes go both ways "
        "unless symmetrical=\"NO\")");
  CHECK(scan_error("    <route src=\"a\" dst=\"b\" symmetrical=\"NO\"/>\n"
                   "    <route src=\"b\" dst=\"a\" symmetrical=\"NO\"/>\n") == "");
  CHECK(scan_error("    <include file=\"other.xml\"/>\n") ==
        "p.xml:4:5: platform: <include> is not supported by mlcycle (it reads no file but the "
        "platform and its hosts' state_file and speed_file)");
  CHECK(scan_error("    <host id=\"caf\xc3\xa9\" speed=\"1Gf\"/>\n") == "");  // UTF-8 é
  CHECK(scan_error("    <host id=\"caf\xe9\" speed=\"1Gf\"/>\n") ==
        "p.xml:4:18: platform: invalid UTF-8 (byte 0xE9)");
  CHECK(scan_error("    <!-- never closed\n") == "p.xml:4:5: platform: unterminated comment");
  CHECK(scan_error("    <host id=a/>\n") ==
        "p.xml:4:11: platform: the value of 'id' is not quoted");
}

TEST_CASE("platform scan: a profile attribute is read, parsed and blanked", "[platform]") {
  const std::string text = kHead +
                           "    <host id=\"g1\" speed=\"1Gf\" state_file=\"" MLCYCLE_SOURCE_DIR
                           "/tests/cli/bad/unsorted.state\"/>\n  </zone>\n</platform>\n";
  CHECK(error_of([&] { scan_platform_text(text, "p.xml"); }) ==
        std::string(MLCYCLE_SOURCE_DIR) +
            "/tests/cli/bad/unsorted.state:2:1: host g1: state_file: times must increase (1800 "
            "comes after a later time)");
  const std::string good = kHead +
                           "    <host id=\"g1\" speed=\"1Gf\" state_file=\"" MLCYCLE_SOURCE_DIR
                           "/tests/data/g1.state\"/>\n  </zone>\n</platform>\n";
  const PlatformScan scan = scan_platform_text(good, "p.xml");
  REQUIRE(scan.profiles.size() == 1);
  CHECK(scan.profiles[0].id == "g1");
  CHECK(scan.profiles[0].where.line == 4);
  // SimGrid sees the same lines and columns without the attribute.
  CHECK(scan.simgrid_xml.size() == good.size());
  CHECK(scan.simgrid_xml.find("state_file") == std::string::npos);
  CHECK(error_of([] {
          scan_platform_text(
              kHead + "    <host id=\"g1\" speed=\"1Gf\" state_file=\"nope.state\"/>\n", "p.xml");
        }) == "p.xml:4:31: host g1: state_file: cannot open the profile file nope.state");
}

TEST_CASE("pre-flight: SimGrid's failures become one located line", "[platform]") {
  const std::string memfd = "/proc/self/fd/7";
  // An abort: the first CRITICAL line, at the parser's line; the backtrace is dropped.
  const std::string log =
      "[0.000000] ./src/kernel/routing/FullZone.cpp:69: [root/CRITICAL] The route between a and "
      "b already exists (Rq: routes are symmetrical by default).\nBacktrace (displayed in actor "
      "maestro):\n  ->  0# xbt_backtrace_display_current\n";
  CHECK(std::string(simgrid_load_failure(log, "", 12, 134, memfd, "p.xml").what()) ==
        "p.xml:12: platform: The route between a and b already exists (Rq: routes are "
        "symmetrical by default).");
  // A parse error names the memory file SimGrid read: the user's file instead, and its line.
  CHECK(std::string(simgrid_load_failure("",
                                         "Parse error at /proc/self/fd/7:8: Invalid XML (XML "
                                         "input line 8, state 62): Unexpected end-tag `</a>'.",
                                         0, 0, memfd, "p.xml")
                        .what()) == "p.xml:8: platform: invalid XML: Unexpected end-tag `</a>'.");
  // SimGrid's version banner: one sentence.
  CHECK(std::string(simgrid_load_failure("",
                                         "Parse error at /proc/self/fd/7:3: ******* THIS FILE "
                                         "COMES FROM THE FUTURE (v:5.0) *********\n The most "
                                         "recent formalism...\nPlease update your code",
                                         0, 0, memfd, "p.xml")
                        .what()) ==
        "p.xml:3: platform: platform version 5.0 is newer than SimGrid 3.32 reads (4.1 at most)");
  // No message at all (a crash without a CRITICAL line): the signal.
  CHECK(std::string(simgrid_load_failure("", "", 0, 11, memfd, "p.xml").what()) ==
        "p.xml: platform: SimGrid died loading the platform (Segmentation fault)");
}
