#include "output/record_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "output/h5_datasets.hpp"
#include "output/h5_types.hpp"
#include "output/record_table_h5.hpp"

namespace mlcycle {

namespace {

std::size_t field_size(ColumnType type) {
  switch (type) {
    case ColumnType::uint32:
      return 4;
    case ColumnType::boolean:
    case ColumnType::label:
      return 1;
    case ColumnType::text:
      return sizeof(const char*);
    default:
      return 8;
  }
}

// Stores `cell` at `out` in the memory layout of `column`.
void store(unsigned char* out, const TableColumn& column, const TableCell& cell) {
  switch (column.type) {
    case ColumnType::uint32: {
      const auto v = static_cast<std::uint32_t>(cell.unsigned_value);
      std::memcpy(out, &v, sizeof v);
      break;
    }
    case ColumnType::uint64:
      std::memcpy(out, &cell.unsigned_value, 8);
      break;
    case ColumnType::int64:
      std::memcpy(out, &cell.signed_value, 8);
      break;
    case ColumnType::real:
      std::memcpy(out, &cell.real, 8);
      break;
    case ColumnType::boolean:
      *out = cell.boolean ? 1 : 0;
      break;
    case ColumnType::label:
      *out = static_cast<std::uint8_t>(cell.unsigned_value);
      break;
    case ColumnType::text: {
      const char* text = cell.text.c_str();
      std::memcpy(out, &text, sizeof text);
      break;
    }
  }
}

template <typename T>
std::string number_text(T value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) throw std::logic_error("formatting a number");
  return std::string(buffer, end);
}

std::string csv_cell(const TableColumn& column, const TableCell& cell) {
  switch (column.type) {
    case ColumnType::uint32:
    case ColumnType::uint64:
      return number_text(cell.unsigned_value);
    case ColumnType::int64:
      return number_text(cell.signed_value);
    case ColumnType::real: {
      const double v = cell.real;
      return std::isnan(v) ? std::string() : number_text(v);
    }
    case ColumnType::boolean:
      return cell.boolean ? "true" : "false";
    case ColumnType::label: {
      const std::uint64_t code = cell.unsigned_value;
      return csv_field(code < column.labels.size() ? column.labels[code] : number_text(code));
    }
    case ColumnType::text:
      return csv_field(cell.text);
  }
  return {};
}

}  // namespace

TableCell unsigned_cell(std::uint64_t value) {
  TableCell cell;
  cell.unsigned_value = value;
  return cell;
}
TableCell signed_cell(std::int64_t value) {
  TableCell cell;
  cell.signed_value = value;
  return cell;
}
TableCell real_cell(double value) {
  TableCell cell;
  cell.real = value;
  return cell;
}
TableCell boolean_cell(bool value) {
  TableCell cell;
  cell.boolean = value;
  return cell;
}
TableCell text_cell(std::string value) {
  TableCell cell;
  cell.text = std::move(value);
  return cell;
}

void write_h5_table(hid_t parent, const std::string& name, const RecordTable& table) {
  const std::size_t n_columns = table.columns.size();
  std::vector<std::size_t> offsets(n_columns);
  std::size_t row_size = 0;
  for (std::size_t c = 0; c < n_columns; ++c) {
    const std::size_t size = field_size(table.columns[c].type);
    row_size = (row_size + size - 1) / size * size;  // each field aligned to its size
    offsets[c] = row_size;
    row_size += size;
  }
  row_size = std::max<std::size_t>((row_size + 7) / 8 * 8, 8);

  h5::Handle text = h5::string_type();
  h5::Handle boolean = h5::enum_type({"FALSE", "TRUE"});
  h5::CompoundType memory(row_size);
  for (std::size_t c = 0; c < n_columns; ++c) {
    const TableColumn& column = table.columns[c];
    h5::Handle labels;  // copied into the compound by add()
    hid_t member = H5T_NATIVE_DOUBLE;
    switch (column.type) {
      case ColumnType::uint32:
        member = H5T_NATIVE_UINT32;
        break;
      case ColumnType::uint64:
        member = H5T_NATIVE_UINT64;
        break;
      case ColumnType::int64:
        member = H5T_NATIVE_INT64;
        break;
      case ColumnType::real:
        break;
      case ColumnType::boolean:
        member = boolean.id();
        break;
      case ColumnType::label:
        labels = h5::enum_type(column.labels);
        member = labels.id();
        break;
      case ColumnType::text:
        member = text.id();
        break;
    }
    memory.add(column.name, offsets[c], member);
  }

  std::vector<unsigned char> buffer(table.rows.size() * row_size);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    if (row.size() != n_columns) throw std::logic_error("table row of the wrong width");
    for (std::size_t c = 0; c < n_columns; ++c)
      store(&buffer[r * row_size + offsets[c]], table.columns[c], row[c]);
  }
  h5::write_rows(parent, name, memory.packed().id(), memory.id(), buffer.data(), table.rows.size());
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + '"';
}

std::string to_csv(const RecordTable& table) {
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) out += ',';
    out += csv_field(table.columns[c].name);
  }
  out += '\n';
  for (const auto& row : table.rows) {
    if (row.size() != table.columns.size()) throw std::logic_error("table row of the wrong width");
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += csv_cell(table.columns[c], row[c]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace mlcycle
