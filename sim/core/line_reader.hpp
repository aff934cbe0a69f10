#pragma once
// A text file read line by line through a buffer of its own: each line is a view into the
// buffer, valid until the next call. A job log of millions of lines is read in large blocks
// rather than a std::getline (and a string copy) per line, which the replays' census and feed
// both pay once per job.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlcycle {

class LineReader {
 public:
  // Opens `path`; is_open() says whether that worked.
  explicit LineReader(const std::string& path);
  bool is_open() const { return file_ != nullptr; }
  // The next line, without its "\n" or "\r\n"; false at the end of the file. A last line without
  // a line break is a line; a read error ends the file as the end does.
  bool next(std::string_view& line);
  // 1-based number of the line next() gave last.
  int line_number() const { return line_number_; }

  // Reading a part of the file (two threads reading its halves): from byte `offset`, where a
  // line starts and `lines_before` lines end; and no further than byte `end`, where a line starts.
  void seek(std::uint64_t offset, int lines_before);
  void stop_at(std::uint64_t end) { stop_at_ = end; }
  // The file offset of the next line to read.
  std::uint64_t offset() const { return buffer_offset_ + begin_; }

  // Where to cut a file in two: the start of the first line at or after byte `near`, and the
  // lines before it; nullopt when no line starts there (or the file cannot be read).
  struct LineStart {
    std::uint64_t offset = 0;
    int lines_before = 0;
  };
  static std::optional<LineStart> line_start_after(const std::string& path, std::uint64_t near);

 private:
  bool fill();  // moves the unread tail to the front and reads more; false when nothing came

  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // the unread bytes: [begin_, end_)
  std::size_t end_ = 0;
  bool at_eof_ = false;
  int line_number_ = 0;
  std::uint64_t buffer_offset_ = 0;  // the file offset of buffer_[0]
  std::uint64_t stop_at_ = UINT64_MAX;
};

}  // namespace mlcycle
