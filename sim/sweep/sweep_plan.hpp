#pragma once
// What a sweep runs: the Cartesian product of its axes (an axis is one `--vary` key, or a group
// of `--zip` keys that vary together), times N replicates. Plain data, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlcycle {

// A value of a varied key, kept as the text given to --set and typed for the output table.
struct SweepValue {
  enum class Type { integer, real, boolean, text } type = Type::text;
  std::string text;  // exactly what is passed as `--set KEY=text`
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;
};

struct SweepAxis {
  std::vector<std::string> keys;                // one key, or the zipped keys
  std::vector<std::vector<SweepValue>> values;  // values[k][i]: key k at position i
  std::size_t size() const { return values.empty() ? 0 : values.front().size(); }
};

struct SweepPoint {
  std::string id;         // "p0007-r1": stable, sortable, used for the run file name
  std::size_t point = 0;  // index in the product (without replicate)
  std::uint32_t replicate = 0;
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, SweepValue>> settings;  // key -> value, in axis order
};

struct SweepPlan {
  std::string scenario_path;
  std::vector<std::string> base_overrides;  // --set given to the sweep itself
  std::vector<SweepAxis> axes;
  std::uint32_t replicates = 1;
  std::uint64_t base_seed = 0;  // the scenario's seed (after overrides); replicate r uses base + r
  std::vector<SweepPoint> points;  // in id order
  std::string definition_text;     // the sweep as given (for the output's attributes)
};

// Parses one `--vary KEY=V1,V2,...` or `--vary KEY=start:stop:step` (inclusive stop when it
// falls on a step; integers when all three are integers). Throws InputError naming the option.
SweepAxis parse_vary(const std::string& option_text);
// `--zip KEY=V1,V2,...` options form one axis; all must have the same number of values.
SweepAxis parse_zip(const std::vector<std::string>& option_texts);
// Types a value as TOML would read it: integer, float, boolean, else text.
SweepValue typed_value(const std::string& text);

// Expands axes x replicates into points, ids in order (axis 0 slowest, replicate fastest).
std::vector<SweepPoint> expand_points(const std::vector<SweepAxis>& axes, std::uint32_t replicates,
                                      std::uint64_t base_seed);

}  // namespace mlcycle
