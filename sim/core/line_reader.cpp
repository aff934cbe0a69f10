#include "core/line_reader.hpp"

#include <cstring>

namespace mlcycle {

namespace {
constexpr std::size_t kBlockBytes = 1 << 20;
}  // namespace

LineReader::LineReader(const std::string& path)
    : file_(std::fopen(path.c_str(), "rb")), buffer_(kBlockBytes) {}

bool LineReader::fill() {
  if (at_eof_ || !file_) return false;
  const std::size_t unread = end_ - begin_;
  if (begin_ > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, unread);
  buffer_offset_ += begin_;
  begin_ = 0;
  end_ = unread;
  // A line longer than the buffer: grow it, so that the line stays in one piece.
  if (buffer_.size() - end_ < kBlockBytes / 2) buffer_.resize(buffer_.size() * 2);
  const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_.get());
  if (got == 0) at_eof_ = true;
  end_ += got;
  return got > 0;
}

void LineReader::seek(std::uint64_t offset, int lines_before) {
  begin_ = end_ = 0;
  at_eof_ = !file_ || fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0;
  buffer_offset_ = offset;
  line_number_ = lines_before;
}

std::optional<LineReader::LineStart> LineReader::line_start_after(const std::string& path,
                                                                  std::uint64_t near) {
  LineReader reader(path);
  std::string_view line;
  while (reader.buffer_offset_ + reader.begin_ < near)
    if (!reader.next(line)) return std::nullopt;
  if (reader.begin_ == reader.end_ && !reader.fill()) return std::nullopt;  // the end
  return LineStart{reader.buffer_offset_ + reader.begin_, reader.line_number_};
}

bool LineReader::next(std::string_view& line) {
  if (buffer_offset_ + begin_ >= stop_at_) return false;
  std::size_t searched = begin_;
  while (true) {
    const void* found = std::memchr(buffer_.data() + searched, '\n', end_ - searched);
    if (found) {
      const std::size_t newline =
          static_cast<std::size_t>(static_cast<const char*>(found) - buffer_.data());
      std::size_t length = newline - begin_;
      if (length > 0 && buffer_[newline - 1] == '\r') --length;
      line = std::string_view(buffer_.data() + begin_, length);
      begin_ = newline + 1;
      ++line_number_;
      return true;
    }
    const std::size_t scanned = end_ - begin_;
    if (!fill()) break;
    searched = scanned;  // fill() moved the unread bytes to the front
  }
  if (begin_ == end_) return false;
  // The last line, without a line break.
  std::size_t length = end_ - begin_;
  if (buffer_[end_ - 1] == '\r') --length;
  line = std::string_view(buffer_.data() + begin_, length);
  begin_ = end_;
  ++line_number_;
  return true;
}

}  // namespace mlcycle
