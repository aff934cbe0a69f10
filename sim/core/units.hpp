#pragma once
// Unit constants used across the model. Kept in one place so that every conversion in the
// code, the docs and the tests uses the same exact numbers.

namespace mlcycle::units {

inline constexpr double kJoulePerKwh = 3.6e6;
inline constexpr double kGramPerPound = 453.59237;  // exact, by definition of the pound
inline constexpr double kSecondsPerHour = 3600.0;
inline constexpr double kSecondsPerDay = 86400.0;

}  // namespace mlcycle::units
