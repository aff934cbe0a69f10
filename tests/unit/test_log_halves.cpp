// Reading a log in parts (core/line_reader, workload/replay_census): lines from a buffer of
// their own, a file cut at a line start and read as two halves, and a census that reads a large
// log's halves at once giving exactly what one reader gives, errors included.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/line_reader.hpp"
#include "support/error_text.hpp"
#include "support/temp_dir.hpp"
#include "workload/replay_census.hpp"

using namespace mlcycle;

namespace {

using test::error_of;
using test::TempDir;

std::vector<std::string> lines_of(LineReader& reader, std::vector<int>* numbers = nullptr) {
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line)) {
    lines.emplace_back(line);
    if (numbers) numbers->push_back(reader.line_number());
  }
  return lines;
}

// A CSV log of `jobs` one-GPU jobs: job k submitted at 10 k s (but job 7 at 5 s: 65 s before
// job 6, the log's disorder), running 100 + k s, k GPUs mod 5 (0: not replayed).
std::string csv_log(int jobs) {
  std::string text = "submit,duration,gpus\n";
  for (int k = 0; k < jobs; ++k)
    text += std::to_string(k == 7 ? 5 : 10 * k) + "," + std::to_string(100 + k) + "," +
            std::to_string(k % 5) + "\n";
  return text;
}

Scenario csv_replay(const std::string& path) {
  Scenario scenario;
  scenario.simulation.start = UtcTime{1577836800};  // 2020-01-01T00:00:00Z
  CampaignSpec campaign;
  campaign.name = "log";
  campaign.replay = ReplaySpec{};
  campaign.replay->log.path = path;
  campaign.replay->log.format = LogOption{"csv", "format", {}};
  campaign.replay->log.time = LogOption{"seconds", "time", {}};
  campaign.replay->log.log_start = LogOption{"2020-01-01T00:00:00Z", "log_start", {}};
  campaign.replay->log.columns = {{"submit", "submit"}, {"duration", "duration"}, {"gpus", "gpus"}};
  scenario.campaigns.push_back(campaign);
  return scenario;
}

}  // namespace

TEST_CASE("line reader: lines without their breaks, CRLF, a last line without one, long lines") {
  TempDir dir("line_reader");
  const std::string long_line(3 << 20, 'x');  // longer than the 1 MiB buffer
  LineReader reader(dir.write("a.txt", "a\r\n\nb,c\n" + long_line + "\nlast"));
  REQUIRE(reader.is_open());
  std::vector<int> numbers;
  const std::vector<std::string> lines = lines_of(reader, &numbers);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "a");
  CHECK(lines[1].empty());
  CHECK(lines[2] == "b,c");
  CHECK(lines[3] == long_line);
  CHECK(lines[4] == "last");
  CHECK(numbers == std::vector<int>{1, 2, 3, 4, 5});
  CHECK_FALSE(LineReader(dir.dir.string() + "/missing").is_open());
}

TEST_CASE("line reader: a file cut at a line start reads as its two halves") {
  TempDir dir("line_reader");
  // Lines "0", "1", ..., "99": line k + 1 holds k.
  std::string text;
  for (int k = 0; k < 100; ++k) text += std::to_string(k) + "\n";
  const std::string path = dir.write("a.txt", text);
  // Ten one-digit lines of 2 bytes, then 3 bytes a line: "k" (k >= 10) starts at byte
  // 20 + 3 (k - 10). Byte 100 falls inside "36" (bytes 98 to 100), so the cut is at "37",
  // byte 20 + 3 * 27 = 101, after 37 lines.
  const auto cut = LineReader::line_start_after(path, 100);
  REQUIRE(cut);
  CHECK(cut->offset == 101);
  CHECK(cut->lines_before == 37);
  LineReader first(path), second(path);
  first.stop_at(cut->offset);
  second.seek(cut->offset, cut->lines_before);
  std::vector<int> numbers;
  const std::vector<std::string> head = lines_of(first);
  const std::vector<std::string> tail = lines_of(second, &numbers);
  REQUIRE(head.size() == 37);
  CHECK(head.back() == "36");
  REQUIRE(tail.size() == 63);
  CHECK(tail.front() == "37");
  CHECK(numbers.front() == 38);
  CHECK(numbers.back() == 100);
  // Past the last line start there is no cut.
  CHECK_FALSE(LineReader::line_start_after(path, text.size()));
}

TEST_CASE("census: a large log read in two halves counts as one reader does") {
  TempDir dir("census_halves");
  // 400,000 jobs (about 6 MB: above the 4 MiB from which the census reads two halves).
  // Replayed: k mod 5 != 0, 320,000 jobs; the largest asks 4 GPUs; the first submit is job 1's
  // (10 s; job 0 has no GPU), job 7's 5 s is earlier still; the disorder is job 6's 60 s - 5 s
  // = 55 s; the last time is job 399,999's end, 3,999,990 + 100 + 399,999 s.
  const std::string path = dir.write("log.csv", csv_log(400000));
  const Scenario read = with_replays_read(csv_replay(path));
  const CampaignSpec& campaign = read.campaigns[0];
  CHECK(campaign.trials == 320000);
  CHECK(campaign.gpus_per_trial == 4);
  CHECK(campaign.replay->anchor_unix_s == 1577836800 + 5);
  CHECK(campaign.replay->disorder_s == 55);
  CHECK(campaign.replay->last_unix_s == 1577836800.0 + 3999990 + 100 + 399999);
}

TEST_CASE("census: an error in a large log's second half names its own line") {
  TempDir dir("census_halves");
  std::string text = csv_log(400000);
  // Line 300,002 holds job 300,000 (the header is line 1): its GPU count made negative.
  const std::string record = "\n3000000,300100,0\n";
  const std::size_t at = text.find(record);
  REQUIRE(at != std::string::npos);
  text.replace(at, record.size(), "\n3000000,300100,-2\n");
  const std::string path = dir.write("log.csv", text);
  const std::string error = error_of("log", [&] { with_replays_read(csv_replay(path)); });
  CHECK(error.find(":300002:") != std::string::npos);
  CHECK(error.find("gpus") != std::string::npos);
  // With an error in the first half too, the first half's is the one reported (line 11).
  const std::string early = "\n90,109,4\n";
  const std::size_t early_at = text.find(early);
  REQUIRE(early_at != std::string::npos);
  text.replace(early_at, early.size(), "\n90,109,x\n");
  const std::string both = dir.write("both.csv", text);
  CHECK(error_of("log", [&] { with_replays_read(csv_replay(both)); }).find(":11:") !=
        std::string::npos);
}

TEST_CASE("census: a log whose header lies past its middle is read whole") {
  TempDir dir("census_halves");
  // 5 MiB of blank lines (skipped by the reader), then the header and 10 jobs: the middle falls
  // among the blank lines, before the header. Kept: jobs 1-4 and 6-9 (k mod 5 != 0).
  const std::string path = dir.write("log.csv", std::string(5 << 20, '\n') + csv_log(10));
  const Scenario read = with_replays_read(csv_replay(path));
  CHECK(read.campaigns[0].trials == 8);
  CHECK(read.campaigns[0].gpus_per_trial == 4);
}
