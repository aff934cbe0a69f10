#pragma once
// A bad command-line option, as an InputError located at "command line" (exit status 2): the
// commands' option checks share it.
#include <string>

#include "core/input_error.hpp"

namespace mlcycle {

inline const SourceLocation kCommandLine{"command line", 0, 0};

inline InputError option_error(const std::string& option, const std::string& message) {
  return InputError(kCommandLine, option, message);
}

}  // namespace mlcycle
