#pragma once
// A plain-text table whose columns widen to their widest cell, so a large number (a fleet of a
// billion vehicles) moves its column's edge instead of pushing its row out of line. Columns are
// separated by one space; the first one is left-aligned, the others right-aligned.
#include <ostream>
#include <string>
#include <vector>

namespace mlcycle {

class TextTable {
 public:
  struct Column {
    std::string header;
    std::size_t min_width;  // the width the column has when every cell fits
  };
  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // The header line, then the rows, each line starting with `indent`.
  void print(std::ostream& out, const std::string& indent) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// `value` with `decimals` decimals, as printf's %.*f.
std::string fixed(double value, int decimals);
// printf into a string of whatever length it takes (no fixed buffer to cut a long name).
std::string format_text(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace mlcycle
