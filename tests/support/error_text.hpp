#pragma once
// The InputError message that reading a file gives, with the file's path replaced by "F", so
// that a test's expectations stay short ("F:2:3: key: what is wrong").
#include <functional>
#include <string>

#include "core/input_error.hpp"

namespace mlcycle::test {

inline std::string error_of(const std::string& path, const std::function<void()>& read) {
  try {
    read();
  } catch (const InputError& e) {
    std::string what = e.what();
    if (what.starts_with(path)) what.replace(0, path.size(), "F");
    return what;
  }
  return "no error";
}

}  // namespace mlcycle::test
