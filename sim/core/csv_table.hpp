#pragma once
// A CSV file with a header row, read record by record (RFC 4180: commas, CRLF or LF, quoted
// fields with "" escapes and line breaks). Fields come out without surrounding spaces or quotes;
// a UTF-8 byte-order mark is dropped; records whose fields are all empty (blank lines, trailing
// newlines, ",,") are skipped. Errors are InputErrors naming the file, the line and the field.
#include <string>
#include <string_view>
#include <vector>

namespace mlcycle {

class CsvTable {
 public:
  // Reads the whole file and its header. InputError when it cannot be read or has no header.
  explicit CsvTable(std::string path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  int header_line() const { return header_line_; }

  // 0-based index of the header field named exactly `name`. InputError (at the header line,
  // listing the header) when there is none, or when the name appears twice.
  std::size_t column(const std::string& name) const;
  // "a, b, c": the header, for messages.
  std::string header_list() const;

  // The next non-blank record into `fields` (reusing its strings, so a long file allocates
  // nearly nothing); false at the end of the file. Every record has as many fields as the
  // header, else InputError.
  bool next(std::vector<std::string>& fields);
  int line() const { return record_line_; }  // 1-based line where the last record started
  // Line breaks in the file: an upper bound on the records, to reserve space for them.
  std::size_t line_count() const;

  // Throws an InputError at the last record's line and field `column` (0-based), keyed by
  // that field's header name.
  [[noreturn]] void fail(std::size_t column, const std::string& message) const;
  // A field holding one finite number (a leading '+' allowed, blanks trimmed), else fail():
  // "empty value", "'x' is not a number", "'1e999' is not a finite number". The caller checks
  // its range.
  double number(std::size_t column, std::string_view field) const;

 private:
  // Parses one record (blank or not) into `fields`; false at the end of the file.
  bool read_record(std::vector<std::string>& fields);
  std::string key_of(std::size_t column) const;

  std::string path_;
  std::string text_;
  std::size_t pos_ = 0;
  int next_line_ = 1;  // line at pos_
  int record_line_ = 0;
  std::vector<std::string> header_;
  int header_line_ = 0;
};

// Without leading and trailing spaces and tabs. Inline: it runs once per field.
inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace mlcycle
