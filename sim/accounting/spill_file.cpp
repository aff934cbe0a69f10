#include "accounting/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

namespace mlcycle {

SpillFile::SpillFile(SpillFile&& other) noexcept
    : use_(std::move(other.use_)), fd_(std::exchange(other.fd_, -1)) {}

SpillFile& SpillFile::operator=(SpillFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    use_ = std::move(other.use_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SpillFile::fail(const char* what) const {
  throw std::runtime_error(std::string("cannot ") + what + " the temporary file of " + use_ + ": " +
                           std::strerror(errno));
}

void SpillFile::open() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/mlcycle-spill-XXXXXX";
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    const int error = errno;
    throw std::runtime_error("cannot create the temporary file of " + use_ + " in " +
                             path.substr(0, path.rfind('/')) +
                             " ($TMPDIR): " + std::strerror(error));
  }
  ::unlink(name.data());  // gone with the process, however it ends
}

void SpillFile::write(std::uint64_t offset, const void* data, std::size_t bytes) {
  if (fd_ < 0) open();
  const auto* at = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd_, at, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("write");
    at += n;
    offset += static_cast<std::uint64_t>(n);
    bytes -= static_cast<std::size_t>(n);
  }
}

void SpillFile::read(std::uint64_t offset, void* data, std::size_t bytes) const {
  auto* at = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t n = fd_ < 0 ? 0 : ::pread(fd_, at, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // reading past what was written: a logic error of the caller
      fail("read");
    }
    at += n;
    offset += static_cast<std::uint64_t>(n);
    bytes -= static_cast<std::size_t>(n);
  }
}

}  // namespace mlcycle
