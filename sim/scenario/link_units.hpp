#pragma once
// Network figures as SimGrid writes them: bandwidths "400Gbps", "25GBps" (bytes), latencies
// "1us", "5ms". Pure parsing, for generated platforms (the command line and [[cluster]]).
#include <optional>
#include <string>

namespace mlcycle {

// Bits per second, > 0; nullopt and `error` set otherwise.
std::optional<double> parse_bandwidth_bps(const std::string& text, std::string& error);
// Seconds, >= 0; nullopt and `error` set otherwise.
std::optional<double> parse_latency_s(const std::string& text, std::string& error);

}  // namespace mlcycle
