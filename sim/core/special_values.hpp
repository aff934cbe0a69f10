#pragma once
// The model's two special doubles, named once: a time that never comes, and a value that does
// not exist (an empty mean, a field an older file lacks).
#include <limits>

namespace mlcycle {

inline constexpr double kNever = std::numeric_limits<double>::infinity();
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace mlcycle
