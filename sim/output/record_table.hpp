#pragma once
// A small typed table (numbers, booleans, enums, strings) written as a 1-D HDF5 compound
// dataset or as CSV text: the sweep's summary tables. Whole tables in memory: small ones only.
// Plain types, free of HDF5, so the wings above output can build tables; output/record_table_h5
// writes them.
#include <cstdint>
#include <string>
#include <vector>

namespace mlcycle {

enum class ColumnType {
  uint32,
  uint64,
  int64,
  real,
  boolean,  // HDF5: enum FALSE = 0, TRUE = 1 over uint8 (h5py reads numpy bool); CSV true/false
  label,    // HDF5: enum over uint8 with members labels[0] = 0, labels[1] = 1, ...; CSV the label
  text,     // HDF5: variable-length UTF-8 string
};

struct TableColumn {
  std::string name;
  ColumnType type = ColumnType::text;
  std::vector<std::string> labels;  // label columns only
};

// One cell: the member matching its column's type is the one written.
struct TableCell {
  std::uint64_t unsigned_value = 0;  // uint32, uint64, label (the code)
  std::int64_t signed_value = 0;     // int64
  double real = 0;                   // real
  bool boolean = false;              // boolean
  std::string text;                  // text
};
TableCell unsigned_cell(std::uint64_t value);
TableCell signed_cell(std::int64_t value);
TableCell real_cell(double value);
TableCell boolean_cell(bool value);
TableCell text_cell(std::string value);

struct RecordTable {
  std::vector<TableColumn> columns;
  std::vector<std::vector<TableCell>> rows;  // rows[i][c]: one cell per column
};

// RFC 4180 text: a header line of column names, then one line per row, each ended by "\n".
// Fields with a comma, quote or line break are quoted (quotes doubled); doubles in the shortest
// text that reads back exactly, NaN as an empty field.
std::string to_csv(const RecordTable& table);
std::string csv_field(const std::string& text);

}  // namespace mlcycle
