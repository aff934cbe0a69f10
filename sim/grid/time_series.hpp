#pragma once
// Grid data as read from a file or generated, in absolute UTC seconds, before it is mapped onto
// the simulation's clock. A value holds from its timestamp to the next one.
#include <string>
#include <vector>

namespace mlcycle {

struct IntensitySeries {
  std::string source;               // file path, or the synthetic grid's name
  std::vector<double> time_unix_s;  // strictly increasing
  std::vector<double> g_per_kwh;    // >= 0
  std::vector<int> line;            // 1-based line of each row in the file (0: generated)
};

// Generation by source: `mw` is row-major [rows x sources]; an empty CSV cell is NaN.
struct GenerationMix {
  std::string source;
  std::vector<std::string> sources;  // column names without the `_mw` suffix
  std::vector<double> time_unix_s;   // strictly increasing
  std::vector<double> mw;
  std::vector<int> line;
  std::size_t rows() const { return time_unix_s.size(); }
  double at(std::size_t row, std::size_t source) const { return mw[row * sources.size() + source]; }
};

}  // namespace mlcycle
