#include "core/csv_table.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/input_error.hpp"

namespace mlcycle {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool all_empty(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); });
}

std::string count_of(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

CsvTable::CsvTable(std::string path) : path_(std::move(path)) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path_, ignored)) {
    throw InputError({path_, 0, 0}, "", "cannot read: it is a directory");
  }
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw InputError({path_, 0, 0}, "", std::string("cannot open: ") + std::strerror(errno));
  // One read of the known size; a pipe or other stream of unknown size is copied through.
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size >= 0 && in) {
    text_.resize(static_cast<std::size_t>(size));
    in.read(text_.data(), size);
    text_.resize(static_cast<std::size_t>(in.gcount()));
  } else {
    in.clear();
    std::ostringstream contents;
    contents << in.rdbuf();
    text_ = std::move(contents).str();
  }
  if (in.bad()) throw InputError({path_, 0, 0}, "", "cannot read");
  // Spreadsheet exports often start with a UTF-8 byte-order mark; it is not part of the name.
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;

  do {
    if (!read_record(header_)) {
      throw InputError({path_, 1, 0}, "", "no header line: the file is empty");
    }
  } while (all_empty(header_));
  header_line_ = record_line_;
}

std::size_t CsvTable::column(const std::string& name) const {
  const auto first = std::find(header_.begin(), header_.end(), name);
  if (first == header_.end()) {
    throw InputError({path_, header_line_, 0}, name,
                     "no such column; the header has: " + header_list());
  }
  const auto second = std::find(first + 1, header_.end(), name);
  const std::size_t index = static_cast<std::size_t>(first - header_.begin());
  if (second != header_.end()) {
    const std::size_t again = static_cast<std::size_t>(second - header_.begin());
    throw InputError({path_, header_line_, static_cast<int>(again + 1)}, name,
                     "the header names this column twice (fields " + std::to_string(index + 1) +
                         " and " + std::to_string(again + 1) + ")");
  }
  return index;
}

std::string CsvTable::header_list() const {
  std::string list;
  for (const std::string& name : header_) {
    if (!list.empty()) list += ", ";
    list += name.empty() ? "(unnamed)" : name;
  }
  return list;
}

bool CsvTable::next(std::vector<std::string>& fields) {
  do {
    if (!read_record(fields)) return false;
  } while (all_empty(fields));
  if (fields.size() < header_.size()) {
    fail(fields.size(), "missing field: the row has " + count_of(fields.size(), "field") +
                            ", the header has " + std::to_string(header_.size()));
  }
  if (fields.size() > header_.size()) {
    fail(header_.size(), "extra field: the row has " + count_of(fields.size(), "field") +
                             ", the header has " + std::to_string(header_.size()));
  }
  return true;
}

std::size_t CsvTable::line_count() const {
  // memchr is vectorised; a byte loop (std::count) costs as much as parsing the numbers.
  std::size_t lines = 1;
  const char* p = text_.data();
  const char* const end = p + text_.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
    ++lines;
    ++p;
  }
  return lines;
}

void CsvTable::fail(std::size_t column, const std::string& message) const {
  throw InputError({path_, record_line_, static_cast<int>(column + 1)}, key_of(column), message);
}

std::string CsvTable::key_of(std::size_t column) const {
  return column < header_.size() ? header_[column] : std::string();
}

bool CsvTable::read_record(std::vector<std::string>& fields) {
  const char* const s = text_.data();
  const std::size_t n = text_.size();
  std::size_t p = pos_;
  if (p >= n) return false;
  record_line_ = next_line_;
  std::size_t count = 0;
  // A record ends at LF, CRLF, or the end of the file; a lone CR inside a field is kept.
  auto at_record_end = [&](std::size_t i) {
    return i >= n || s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] == '\n'));
  };
  for (;;) {
    if (count == fields.size()) fields.emplace_back();
    std::string& out = fields[count++];
    out.clear();
    while (p < n && is_blank(s[p])) ++p;
    if (p < n && s[p] == '"') {
      const int quote_line = next_line_;
      ++p;
      for (;;) {
        const std::size_t quote = text_.find('"', p);
        if (quote == std::string::npos) {
          throw InputError({path_, quote_line, static_cast<int>(count)}, key_of(count - 1),
                           "unterminated quoted field");
        }
        next_line_ += static_cast<int>(std::count(s + p, s + quote, '\n'));
        out.append(s + p, quote - p);
        p = quote + 1;
        if (p < n && s[p] == '"') {  // "" is an escaped quote
          out.push_back('"');
          ++p;
          continue;
        }
        break;
      }
      while (p < n && is_blank(s[p])) ++p;
      if (p < n && s[p] != ',' && !at_record_end(p)) {
        throw InputError({path_, next_line_, static_cast<int>(count)}, key_of(count - 1),
                         "unexpected text after the closing quote");
      }
    } else {
      const std::size_t start = p;
      while (p < n && s[p] != ',' && s[p] != '\n') ++p;
      std::string_view field(s + start, p - start);
      if (!field.empty() && field.back() == '\r' && (p == n || s[p] == '\n')) {
        field.remove_suffix(1);
      }
      out.assign(trim_blanks(field));
    }
    if (p < n && s[p] == ',') {
      ++p;
      continue;
    }
    if (p < n && s[p] == '\r') ++p;
    if (p < n && s[p] == '\n') {
      ++p;
      ++next_line_;
    }
    break;
  }
  pos_ = p;
  fields.resize(count);
  return true;
}

double CsvTable::number(std::size_t column, std::string_view field) const {
  const std::string_view text = trim_blanks(field);
  if (text.empty()) fail(column, "empty value");
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const char* const end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && !std::isfinite(value)))
    fail(column, in_quotes(text) + " is not a finite number");
  if (ec != std::errc() || ptr != end || digits.empty())
    fail(column, in_quotes(text) + " is not a number");
  return value;
}

}  // namespace mlcycle
